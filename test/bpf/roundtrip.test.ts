import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { assemble } from '../../src/bpf/assembler.js';
import { decode, decodeSlots } from '../../src/bpf/decode.js';
import { encode, hostLittleEndian } from '../../src/bpf/encode.js';
import { AssemblyError } from '../../src/bpf/errors.js';
import type { Instruction } from '../../src/bpf/instruction.js';
import { R0, R1, R2, R3, R10 } from '../../src/bpf/registers.js';
import { plainInstructions, targetedInstructions, wireFields } from './isa-catalog.js';

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (value) => value.toString(16).padStart(2, '0')).join(' ');
}

test('host is little-endian (the byte-level expectations below are written for it)', () => {
  assert.ok(hostLittleEndian, 'these byte expectations assume a little-endian host');
});

test('every label-free instruction survives encode → decode, through both encode() and assemble()', () => {
  const catalog = plainInstructions();
  assert.ok(catalog.length > 400, `catalog has only ${catalog.length} entries`);
  for (const { name, instruction } of catalog) {
    const bytes = encode([instruction]);
    assert.is(bytes.length, instruction.opcode === 0x18 ? 16 : 8, name);
    assert.equal(decode(bytes), [wireFields(instruction)], name);
    assert.is(hexBytes(assemble([instruction]).bytes), hexBytes(bytes), name);
  }
});

test('a whole catalog program decodes back in order, with lddw slots counted twice', () => {
  const instructions = plainInstructions().map((entry) => entry.instruction);
  const bytes = encode(instructions);
  const decoded = decodeSlots(bytes);
  assert.equal(decoded.map((entry) => entry.instruction), instructions.map(wireFields));
  let slot = 0;
  for (let index = 0; index < instructions.length; index++) {
    assert.is(decoded[index]!.slot, slot);
    slot += instructions[index]!.opcode === 0x18 ? 2 : 1;
  }
  assert.is(bytes.length, slot * 8);
});

// RFC 9669 appendix: every opcode of the base ISA plus v4 (sdiv/smod/movsx share opcodes with
// div/mod/mov; memsx 0x81/0x89/0x91; bswap 0xd7; gotol 0x06), the atomic opcodes, may_goto and the
// 6.15 load-acquire/store-release sizes.
const expectedOpcodes = [
  // ALU64 K and X
  0x07, 0x17, 0x27, 0x37, 0x47, 0x57, 0x67, 0x77, 0x87, 0x97, 0xa7, 0xb7, 0xc7, 0xd7,
  0x0f, 0x1f, 0x2f, 0x3f, 0x4f, 0x5f, 0x6f, 0x7f, 0x9f, 0xaf, 0xbf, 0xcf,
  // ALU K and X (0xd4 le, 0xdc be)
  0x04, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4, 0xb4, 0xc4, 0xd4,
  0x0c, 0x1c, 0x2c, 0x3c, 0x4c, 0x5c, 0x6c, 0x7c, 0x9c, 0xac, 0xbc, 0xcc, 0xdc,
  // JMP K and X, call, exit, ja, may_goto
  0x05, 0x15, 0x25, 0x35, 0x45, 0x55, 0x65, 0x75, 0x85, 0x95, 0xa5, 0xb5, 0xc5, 0xd5, 0xe5,
  0x1d, 0x2d, 0x3d, 0x4d, 0x5d, 0x6d, 0x7d, 0xad, 0xbd, 0xcd, 0xdd,
  // JMP32 K and X, gotol
  0x06, 0x16, 0x26, 0x36, 0x46, 0x56, 0x66, 0x76, 0xa6, 0xb6, 0xc6, 0xd6,
  0x1e, 0x2e, 0x3e, 0x4e, 0x5e, 0x6e, 0x7e, 0xae, 0xbe, 0xce, 0xde,
  // lddw; ldx mem w/h/b/dw; ldx memsx w/h/b; st; stx; atomic b/h (acquire/release) w/dw
  0x18, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b,
  0xc3, 0xcb, 0xd3, 0xdb,
];

test('the builders emit exactly the opcodes of the ISA', () => {
  const emitted = new Set<number>();
  for (const { instruction } of plainInstructions()) emitted.add(instruction.opcode);
  for (const { instruction } of targetedInstructions('t')) emitted.add(instruction.opcode);
  const expected = new Set(expectedOpcodes);
  const missing = [...expected].filter((opcode) => !emitted.has(opcode)).map((opcode) => opcode.toString(16));
  const extra = [...emitted].filter((opcode) => !expected.has(opcode)).map((opcode) => opcode.toString(16));
  assert.equal(missing, [], 'opcodes no builder emits');
  assert.equal(extra, [], 'opcodes outside the ISA');
});

test('targeted instructions resolve forward and backward, counting lddw as two slots', () => {
  for (const { name, instruction } of targetedInstructions('back')) {
    const forward: Instruction = { ...instruction, target: 'ahead' };
    const program = assemble([
      asm.label('back'), asm.lddw(R1, 1n), asm.exit(), // slots 0-2
      instruction, forward, // slots 3, 4 (an lddw takes 2 slots each)
      asm.lddw(R2, -1n), asm.mov64(R3, 0), asm.label('ahead'), asm.exit(),
    ]);
    const decoded = decodeSlots(program.bytes);
    const backEntry = decoded[2]!;
    const aheadEntry = decoded[3]!;
    const backSlot = backEntry.slot;
    const aheadSlot = aheadEntry.slot;
    const aheadTarget = program.labels.get('ahead')!;
    assert.is(program.labels.get('back'), 0, name);
    const usesImm = instruction.opcode === 0x06 || instruction.opcode === 0x85 || instruction.opcode === 0x18;
    const field = (decodedInstruction: Instruction): number => (usesImm ? decodedInstruction.imm : decodedInstruction.offset);
    assert.is(field(backEntry.instruction), 0 - backSlot - 1, `${name} backward`);
    assert.is(field(aheadEntry.instruction), aheadTarget - aheadSlot - 1, `${name} forward`);
    // Everything but the resolved field is untouched (for ldFunc the high half of imm64 stays 0).
    const withoutTarget = (value: Instruction): Instruction => ({ ...wireFields(value), offset: 0, imm: 0, imm64: value.imm64 === undefined ? undefined : value.imm64 >> 32n });
    assert.equal(withoutTarget(backEntry.instruction), withoutTarget(instruction), name);
  }
});

const pinned: [string, Instruction, string][] = [
  ['mov64 r1, 0', asm.mov64(R1, 0), 'b7 01 00 00 00 00 00 00'],
  ['mov64 r2, r10', asm.mov64(R2, R10), 'bf a2 00 00 00 00 00 00'],
  ['mov32 r1, -1', asm.mov32(R1, -1), 'b4 01 00 00 ff ff ff ff'],
  ['add r2, -8', asm.alu64('add', R2, -8), '07 02 00 00 f8 ff ff ff'],
  ['stx dw [r10-8], r1', asm.stx('dw', R10, -8, R1), '7b 1a f8 ff 00 00 00 00'],
  ['st w [r10-4], 0x7fffffff', asm.st('w', R10, -4, 0x7fff_ffff), '62 0a fc ff ff ff ff 7f'],
  ['ldx b r3, [r1+32767]', asm.ldx('b', R3, R1, 32767), '71 13 ff 7f 00 00 00 00'],
  ['ldx h r3, [r1-32768]', asm.ldx('h', R3, R1, -32768), '69 13 00 80 00 00 00 00'],
  ['sdiv64 r1, 3', asm.alu64('sdiv', R1, 3), '37 01 01 00 03 00 00 00'],
  ['smod32 r1, r2', asm.alu32('smod', R1, R2), '9c 21 01 00 00 00 00 00'],
  ['movsx r1, (s16)r2', asm.movsx(R1, R2, 16), 'bf 21 10 00 00 00 00 00'],
  ['movsx32 w1, (s8)w2', asm.movsx32(R1, R2, 8), 'bc 21 08 00 00 00 00 00'],
  ['ldxsx w', asm.ldxsx('w', R1, R10, -4), '81 a1 fc ff 00 00 00 00'],
  ['be16', asm.endian('be', R1, 16), 'dc 01 00 00 10 00 00 00'],
  ['bswap64', asm.bswap(R1, 64), 'd7 01 00 00 40 00 00 00'],
  ['lock add dw', asm.atomic('dw', 'add', R10, -8, R1), 'db 1a f8 ff 00 00 00 00'],
  ['fetch_add w', asm.atomic('w', 'fetch_add', R0, 0, R1), 'c3 10 00 00 01 00 00 00'],
  ['fetch_xor dw', asm.atomic('dw', 'fetch_xor', R1, 8, R2), 'db 21 08 00 a1 00 00 00'],
  ['xchg', asm.atomic('dw', 'xchg', R1, 0, R2), 'db 21 00 00 e1 00 00 00'],
  ['cmpxchg', asm.atomic('w', 'cmpxchg', R1, 0, R2), 'c3 21 00 00 f1 00 00 00'],
  ['load_acquire', asm.loadAcquire('dw', R1, R2, 0), 'db 21 00 00 00 01 00 00'],
  ['store_release', asm.storeRelease('b', R1, 0, R2), 'd3 21 00 00 10 01 00 00'],
  ['lddw', asm.lddw(R1, 0x0123_4567_89ab_cdefn), '18 01 00 00 ef cd ab 89 00 00 00 00 67 45 23 01'],
  ['lddw -2', asm.lddw(R1, -2n), '18 01 00 00 fe ff ff ff 00 00 00 00 ff ff ff ff'],
  ['map fd 5', asm.ldMapByFd(R1, 5), '18 11 00 00 05 00 00 00 00 00 00 00 00 00 00 00'],
  ['call 1', asm.call(1), '85 00 00 00 01 00 00 00'],
  ['kfunc', asm.callKfunc(0x10203), '85 20 00 00 03 02 01 00'],
  ['exit', asm.exit(), '95 00 00 00 00 00 00 00'],
];

test('pinned encodings match the ISA document byte for byte', () => {
  for (const [name, instruction, expected] of pinned) assert.is(hexBytes(encode([instruction])), expected, name);
});

test('pinned jump encodings: offset in off, gotol and local calls in imm', () => {
  const program = assemble([
    asm.jmp('eq', R1, 0, 'end'), asm.jmp32('gt', R1, R2, 'end'), asm.ja('end'), asm.gotol('end'),
    asm.callLocal('end'), asm.ldFunc(R2, 'end'), asm.label('end'), asm.exit(),
  ]);
  assert.is(hexBytes(program.bytes.subarray(0, 48)), [
    '15 01 06 00 00 00 00 00', // 'end' is slot 7: off = 7 - 0 - 1
    '2e 21 05 00 00 00 00 00',
    '05 00 04 00 00 00 00 00',
    '06 00 00 00 03 00 00 00',
    '85 10 00 00 02 00 00 00',
    '18 42 00 00 01 00 00 00',
  ].join(' '));
});

test('decode rejects partial slots and a truncated lddw', () => {
  assert.throws(() => decode(new Uint8Array(12)), (error: unknown) => error instanceof AssemblyError && /whole number/.test((error as Error).message));
  const lone = encode([asm.lddw(R1, 1n)]).subarray(0, 8);
  assert.throws(() => decode(lone), (error: unknown) => error instanceof AssemblyError && /second slot/.test((error as Error).message));
});

test('encode() refuses symbolic instructions and out-of-range fields', () => {
  const assemblyError = (error: unknown): boolean => error instanceof AssemblyError && /use assemble/.test((error as Error).message);
  assert.throws(() => encode([asm.ja('x')]), assemblyError);
  assert.throws(() => encode([asm.ldMapFd(R1, 'm')]), assemblyError);
  assert.throws(() => encode([{ opcode: 0xb7, dst: 11, src: 0, offset: 0, imm: 0 }]), /dst register 11/);
  assert.throws(() => encode([{ opcode: 0xb7, dst: 1, src: 0, offset: 0x8000, imm: 0 }]), /offset 32768/);
  assert.throws(() => encode([{ opcode: 0xb7, dst: 1, src: 0, offset: 0, imm: 0x8000_0000 }]), /immediate 2147483648/);
  assert.throws(() => encode([{ opcode: 0x100, dst: 1, src: 0, offset: 0, imm: 0 }]), /opcode 256/);
});

test.run();
