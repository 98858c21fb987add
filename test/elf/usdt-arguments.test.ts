// USDT argument specs as GCC and clang write them on x86-64.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lookupRegister, parseUsdtArgument, parseUsdtArguments, ptRegsOffset } from '../../src/elf/index.js';

const memory = (base: string | undefined, offset: bigint, extra: { index?: string; scale?: number; symbol?: string } = {}) =>
  ({ kind: 'memory', base, offset, index: extra.index, scale: extra.scale ?? 1, symbol: extra.symbol });

test('sizes: negative is signed, 1/2/4/8 only', () => {
  assert.equal(parseUsdtArgument('-4@%edi'), { size: 4, signed: true, location: { kind: 'register', register: 'rdi', bitOffset: 0 }, text: '-4@%edi' });
  assert.equal(parseUsdtArgument('8@%rax'), { size: 8, signed: false, location: { kind: 'register', register: 'rax', bitOffset: 0 }, text: '8@%rax' });
  assert.is(parseUsdtArgument('3@%rax'), 'size 3 is not 1, 2, 4 or 8');
});

test('registers of every width map to their 64-bit register', () => {
  const cases: [string, string, number, number][] = [
    ['rax', 'rax', 8, 0], ['eax', 'rax', 4, 0], ['ax', 'rax', 2, 0], ['al', 'rax', 1, 0], ['ah', 'rax', 1, 8],
    ['rsi', 'rsi', 8, 0], ['esi', 'rsi', 4, 0], ['si', 'rsi', 2, 0], ['sil', 'rsi', 1, 0],
    ['rbp', 'rbp', 8, 0], ['spl', 'rsp', 1, 0], ['dh', 'rdx', 1, 8],
    ['r8', 'r8', 8, 0], ['r9d', 'r9', 4, 0], ['r10w', 'r10', 2, 0], ['r15b', 'r15', 1, 0], ['r12l', 'r12', 1, 0],
    ['rip', 'rip', 8, 0],
  ];
  for (const [name, register, width, bitOffset] of cases) {
    assert.equal(lookupRegister(name), { location: { kind: 'register', register, bitOffset }, width }, name);
  }
  assert.is(lookupRegister('xmm0'), undefined);
  assert.is(lookupRegister('r16'), undefined);
  assert.is(parseUsdtArgument('8@%xmm0'), 'unknown register %xmm0');
});

test('memory operands: displacement, base, index and scale', () => {
  assert.equal(parseUsdtArgument('8@-8(%rbp)'), { size: 8, signed: false, location: memory('rbp', -8n), text: '8@-8(%rbp)' });
  const location = (text: string) => {
    const argument = parseUsdtArgument(text);
    return typeof argument === 'string' ? argument : argument.location;
  };
  assert.equal(location('4@(%rax)'), memory('rax', 0n));
  assert.equal(location('4@0x10(%rsp)'), memory('rsp', 16n));
  assert.equal(location('-4@16(%rbx,%rcx,8)'), memory('rbx', 16n, { index: 'rcx', scale: 8 }));
  assert.equal(location('8@(,%rdx,4)'), memory(undefined, 0n, { index: 'rdx', scale: 4 }));
  assert.equal(location('8@(%rdi,%rsi)'), memory('rdi', 0n, { index: 'rsi' }));
  assert.is(location('8@(%rdi,%rsi,3)'), 'scale 3 is not 1, 2, 4 or 8');
});

test('rip-relative symbols, with and without an addend', () => {
  const location = (text: string) => {
    const argument = parseUsdtArgument(text);
    return typeof argument === 'string' ? argument : argument.location;
  };
  assert.equal(location('-4@counter(%rip)'), memory('rip', 0n, { symbol: 'counter' }));
  assert.equal(location('8@table+16(%rip)'), memory('rip', 16n, { symbol: 'table' }));
  assert.equal(location('8@_ZN3foo3barE-0x8(%rip)'), memory('rip', -8n, { symbol: '_ZN3foo3barE' }));
  assert.is(location('8@counter(%rax)'), "symbol 'counter' is only supported relative to %rip");
});

test('constants, decimal and hex, negative', () => {
  const value = (text: string) => {
    const argument = parseUsdtArgument(text);
    return typeof argument !== 'string' && argument.location.kind === 'constant' ? argument.location.value : argument;
  };
  assert.is(value('-4@$42'), 42n);
  assert.is(value('-4@$-1'), -1n);
  assert.is(value('8@$0x7fffffffffffffff'), 0x7fffffffffffffffn);
  assert.is(value('4@$abc'), "'$abc' is not a constant");
});

test('bare operands (old sdt.h) are signed and as wide as the register', () => {
  assert.equal(parseUsdtArgument('%eax'), { size: 4, signed: true, location: { kind: 'register', register: 'rax', bitOffset: 0 }, text: '%eax' });
  assert.equal(parseUsdtArgument('-8(%rbp)'), { size: 8, signed: true, location: memory('rbp', -8n), text: '-8(%rbp)' });
});

test('a whole spec: arguments in order, empty spec has none, errors name the argument', () => {
  const result = parseUsdtArguments('8@%rbx  -4@-20(%rbp) 1@$1');
  assert.ok(result.ok);
  assert.equal(result.ok && result.arguments.map((argument) => argument.text), ['8@%rbx', '-4@-20(%rbp)', '1@$1']);
  assert.equal(parseUsdtArguments(''), { ok: true, arguments: [] });
  assert.equal(parseUsdtArguments('8@%rax 8@%bogus'), { ok: false, message: "USDT argument 1 '8@%bogus': unknown register %bogus", argumentIndex: 1 });
});

test('pt_regs offsets follow the kernel struct (r15 first, rdi at 112, rip 128, rsp 152)', () => {
  assert.is(ptRegsOffset('r15'), 0);
  assert.is(ptRegsOffset('rbp'), 32);
  assert.is(ptRegsOffset('rax'), 80);
  assert.is(ptRegsOffset('rdi'), 112);
  assert.is(ptRegsOffset('rip'), 128);
  assert.is(ptRegsOffset('rsp'), 152);
});

test.run();
