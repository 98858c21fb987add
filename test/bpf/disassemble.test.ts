// Disassembly goldens: hand-written programs (test/bpf/golden-cases.ts) whose disassembly is kept in
// test/bpf/golden/*.txt so that any change to the output shows up as a reviewed diff. A test run only
// compares; regenerate explicitly with `node scripts/update-goldens.mjs` (after `npx tsc`) and review
// the diff.
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { assemble, linkMaps } from '../../src/bpf/assembler.js';
import { disassemble, disassembleProgram, instructionText } from '../../src/bpf/disassemble.js';
import { encode } from '../../src/bpf/encode.js';
import { listing } from '../../src/bpf/listing.js';
import { R0, R1, R2, R10 } from '../../src/bpf/registers.js';
import { goldenDirectory, goldens, goldenText } from './golden-cases.js';

for (const [name, items] of goldens) {
  test(`golden: ${name}`, () => {
    const text = goldenText(items);
    const path = `${goldenDirectory}${name}.txt`;
    assert.ok(existsSync(path), `missing golden ${path}: run node scripts/update-goldens.mjs`);
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
