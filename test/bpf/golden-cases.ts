// The hand-written programs whose disassembly is kept in test/bpf/golden/*.txt (checked by
// test/bpf/disassemble.test.ts, rewritten only by `node scripts/update-goldens.mjs`).
import { fileURLToPath } from 'node:url';
import * as asm from '../../src/bpf/asm.js';
import { assemble } from '../../src/bpf/assembler.js';
import { disassembleProgram } from '../../src/bpf/disassemble.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { R0, R1, R2, R3, R4, R6, R7, R10 } from '../../src/bpf/registers.js';

export const goldenDirectory = fileURLToPath(new URL('../../../test/bpf/golden/', import.meta.url));

/** @counts[pid] += 1 with a per-key hash map: lookup, null check, atomic add, or insert 1. */
const mapCounter: AsmItem[] = [
  asm.call('get_current_pid_tgid'),
  asm.alu64('rsh', R0, 32),
  asm.stx('dw', R10, -8, R0),
  asm.ldMapFd(R1, '@counts'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -8),
  asm.call('map_lookup_elem'),
  asm.jmp('eq', R0, 0, 'insert'),
  asm.mov64(R1, 1),
  asm.atomic('dw', 'add', R0, 0, R1),
  asm.ja('out'),
  asm.label('insert'),
  asm.st('dw', R10, -16, 1),
  asm.ldMapFd(R1, '@counts'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -8),
  asm.mov64(R3, R10),
  asm.alu64('add', R3, -16),
  asm.mov64(R4, 1),
  asm.call('map_update_elem'),
  asm.label('out'),
  asm.mov64(R0, 0),
  asm.exit(),
];

/** Sum 1..n with a bounded backward loop, a 32-bit compare and a signed compare. */
const loop: AsmItem[] = [
  asm.mov64(R6, 0),
  asm.mov32(R7, 10),
  asm.label('top'),
  asm.alu64('add', R6, R7),
  asm.alu32('sub', R7, 1),
  asm.jmp32('ne', R7, 0, 'top'),
  asm.jmp('sgt', R6, -1, 'done'),
  asm.neg64(R6),
  asm.label('done'),
  asm.mayGoto('done2'),
  asm.label('done2'),
  asm.mov64(R0, R6),
  asm.exit(),
];

/** Every atomic form on a stack slot. */
const atomics: AsmItem[] = [
  asm.st('dw', R10, -8, 0),
  asm.st('w', R10, -12, 0),
  asm.mov64(R1, 1),
  asm.atomic('dw', 'add', R10, -8, R1),
  asm.atomic('w', 'or', R10, -12, R1),
  asm.atomic('dw', 'and', R10, -8, R1),
  asm.atomic('w', 'xor', R10, -12, R1),
  asm.atomic('dw', 'fetch_add', R10, -8, R1),
  asm.atomic('w', 'fetch_or', R10, -12, R1),
  asm.atomic('dw', 'fetch_and', R10, -8, R1),
  asm.atomic('w', 'fetch_xor', R10, -12, R1),
  asm.atomic('dw', 'xchg', R10, -8, R1),
  asm.mov64(R0, 0),
  asm.atomic('w', 'cmpxchg', R10, -12, R1),
  asm.loadAcquire('dw', R2, R10, -8),
  asm.storeRelease('w', R10, -12, R2),
  asm.mov64(R0, 0),
  asm.exit(),
];

/** 64-bit immediates: constants at the edges, a map by name, a map value, a map by fd. */
const wideLoads: AsmItem[] = [
  asm.lddw(R1, 0x0123_4567_89ab_cdefn),
  asm.lddw(R2, -1n),
  asm.lddw(R3, 1n << 63n),
  asm.lddw(R4, 0n),
  asm.ldMapFd(R1, '@map'),
  asm.ldMapValue(R2, '.rodata', 16),
  asm.ldMapByFd(R3, 42),
  asm.mov64(R0, 0),
  asm.exit(),
];

/** bpf-to-bpf calls, a callback pointer for bpf_loop, and a kfunc. */
const calls: AsmItem[] = [
  asm.mov64(R1, 3),
  asm.callLocal('double'),
  asm.mov64(R6, R0),
  asm.mov64(R1, 8),
  asm.ldFunc(R2, 'callback'),
  asm.mov64(R3, 0),
  asm.mov64(R4, 0),
  asm.call('loop'),
  asm.callKfunc(65470),
  asm.mov64(R0, R6),
  asm.exit(),
  asm.label('double'),
  asm.mov64(R0, R1),
  asm.alu64('lsh', R0, 1),
  asm.exit(),
  asm.label('callback'),
  asm.mov64(R0, 0),
  asm.exit(),
];

/** ISA v4: signed division, sign extension, sign-extending loads, byte swaps, a long jump. */
const isaV4: AsmItem[] = [
  asm.mov64(R1, -7),
  asm.alu64('sdiv', R1, 2),
  asm.alu32('smod', R1, R1),
  asm.movsx(R2, R1, 8),
  asm.movsx(R2, R1, 16),
  asm.movsx(R2, R1, 32),
  asm.movsx32(R2, R1, 8),
  asm.stx('dw', R10, -8, R1),
  asm.ldxsx('b', R3, R10, -8),
  asm.ldxsx('h', R3, R10, -8),
  asm.ldxsx('w', R3, R10, -8),
  asm.bswap(R3, 16),
  asm.bswap(R3, 32),
  asm.bswap(R3, 64),
  asm.endian('be', R3, 32),
  asm.endian('le', R3, 64),
  asm.gotol('end'),
  asm.mov64(R0, 1),
  asm.label('end'),
  asm.mov64(R0, 0),
  asm.exit(),
];

export const goldens: [string, AsmItem[]][] = [
  ['map-counter', mapCounter],
  ['loop', loop],
  ['atomics', atomics],
  ['wide-loads', wideLoads],
  ['calls', calls],
  ['isa-v4', isaV4],
];

/** The golden text of one program. */
export function goldenText(items: AsmItem[]): string {
  return disassembleProgram(assemble(items)).join('\n') + '\n';
}

/** Every golden: name, file, text (for scripts/update-goldens.mjs). */
export function allGoldens(): { name: string; path: string; text: string }[] {
  return goldens.map(([name, items]) => ({ name, path: `${goldenDirectory}${name}.txt`, text: goldenText(items) }));
}
