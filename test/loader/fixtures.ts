// Small programs shared by the kernel tests, written with the instruction layer.
import { assemble, linkMaps, type AsmItem } from '../../src/bpf/index.js';
import * as asm from '../../src/bpf/asm.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../../src/bpf/registers.js';
import type { BpfMap } from '../../src/loader/maps.js';

/** Assembles and links `items`, resolving map names from `maps`. */
export function build(items: readonly AsmItem[], maps: Record<string, BpfMap> = {}): Uint8Array {
  return linkMaps(assemble(items), (name) => maps[name]?.fd);
}

/** *(u64 *)(counter[0]) += r6 with an atomic add; leaves r0 = 0. Needs an ARRAY map `counter` (u32 → u64). */
export function addToCounter(): AsmItem[] {
  return [
    asm.st('w', R10, -4, 0),
    asm.ldMapFd(R1, 'counter'),
    asm.mov64(R2, R10),
    asm.alu64('add', R2, -4),
    asm.call('map_lookup_elem'),
    asm.jmp('eq', R0, 0, 'done'),
    asm.atomic('dw', 'add', R0, 0, R6),
    asm.label('done'),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
}

/** Jumps to `skip` unless the current process's tgid is `tgid` (clobbers r0–r5). */
export function onlyTgid(tgid: number, skip: string): AsmItem[] {
  return [asm.call('get_current_pid_tgid'), asm.alu64('rsh', R0, 32), asm.jmp('ne', R0, tgid, skip)];
}

/** raw_tp program: counter[0] += ctx[0] (the first u64 argument). */
export function addFirstArgument(): AsmItem[] {
  return [asm.ldx('dw', R6, R1, 0), ...addToCounter()];
}

/** Counts hits from process `tgid` into counter[0]. */
export function countForTgid(tgid: number): AsmItem[] {
  return [...onlyTgid(tgid, 'done'), asm.mov64(R6, 1), ...addToCounter()];
}

/** raw_tp program: copies the first `words` u64 arguments to the stack and sends them with bpf_ringbuf_output. */
export function ringbufOutputArguments(words: number): AsmItem[] {
  const copy: AsmItem[] = [];
  for (let index = 0; index < words; index++) copy.push(asm.ldx('dw', R0, R1, index * 8), asm.stx('dw', R10, -8 * words + index * 8, R0));
  return [
    ...copy,
    asm.ldMapFd(R1, 'events'),
    asm.mov64(R2, R10),
    asm.alu64('add', R2, -8 * words),
    asm.mov64(R3, 8 * words),
    asm.mov64(R4, 0),
    asm.call('ringbuf_output'),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
}

export const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);
export const u64s = (...values: bigint[]) => new Uint8Array(new BigUint64Array(values).buffer);
export const readU64 = (bytes: Uint8Array, offset = 0) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
