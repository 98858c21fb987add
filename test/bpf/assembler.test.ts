import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SourceSpan } from '../../src/diagnostics/span.js';
import * as asm from '../../src/bpf/asm.js';
import { assemble, AssemblyError, linkMaps } from '../../src/bpf/assembler.js';
import { decode, decodeSlots } from '../../src/bpf/decode.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { R0, R1, R2, R6, R10, register } from '../../src/bpf/registers.js';

function span(line: number): SourceSpan {
  return { file: 'test.bt', line, column: 1, offset: line * 10, length: 5 };
}

function failsWith(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    if (!(error instanceof AssemblyError)) return false;
    if (!pattern.test(error.message)) throw new Error(`message '${error.message}' does not match ${pattern}`);
    return true;
  };
}

test('forward jump over an lddw counts it as two slots', () => {
  const program = assemble([
    asm.jmp('eq', R1, 0, 'skip'), // slot 0
    asm.lddw(R2, 1n), // slots 1-2
    asm.mov64(R0, 1), // slot 3
    asm.label('skip'),
    asm.exit(), // slot 4
  ]);
  assert.is(program.slotCount, 5);
  assert.is(program.labels.get('skip'), 4);
  assert.is(decode(program.bytes)[0]!.offset, 3); // 4 - 0 - 1
});

test('backward jump (a loop) gets a negative offset', () => {
  const program = assemble([
    asm.mov64(R6, 10), // 0
    asm.label('top'),
    asm.lddw(R1, 5n), // 1-2
    asm.alu64('sub', R6, 1), // 3
    asm.jmp('ne', R6, 0, 'top'), // 4: 1 - 4 - 1 = -4
    asm.exit(), // 5
  ]);
  assert.is(decodeSlots(program.bytes)[3]!.instruction.offset, -4);
});

test('bpf2bpf call and ldFunc put the distance in imm', () => {
  const program = assemble([
    asm.callLocal('helper'), // 0
    asm.ldFunc(R2, 'helper'), // 1-2
    asm.exit(), // 3
    asm.label('helper'),
    asm.mov64(R0, 0), // 4
    asm.exit(),
    asm.label('before'),
    asm.exit(), // 6
  ]);
  const decoded = decode(program.bytes);
  assert.is(decoded[0]!.imm, 3);
  assert.is(decoded[0]!.src, 1);
  assert.is(decoded[0]!.offset, 0);
  assert.is(decoded[1]!.imm, 2); // 4 - 1 - 1: counted from the lddw's first slot
  assert.is(decoded[1]!.imm64, 2n);
  assert.is(decoded[1]!.src, 4);
});

test('labels may stack on one slot and sit before any instruction', () => {
  const program = assemble([asm.label('a'), asm.label('b'), asm.ja('b'), asm.label('c'), asm.exit()]);
  assert.equal([...program.labels], [['a', 0], ['b', 0], ['c', 1]]);
  assert.is(decode(program.bytes)[0]!.offset, -1);
});

test('unresolved label is an error naming it, with the span', () => {
  let caught: unknown;
  try {
    assemble([asm.jmp('eq', R1, 0, 'nowhere', span(3)), asm.exit()]);
  } catch (error) {
    caught = error;
  }
  assert.instance(caught, AssemblyError);
  assert.match((caught as AssemblyError).message, /unresolved label 'nowhere'/);
  assert.equal((caught as AssemblyError).span, span(3));
});

test('duplicate label is an error', () => {
  assert.throws(() => assemble([asm.label('x'), asm.exit(), asm.label('x'), asm.exit()]), failsWith(/duplicate label 'x'/));
});

test('a jump to a label after the last instruction is an error', () => {
  assert.throws(() => assemble([asm.ja('end'), asm.exit(), asm.label('end')]), failsWith(/end of the program/));
});

test('a 16-bit jump beyond 32767 slots is an error; gotol reaches it', () => {
  const filler: AsmItem[] = [];
  for (let index = 0; index < 32768; index++) filler.push(asm.mov64(R0, 0));
  assert.throws(() => assemble([asm.ja('far'), ...filler, asm.label('far'), asm.exit()]), failsWith(/32768 slots away.*gotol/));
  assert.throws(() => assemble([asm.label('far'), ...filler, asm.jmp('eq', R1, 0, 'far'), asm.exit()]), failsWith(/-32769 slots away/));
  // Exactly at the limit works.
  const atLimit = assemble([asm.ja('far'), ...filler.slice(1), asm.label('far'), asm.exit()]);
  assert.is(decode(atLimit.bytes)[0]!.offset, 32767);
  const long = assemble([asm.gotol('far'), ...filler, asm.label('far'), asm.exit()]);
  assert.is(decode(long.bytes)[0]!.imm, 32768);
});

test('a target on an instruction that cannot jump is an error', () => {
  assert.throws(() => assemble([{ ...asm.mov64(R0, 0), target: 'x' }, asm.label('x'), asm.exit()]), failsWith(/cannot refer to label 'x'/));
  assert.throws(() => assemble([{ ...asm.call(1), target: 'x' }, asm.label('x'), asm.exit()]), failsWith(/cannot refer/));
  assert.throws(() => assemble([{ ...asm.exit(), target: 'x' }, asm.label('x'), asm.exit()]), failsWith(/cannot refer/));
});

test('a map name on a non-lddw, or on an lddw with the wrong pseudo source, is an error', () => {
  assert.throws(() => assemble([{ ...asm.mov64(R0, 0), map: { name: 'm' } }]), failsWith(/non-lddw/));
  assert.throws(() => assemble([{ ...asm.lddw(R1, 0n), map: { name: 'm' } }]), failsWith(/not MAP_FD or MAP_VALUE/));
});

test('spans are carried per slot, the second lddw slot repeating the first', () => {
  const program = assemble([
    asm.mov64(R1, 0, span(1)),
    asm.lddw(R2, 7n, span(2)),
    asm.label('l'),
    asm.exit(),
  ]);
  assert.equal(program.spans, [span(1), span(2), span(2), undefined]);
});

test('mapReferences record the first slot of each map load; linkMaps patches fds and keeps value offsets', () => {
  const program = assemble([
    asm.mov64(R1, 0),
    asm.ldMapFd(R1, '@counts'), // slots 1-2
    asm.ldMapValue(R2, '.rodata', 24), // slots 3-4
    asm.ldMapFd(R1, '@counts'), // slots 5-6
    asm.exit(),
  ]);
  assert.equal(program.mapReferences, [{ slot: 1, name: '@counts' }, { slot: 3, name: '.rodata' }, { slot: 5, name: '@counts' }]);
  const before = program.bytes.slice();
  const fds: Record<string, number> = { '@counts': 7, '.rodata': 0x7fff_fffe };
  const linked = linkMaps(program, (name) => fds[name]);
  assert.equal(program.bytes, before, 'linkMaps must not modify the assembled program');
  const decoded = decode(linked);
  assert.is(decoded[1]!.imm, 7);
  assert.is(decoded[1]!.src, 1);
  assert.is(decoded[1]!.imm64, 7n);
  assert.is(decoded[2]!.src, 2);
  assert.is(decoded[2]!.imm, 0x7fff_fffe);
  assert.is(decoded[2]!.imm64, (24n << 32n) | 0x7fff_fffen);
  assert.is(decoded[3]!.imm, 7);
  // Unlinked, the fd slots hold 0 and the value offset is already in place.
  assert.is(decode(program.bytes)[2]!.imm64, 24n << 32n);
});

test('linkMaps: an unknown map is an AssemblyError with the load site span', () => {
  const program = assemble([asm.ldMapFd(R1, 'missing', span(9)), asm.exit()]);
  let caught: unknown;
  try {
    linkMaps(program, () => undefined);
  } catch (error) {
    caught = error;
  }
  assert.instance(caught, AssemblyError);
  assert.match((caught as Error).message, /unknown map 'missing'/);
  assert.equal((caught as AssemblyError).span, span(9));
  assert.throws(() => linkMaps(program, () => -1), failsWith(/unknown map/));
});

test('an r10 offset past 16 bits is a frame reference for the code generator to place; unplaced, assembly refuses it', () => {
  const far = asm.stx('dw', R10, 40_000, R1, span(3));
  assert.is(far.offset, 40_000);
  let caught: unknown;
  try {
    assemble([asm.mov64(R1, 0), far, asm.mov64(R0, 0), asm.exit()]);
  } catch (error) {
    caught = error;
  }
  assert.instance(caught, AssemblyError);
  assert.match((caught as Error).message, /instruction 1: offset 40000 does not fit in 16 bits/);
  assert.equal((caught as AssemblyError).span, span(3));
});

test('builders reject operands that do not fit, with the span', () => {
  const at = span(4);
  const cases: [string, () => unknown, RegExp][] = [
    ['register 11', () => asm.mov64(register(10) && { reg: 11 }, 0, at), /destination must be a register r0..r10, got r11/],
    ['number as dst', () => asm.mov64(3 as never, 0, at), /destination must be a register/],
    ['imm above int32 in alu64', () => asm.alu64('and', R1, 0xffff_ffff, at), /does not fit.*lddw/],
    ['imm below int32', () => asm.mov32(R1, -0x8000_0001, at), /does not fit/],
    ['fractional imm', () => asm.mov64(R1, 1.5, at), /does not fit/],
    ['offset', () => asm.ldx('dw', R1, R2, 0x8000, at), /offset 32768/],
    ['frame offset past int32', () => asm.st('dw', R10, 0x8000_0000, 0, at), /offset 2147483648/],
    ['ldxsx dw', () => asm.ldxsx('dw' as 'w', R1, R10, 0, at), /size 'dw'/],
    ['atomic byte', () => asm.atomic('b' as 'w', 'add', R10, -8, R1, at), /size 'b'/],
    ['atomic op', () => asm.atomic('dw', 'nand' as 'add', R10, -8, R1, at), /unknown atomic operation 'nand'/],
    ['alu op', () => asm.alu64('rol' as 'add', R1, 1, at), /unknown ALU operation 'rol'/],
    ['alu without source', () => asm.alu64('add', R1, undefined, at), /needs a source/],
    ['jump condition', () => asm.jmp('always' as 'eq', R1, 0, 'x', at), /unknown jump condition/],
    ['empty label', () => asm.ja('', at), /non-empty label/],
    ['movsx bits', () => asm.movsx(R1, R2, 64 as 32, at), /8, 16 or 32/],
    ['movsx32 bits', () => asm.movsx32(R1, R2, 32 as 16, at), /8 or 16/],
    ['bswap bits', () => asm.bswap(R1, 8 as 16, at), /16, 32 or 64/],
    ['lddw too big', () => asm.lddw(R1, 1n << 64n, at), /not a 64-bit integer/],
    ['lddw unsafe number', () => asm.lddw(R1, 2 ** 60, at), /not a 64-bit integer/],
    ['helper name', () => asm.call('no_such_helper' as 'loop', at), /unknown helper 'no_such_helper'/],
    ['map value offset', () => asm.ldMapValue(R1, 'm', -1, at), /not a u32/],
  ];
  for (const [name, build, pattern] of cases) {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    assert.instance(caught, AssemblyError, name);
    assert.match((caught as Error).message, pattern, name);
    assert.equal((caught as AssemblyError).span, at, name);
  }
});

test('assemble validates hand-built instructions too', () => {
  assert.throws(() => assemble([{ opcode: 0xbf, dst: 1, src: 12, offset: 0, imm: 0 }]), failsWith(/instruction 0: src 12/));
  assert.throws(() => assemble([asm.exit(), { opcode: 0xb7, dst: 1, src: 0, offset: 0, imm: 2 ** 31 }]), failsWith(/instruction 1: immediate/));
});

test('call accepts helper names and ids alike', () => {
  assert.equal(asm.call('map_lookup_elem'), asm.call(1));
  assert.equal(asm.call('loop'), asm.call(181));
});

test.run();
