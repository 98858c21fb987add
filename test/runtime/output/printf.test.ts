// printf against the C library: every case is formatted by formatPrintf and by snprintf in
// test/runtime/csnprintf/csnprintf.c, which converts the 64-bit argument to the C type the
// conversion names before the call (as a C caller would). Also the printf lines bpftrace 0.17
// printed on this machine, and parseFormat's errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFormat, type Conversion } from '../../../src/model/format-string.js';
import { jsonFormat } from '../../../src/runtime/output/formats.js';
import { formatPrintf } from '../../../src/runtime/output/printf.js';
import type { Value } from '../../../src/runtime/output/values.js';
import { afterBanner, hexField, int, recorded, runC, str } from './helpers.js';

const u64 = (value: bigint): Value => ({ kind: 'integer', value, signed: false, width: 8 });
const u32 = (value: bigint): Value => ({ kind: 'integer', value, signed: false, width: 4 });

const cases: [string, Value][] = [
  ['%d', int(0)],
  ['%d', int(-1)],
  ['%d', int(2147483647)],
  ['%d', int(2147483648)],
  ['%d', u64(0xffffffffffffffffn)],
  ['%d', int(0x100000005)],
  ['%d', u32(0xffffffffn)],
  ['%i', int(-42)],
  ['%ld', int(-9223372036854775808n)],
  ['%lld', int(9223372036854775807n)],
  ['%ld', u64(0x8000000000000000n)],
  ['%u', int(-1)],
  ['%lu', int(-1)],
  ['%llu', u64(12345678901234567890n)],
  ['%x', int(255)],
  ['%X', int(0xabcdef)],
  ['%x', int(-1)],
  ['%lx', int(-1)],
  ['%hhx', int(0x1234)],
  ['%hx', int(0x12345)],
  ['%hhd', int(200)],
  ['%hd', int(70000)],
  ['%hu', int(-1)],
  ['%hhu', int(-1)],
  ['%o', int(8)],
  ['%#o', int(8)],
  ['%#o', int(0)],
  ['%#x', int(0)],
  ['%#x', int(255)],
  ['%#X', int(255)],
  ['%#lx', int(-1)],
  ['[%5d]', int(42)],
  ['[%-5d]', int(42)],
  ['[%05d]', int(42)],
  ['[%05d]', int(-42)],
  ['[%-08d]', int(-42)],
  ['%+d', int(5)],
  ['%+d', int(-5)],
  ['[% d]', int(5)],
  ['[%+ d]', int(5)],
  ['[% 05d]', int(7)],
  ['%.3d', int(7)],
  ['[%.0d]', int(0)],
  ['[%5.0d]', int(0)],
  ['[%08.3d]', int(5)],
  ['[%-+6d]', int(3)],
  ['%.5x', int(0xab)],
  ['%#.5x', int(0xab)],
  ['%#08x', int(0xab)],
  ['%#.3o', int(8)],
  ['%#o', int(64)],
  ['%jd', int(-3)],
  ['%zu', int(-2)],
  ['%td', int(-3)],
  ['%zx', int(255)],
  ['%jx', int(-1)],
  ['%lo', int(-1)],
  ['%llX', u64(0xdeadbeefcafebaben)],
  ['%hhX', int(0xfff)],
  ['%.10d', int(-123)],
  ['[%+.3d]', int(0)],
  ['[%+.0d]', int(0)],
  ['[% .0d]', int(0)],
  ['[%#.0o]', int(0)],
  ['[%#.0x]', int(0)],
  ['[%+u]', int(5)],
  ['[% x]', int(5)],
  ['%c', int(65)],
  ['[%3c]', int(65)],
  ['[%-3c]', int(66)],
  ['[%c]', int(0x141)],
  ['%p', int(255)],
  ['[%p]', int(0)],
  ['[%20p]', u64(0xffff880012345678n)],
  ['[%-20p]', int(0x1000)],
  ['[%#018p]', int(0xabc)],
  ['[%+p]', int(1)],
  ['[%lp]', int(16)],
  ['%s', str('abc')],
  ['[%10s]', str('abc')],
  ['[%-10s]', str('abc')],
  ['[%.2s]', str('abcdef')],
  ['[%10.3s]', str('abcdef')],
  ['[%-10.3s]', str('abcdef')],
  ['[%.0s]', str('abc')],
  ['[%s]', str('')],
  ['[%5s]', str('héllo')],
  ['[%.3s]', str('héllo')],
  ['[%7s]', str('é')],
  ['[%05s]', str('ab')],
  ['100%% [%d]%%', int(7)],
  ['a\tb\n%d\n', int(1)],
];

/** The C type a conversion converts its argument to: the rule formatPrintf must follow. */
function cType(conversion: Conversion): string {
  const { specifier, lengthModifier } = conversion;
  if (specifier === 's') return 'str';
  if (specifier === 'p') return 'ptr';
  if (specifier === 'c') return 'i32';
  const bits = { hh: 8, h: 16, '': 32, l: 64, ll: 64, j: 64, z: 64, t: 64 }[lengthModifier];
  return `${specifier === 'd' || specifier === 'i' ? 'i' : 'u'}${bits}`;
}

test(`printf matches C's snprintf in ${cases.length} cases`, () => {
  assert.ok(cases.length >= 60);
  const lines = cases.map(([format, value]) => {
    const { format: parsed, errors } = parseFormat(format);
    assert.equal(errors, [], format);
    assert.is(parsed.conversions.length, 1, format);
    const argument = value.kind === 'string' ? hexField(value.value) : value.kind === 'integer' ? BigInt.asUintN(64, value.value).toString() : '';
    return `${cType(parsed.conversions[0]!)} ${hexField(format)} ${argument}`;
  });
  const expected = runC(lines);
  cases.forEach(([format, value], index) => {
    const ours = formatPrintf(parseFormat(format).format, [value]);
    assert.is(ours, expected[index], `${JSON.stringify(format)} of ${JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? `${item}n` : item))}`);
  });
});

test('the printf lines bpftrace 0.17 printed on this machine', () => {
  const lines = afterBanner(recorded('printf_misc', 'txt')).split('\n');
  const first = parseFormat('%u|%d|%x|%hhx|%d|%ld|%lu|%c|%5s|%-5d|%p\n').format;
  assert.is(
    formatPrintf(first, [int(-1), u64(0xffffffffffffffffn), int(-1), int(0x1234), int(0x100000005), int(0x100000005), int(-1), int(65), str('ab'), int(3), int(255)]),
    `${lines[0]}\n`,
  );
  const second = parseFormat('[%08x] [%-8s] [%.2s] [%10.3s] [%o] [%X] [%hd] [%hu] [%lld] [%llx] [%jd] [%zu] [%td]\n').format;
  const secondArgs = [int(0xbeef), str('abc'), str('abcdef'), str('abcdef'), int(8), int(0xabc), int(70000), int(70000), int(-9), int(-1), int(-1), int(-2), int(-3)];
  assert.is(formatPrintf(second, secondArgs), `${lines[1]}\n`);
  const third = parseFormat('%s|%s|%%|100%%|%s\n').format;
  assert.is(formatPrintf(third, [str('bpftrace'), str('x'), str('end')]), `${lines[2]}\n`);
  const jsonLines = recorded('printf_misc', 'json').split('\n');
  assert.is(jsonFormat().printf(formatPrintf(third, [str('bpftrace'), str('x'), str('end')])).text, `${jsonLines[3]}\n`);
});

test('%r, %rx and %rh print buffers as bpftrace 0.17 did', () => {
  const buffer: Value = { kind: 'buffer', bytes: new Uint8Array([0x61, 0x62, 0x01, 0xff, 0x20, 0x63]) };
  const format = parseFormat('%r|%rx|%rh\n').format;
  assert.equal(format.conversions.map((conversion) => conversion.argumentClass), ['buffer', 'buffer', 'buffer']);
  const printed = formatPrintf(format, [buffer, buffer, buffer]);
  assert.is(printed, afterBanner(recorded('printf_buffer', 'txt')).replace(/\n\n\n$/, '\n'));
  assert.is(jsonFormat().printf(printed).text, `${recorded('printf_buffer', 'json').split('\n')[1]}\n`);
  assert.is(formatPrintf(parseFormat('[%12r]').format, [{ kind: 'buffer', bytes: new Uint8Array([0x41, 0x00]) }]), '[       A\\x00]');
});

test('%s prints any value as print() would; %d takes booleans and enum symbols', () => {
  const format = parseFormat('%s %s %s %d %d %s').format;
  const tuple: Value = { kind: 'tuple', items: [int(1), str('a')] };
  const symbol: Value = { kind: 'symbol', text: 'ONE', numeric: 1n };
  assert.is(formatPrintf(format, [int(-5), tuple, { kind: 'boolean', value: true }, { kind: 'boolean', value: true }, symbol, symbol]), '-5 (1, a) true 1 1 ONE');
  assert.is(formatPrintf(parseFormat('%d').format, [str('x')]), '!{invalid integer conversion: x}');
});

test('parseFormat: conversions with their argument classes and offsets', () => {
  const { format, errors } = parseFormat('pid %-8d comm %16s %% buf %rx end %llu');
  assert.equal(errors, []);
  assert.equal(
    format.conversions.map((conversion) => [conversion.offset, conversion.length, conversion.specifier, conversion.argumentClass]),
    [
      [4, 4, 'd', 'integer'],
      [14, 4, 's', 'any'],
      [26, 3, 'rx', 'buffer'],
      [34, 4, 'u', 'integer'],
    ],
  );
  assert.equal(format.pieces[0], { kind: 'text', text: 'pid ' });
  assert.equal(format.pieces[4], { kind: 'text', text: ' % buf ' });
  const flags = format.conversions[0]!;
  assert.equal([flags.leftAlign, flags.zeroPad, flags.width, flags.precision, flags.lengthModifier], [true, false, 8, undefined, '']);
  assert.equal(parseFormat('no conversions, 100%%').format.conversions, []);
});

test('parseFormat reports bad conversions at their offset', () => {
  const cases: [string, number, number, RegExp][] = [
    ['a %f b', 2, 2, /floating-point/],
    ['x %5.2e', 2, 5, /floating-point/],
    ['end %', 4, 1, /incomplete/],
    ['%*d', 0, 2, /`\*` field width/],
    ['%.*s', 0, 3, /`\*` precision/],
    ['ok %d %ls', 6, 3, /length modifier 'l' cannot be used with %s/],
    ['%hc', 0, 3, /cannot be used with %c/],
    ['%Lf', 0, 2, /length modifier 'L'/],
    ['%y', 0, 2, /unknown conversion %y/],
    ['%qd', 0, 2, /length modifier 'q'/],
    ['%n', 0, 2, /%n is not supported/],
    ['%gr', 0, 3, /GFP/],
    ['%99999999d', 0, 10, /at most/],
    ['%lr', 0, 3, /cannot be used with %r/],
  ];
  for (const [format, offset, length, message] of cases) {
    const { errors } = parseFormat(format);
    assert.is(errors.length, 1, format);
    assert.is(errors[0]!.offset, offset, format);
    assert.is(errors[0]!.length, length, format);
    assert.match(errors[0]!.message, message);
  }
  const several = parseFormat('%d %y %s %z').errors;
  assert.equal(several.map((error) => error.offset), [3, 9]);
});

test.run();
