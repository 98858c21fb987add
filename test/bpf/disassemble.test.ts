// Disassembly goldens: hand-written programs whose disassembly is kept in test/bpf/golden/*.txt so
// that any change to the output shows up as a reviewed diff. Regenerate with
//   UPDATE_GOLDENS=1 node scripts/test.mjs bpf/
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { assemble, linkMaps } from '../../src/bpf/assembler.js';
import { disassemble, disassembleProgram, instructionText } from '../../src/bpf/disassemble.js';
import { encode } from '../../src/bpf/encode.js';
import { listing } from '../../src/bpf/listing.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { R0, R1, R2, R3, R4, R6, R7, R10 } from '../../src/bpf/registers.js';

const goldenDirectory = fileURLToPath(new URL('../../../test/bpf/golden/', import.meta.url));
const updating = process.env.UPDATE_GOLDENS === '1';

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

const goldens: [string, AsmItem[]][] = [
  ['map-counter', mapCounter],
  ['loop', loop],
  ['atomics', atomics],
  ['wide-loads', wideLoads],
  ['calls', calls],
  ['isa-v4', isaV4],
];

for (const [name, items] of goldens) {
  test(`golden: ${name}`, () => {
    const text = disassembleProgram(assemble(items)).join('\n') + '\n';
    const path = `${goldenDirectory}${name}.txt`;
    if (updating) {
      mkdirSync(goldenDirectory, { recursive: true });
      writeFileSync(path, text);
      console.log(`updated ${path}`);
      return;
    }
    assert.ok(existsSync(path), `missing golden ${path}: run UPDATE_GOLDENS=1 node scripts/test.mjs bpf/`);
    assert.fixture(text, readFileSync(path, 'utf8'));
  });
}

// These lines were checked by hand against the 6.18 verifier log and `bpftool prog dump xlated`.
test('the contract examples, in the verifier syntax', () => {
  const program = assemble([
    asm.mov64(R1, 0),
    asm.stx('dw', R10, -8, R1),
    asm.call(1),
    asm.ldMapFd(R1, 'm'),
    asm.jmp('eq', R0, 0, 'end'),
    asm.mov64(R0, 1),
    asm.mov64(R0, 2),
    asm.mov64(R0, 3),
    asm.label('end'),
    asm.exit(),
  ]);
  assert.equal(disassemble(linkMaps(program, () => 5)), [
    '0: (b7) r1 = 0',
    '1: (7b) *(u64 *)(r10 -8) = r1',
    '2: (85) call bpf_map_lookup_elem#1',
    '3: (18) r1 = map[fd:5]',
    '5: (15) if r0 == 0x0 goto pc+3',
    '6: (b7) r0 = 1',
    '7: (b7) r0 = 2',
    '8: (b7) r0 = 3',
    '9: (95) exit',
  ]);
});

test('immediates print as the kernel prints them: decimal for ALU and stores, unsigned hex for jumps', () => {
  assert.is(instructionText(asm.mov64(R1, -1)), 'r1 = -1');
  assert.is(instructionText(asm.st('w', R10, -4, -2)), '*(u32 *)(r10 -4) = -2');
  assert.is(instructionText({ ...asm.jmp('sgt', R1, -2, 'x'), offset: -3 }), 'if r1 s> 0xfffffffe goto pc-3');
  assert.is(instructionText({ ...asm.jmp32('set', R1, R2, 'x'), offset: 0 }), 'if w1 & w2 goto pc+0');
  assert.is(instructionText(asm.ldx('b', R1, R2, 0)), 'r1 = *(u8 *)(r2 +0)');
});

test('map names come from the caller once linked, from the program before', () => {
  const program = assemble([asm.ldMapFd(R1, '@a'), asm.ldMapValue(R2, '@b', 4), asm.exit()]);
  assert.equal(disassembleProgram(program).slice(0, 2), ['0: (18) r1 = map[fd:0 name:@a]', '2: (18) r2 = map[fd:0 name:@b][0]+4']);
  const fds: Record<string, number> = { '@a': 3, '@b': 4 };
  const names = new Map([[3, '@a'], [4, '@b']]);
  const linked = linkMaps(program, (name) => fds[name]);
  assert.equal(disassemble(linked, { mapName: (fd) => names.get(fd) }).slice(0, 2), ['0: (18) r1 = map[fd:3 name:@a]', '2: (18) r2 = map[fd:4 name:@b][0]+4']);
  assert.equal(disassemble(linked).slice(0, 2), ['0: (18) r1 = map[fd:3]', '2: (18) r2 = map[fd:4][0]+4']);
});

test('unknown helpers, kfunc names and malformed encodings', () => {
  assert.is(instructionText(asm.call(99999)), 'call unknown#99999');
  assert.is(instructionText(asm.callKfunc(7)), 'call kernel-function#7');
  assert.is(instructionText(asm.callKfunc(7), 0, { kfuncName: (id) => (id === 7 ? 'bpf_rcu_read_lock' : undefined) }), 'call bpf_rcu_read_lock#7');
  assert.equal(disassemble(encode([{ opcode: 0x7c | 0x80, dst: 0, src: 0, offset: 0, imm: 0 }])), ['0: (fc) w0 (null) w0']);
  assert.equal(disassemble(encode([{ opcode: 0x01 | 0x20, dst: 0, src: 0, offset: 0, imm: 0 }])), ['0: (21) BUG_ldx_21']);
  assert.equal(disassemble(encode([{ opcode: 0x03 | 0x20, dst: 0, src: 0, offset: 0, imm: 0 }])), ['0: (23) BUG_23']);
});

test('listing shows labels, comments and source positions', () => {
  const at = { file: 'count.bt', line: 2, column: 5, offset: 20, length: 8 };
  assert.equal(listing([
    asm.withComment(asm.mov64(R0, 0, at), 'zero'),
    asm.label('out'),
    asm.exit(),
  ]), [
    '  0: (b7) r0 = 0  ; zero  ; count.bt:2:5',
    'out:',
    '  1: (95) exit',
  ]);
  assert.equal(listing([asm.mov64(R0, 0, at), asm.exit()], { showSpans: false })[0], '  0: (b7) r0 = 0');
});

test.run();
