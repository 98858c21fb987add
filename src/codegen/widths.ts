// Instruction-level details every lowering needs: the access width for a size in bytes, whether a
// constant fits an instruction's 32-bit immediate, and sign extension of a narrower value.
import { alu64, type Register } from '../bpf/index.js';
import type { Emitter } from './emitter.js';

export function sizeName(size: number): 'b' | 'h' | 'w' | 'dw' {
  switch (size) {
    case 1: return 'b';
    case 2: return 'h';
    case 4: return 'w';
    default: return 'dw';
  }
}

export function signExtend(e: Emitter, target: Register, bits: number): void {
  e.emit(alu64('lsh', target, 64 - bits));
  e.emit(alu64('arsh', target, 64 - bits));
}

export function fitsImmediate(value: bigint): boolean {
  const signed = BigInt.asIntN(64, value);
  return signed >= -0x8000_0000n && signed <= 0x7fff_ffffn;
}
