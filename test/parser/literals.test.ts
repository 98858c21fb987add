import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readInteger, readString } from '../../src/parser/literals.js';
import { expressionOf, parseErrors, textOf, withoutSpans } from './helpers.js';

function integer(text: string): Record<string, unknown> {
  const expression = expressionOf(text);
  assert.is(expression.kind, 'integer', text);
  return withoutSpans(expression) as unknown as Record<string, unknown>;
}

test('decimal, hex, octal and binary integers, with _ separators', () => {
  assert.equal(integer('42'), { kind: 'integer', value: 42n, text: '42' });
  assert.is(integer('0x1F')['value'], 31n);
  assert.is(integer('0Xff_ff')['value'], 0xffffn);
  assert.is(integer('010')['value'], 8n);
  assert.is(integer('0')['value'], 0n);
  assert.is(integer('0b1011')['value'], 11n);
  assert.is(integer('1_000_000')['value'], 1_000_000n);
  assert.is(integer('18446744073709551615')['value'], 18446744073709551615n);
});

test('scientific notation is an integer', () => {
  assert.is(integer('1e6')['value'], 1_000_000n);
  assert.is(integer('5E3')['value'], 5000n);
  assert.is(integer('1e0')['value'], 1n);
});

test('C integer suffixes are kept', () => {
  for (const suffix of ['u', 'U', 'l', 'L', 'ul', 'UL', 'lu', 'll', 'LL', 'ull', 'ULL', 'llu']) {
    const literal = integer(`10${suffix}`);
    assert.equal([literal['value'], literal['suffix']], [10n, suffix], suffix);
  }
  assert.equal([integer('0xffu')['value'], integer('0xffu')['suffix']], [255n, 'u']);
});

test('duration units convert to nanoseconds', () => {
  const cases: Array<[string, bigint, string]> = [
    ['5ns', 5n, 'ns'],
    ['10us', 10_000n, 'us'],
    ['100ms', 100_000_000n, 'ms'],
    ['1s', 1_000_000_000n, 's'],
    ['2m', 120_000_000_000n, 'm'],
    ['1h', 3_600_000_000_000n, 'h'],
    ['1d', 86_400_000_000_000n, 'd'],
    ['1_500ms', 1_500_000_000n, 'ms'],
  ];
  for (const [text, value, unit] of cases) {
    const literal = integer(text);
    assert.equal([literal['value'], literal['unit'], literal['text']], [value, unit, text], text);
  }
});

test('malformed numbers are diagnosed on the number', () => {
  const cases: Array<[string, string]> = [
    ['12abc', "invalid number '12abc'"],
    ['0x', "invalid number '0x'"],
    ['09', "invalid digit in octal number '09'"],
    ['0b102', "invalid number '0b102'"],
    ['18446744073709551616', "number '18446744073709551616' does not fit in 64 bits"],
    ['1e30', "number '1e30' does not fit in 64 bits"],
    ['0x10ms', "invalid number '0x10ms'"],
  ];
  for (const [text, message] of cases) {
    const source = `BEGIN { $x = ${text}; }`;
    const diagnostics = parseErrors(source);
    assert.is(diagnostics[0]!.message, message, text);
    assert.is(textOf(source, diagnostics[0]!.span), text);
  }
});

test('floating-point numbers are refused with a clear message', () => {
  const source = 'BEGIN { $x = 1.5; }';
  const diagnostics = parseErrors(source);
  assert.is(diagnostics[0]!.message, 'floating-point numbers are not supported');
  assert.is(textOf(source, diagnostics[0]!.span), '1.5');
});

test('strings decode C escapes', () => {
  const string = (text: string) => withoutSpans(expressionOf(text));
  assert.equal(string('"plain"'), { kind: 'string', value: 'plain' });
  assert.equal(string('"a\\nb\\tc\\"d\\\\e"'), { kind: 'string', value: 'a\nb\tc"d\\e' });
  assert.equal(string('"\\x41\\x4a\\101\\0"'), { kind: 'string', value: 'AJA\0' });
  assert.equal(string('"\\r\\a\\b\\f\\v\\e\\\'"'), { kind: 'string', value: "\r\x07\b\f\v\x1b'" });
  assert.equal(string('"\\xff\\377"'), { kind: 'string', value: '\xff\xff' });
  assert.equal(string('""'), { kind: 'string', value: '' });
});

test('non-ASCII text is stored as its UTF-8 bytes', () => {
  assert.equal(withoutSpans(expressionOf('"é€"')), { kind: 'string', value: '\xc3\xa9\xe2\x82\xac' });
});

test('booleans', () => {
  assert.equal(withoutSpans(expressionOf('true')), { kind: 'boolean', value: true });
  assert.equal(withoutSpans(expressionOf('false')), { kind: 'boolean', value: false });
});

test('bad escapes and unterminated strings are diagnosed', () => {
  let source = 'BEGIN { $x = "a\\qb"; }';
  let diagnostics = parseErrors(source);
  assert.is(diagnostics[0]!.message, "unknown escape sequence '\\q'");
  assert.is(textOf(source, diagnostics[0]!.span), '\\q');
  source = 'BEGIN { $x = "\\xg"; }';
  assert.is(parseErrors(source)[0]!.message, "expected hex digits after '\\x'");
  source = 'BEGIN { $x = "\\777"; }';
  assert.is(parseErrors(source)[0]!.message, "octal escape '\\777' is larger than a byte");
  source = 'BEGIN {\n  $x = "abc\n}';
  diagnostics = parseErrors(source);
  assert.is(diagnostics[0]!.message, 'unterminated string: missing "');
  assert.is(textOf(source, diagnostics[0]!.span), '"abc');
});

test('readInteger and readString directly', () => {
  assert.equal(readInteger('0x10'), { ok: true, value: 16n });
  assert.equal(readInteger('7ull'), { ok: true, value: 7n, suffix: 'ull' });
  assert.equal(readInteger('3ms'), { ok: true, value: 3_000_000n, unit: 'ms' });
  assert.is(readInteger('1.5').ok, false);
  assert.equal(readString('"\\x41"'), { value: 'A', problems: [] });
  assert.equal(readString('"abc'), { value: 'abc', problems: [] });
  assert.equal(readString('"a\\"'), { value: 'a"', problems: [] });
});

test.run();
