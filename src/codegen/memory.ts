// Moving bytes around the stack: zero-filling, copying, storing constants. Chunked 8/4/2/1 by the
// alignment of both ends, since the verifier needs every byte of a key or record written.
import { R10, ldx, lddw, st, stx, mov64, type Register } from '../bpf/index.js';
import type { Emitter } from './emitter.js';

type Size = 'dw' | 'w' | 'h' | 'b';

function chunk(offset: number, remaining: number, ...others: number[]): [Size, number] {
  const aligned = (n: number) => [offset, ...others].every((value) => ((value % n) + n) % n === 0);
  if (remaining >= 8 && aligned(8)) return ['dw', 8];
  if (remaining >= 4 && aligned(4)) return ['w', 4];
  if (remaining >= 2 && aligned(2)) return ['h', 2];
  return ['b', 1];
}

export function zeroFill(e: Emitter, offset: number, size: number): void {
  for (let position = 0; position < size;) {
    const [width, bytes] = chunk(offset + position, size - position);
    e.emit(st(width, R10, offset + position, 0));
    position += bytes;
  }
}

/** Copies `size` bytes from `base + from` (any readable pointer register) to the stack at `to`. */
export function copyToStack(e: Emitter, base: Register, from: number, to: number, size: number, scratch: Register): void {
  for (let position = 0; position < size;) {
    const [width, bytes] = chunk(to + position, size - position, from + position);
    e.emit(ldx(width, scratch, base, from + position));
    e.emit(stx(width, R10, to + position, scratch));
    position += bytes;
  }
}


/** Writes `bytes` (padded with zeros to `size`) to the stack at `offset`. */
export function storeBytes(e: Emitter, offset: number, bytes: Uint8Array, size: number, scratch: Register): void {
  const padded = new Uint8Array(size);
  padded.set(bytes.subarray(0, size));
  const view = new DataView(padded.buffer);
  for (let position = 0; position < size;) {
    const [width, count] = chunk(offset + position, size - position);
    if (width === 'dw') {
      const value = view.getBigUint64(position, true);
      if (value === 0n) e.emit(st('dw', R10, offset + position, 0));
      else {
        e.emit(lddw(scratch, value));
        e.emit(stx('dw', R10, offset + position, scratch));
      }
    } else {
      const value = width === 'w' ? view.getInt32(position, true) : width === 'h' ? view.getUint16(position, true) : view.getUint8(position);
      e.emit(st(width, R10, offset + position, value));
    }
    position += count;
  }
}

/** Loads a 64-bit constant into `target` (mov for 32-bit signed values, lddw otherwise). */
export function loadConstant(e: Emitter, target: Register, value: bigint): void {
  const signed = BigInt.asIntN(64, value);
  if (signed >= -0x8000_0000n && signed <= 0x7fff_ffffn) e.emit(mov64(target, Number(signed)));
  else e.emit(lddw(target, BigInt.asUintN(64, value)));
}
