// strftime() against C's strftime (glibc, via test/runtime/csnprintf) in several time zones, bpftrace's
// %f, and strerror texts against C's strerror.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errnoMessage } from '../../../src/runtime/output/errno-messages.js';
import { formatStrftime } from '../../../src/runtime/output/strftime.js';
import { hexField, runC } from './helpers.js';

const conversions = 'aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYz%'.split('').map((letter) => `%${letter}`);
// glibc pads %z with a width twice (`%3z` is `  -0500`, `%6z` `     -000500`); that is not mirrored or tested.
const withFlags = ['%-d', '%-m', '%_H', '%0e', '%^a', '%^B', '%#a', '%#B', '%#p', '%10Y', '%-j', '%_5m', '%5a', '%012c', '%-10D', '%^c', '%Ec', '%EY', '%Od', '%OH', '%_k', '%-l'];
const texts = ['[%Y-%m-%d %H:%M:%S]', 'literal text', '%Q and %_Q', '100%%', '%H:%M:%S %Z'];
const formats = [...conversions, ...withFlags, ...texts];

const instants = [
  1700000000, // Tue 2023-11-14 22:13:20 UTC
  1700006400, // Wed 2023-11-15 00:00:00 UTC
  1700049600, // Wed 2023-11-15 12:00:00 UTC
  1704067199, // Sun 2023-12-31 23:59:59 UTC: ISO week 52 of 2023
  1704067200, // Mon 2024-01-01 00:00:00 UTC: ISO week 1 of 2024
  1609459200, // Fri 2021-01-01: ISO week 53 of 2020
  1230768000, // Thu 2009-01-01
  1262304000, // Fri 2010-01-01: ISO week 53 of 2009
  951782400, // Tue 2000-02-29
  1711846800, // Sun 2024-03-31 01:00 UTC: a DST change day in Europe
  1710054000, // Sun 2024-03-10 07:00 UTC: the US DST change
  86400 * 3 + 3600 * 5, // 1970-01-04
];

function compareWithC(zone: string, formatList: readonly string[]): void {
  process.env['TZ'] = zone;
  const lines: string[] = [];
  for (const instant of instants) for (const format of formatList) lines.push(`tm ${hexField(format)} ${instant}`);
  const expected = runC(lines, { TZ: zone });
  let index = 0;
  for (const instant of instants) {
    for (const format of formatList) {
      const ours = formatStrftime(format, BigInt(instant) * 1_000_000_000n + 123_456_789n, { microseconds: false });
      assert.is(ours, expected[index++], `${zone} ${instant} ${JSON.stringify(format)}`);
    }
  }
}

test('every C conversion, with glibc flags and widths, matches strftime in UTC', () => {
  compareWithC('UTC', formats);
});

test('matches strftime in America/New_York, with daylight saving time', () => {
  compareWithC('America/New_York', formats);
});

test('matches strftime in Asia/Kolkata (half-hour offset)', () => {
  compareWithC('Asia/Kolkata', formats);
});

test('matches strftime in Australia/Sydney (southern daylight saving time)', () => {
  compareWithC('Australia/Sydney', formats);
});

test('matches strftime in Europe/Berlin', () => {
  compareWithC('Europe/Berlin', formats);
});

test('%f is the microseconds of the timestamp, zero-padded to 6 digits', () => {
  process.env['TZ'] = 'UTC';
  const [seconds] = runC([`tm ${hexField('%H:%M:%S')} 1700000000`], { TZ: 'UTC' });
  assert.is(formatStrftime('%H:%M:%S.%f', 1_700_000_000_000_001_999n), `${seconds}.000001`);
  assert.is(formatStrftime('%s.%f', 123_000n), '0.000123');
  assert.is(formatStrftime('%s.%f', 1_000_123_000n), '1.000123');
  assert.is(formatStrftime('%%f %f', 999_999_999n), '%f 999999');
  // time() uses C's strftime, where %f is not a conversion.
  const [plain] = runC([`tm ${hexField('%f|%H')} 0`], { TZ: 'UTC' });
  assert.is(formatStrftime('%f|%H', 0n, { microseconds: false }), plain);
});

test('a result that is empty or does not fit the buffer prints (?), as bpftrace does', () => {
  assert.is(formatStrftime('', 0n, { bufferSize: 64 }), '(?)');
  assert.is(formatStrftime('%Y', 0n, { bufferSize: 4 }), '(?)');
  process.env['TZ'] = 'UTC';
  assert.is(formatStrftime('%Y', 0n, { bufferSize: 5 }), '1970');
});

test("strerror texts match the C library's", () => {
  const numbers = Array.from({ length: 140 }, (_, index) => index + 1).concat([524]);
  const expected = runC(numbers.map((errno) => `err ${errno}`));
  numbers.forEach((errno, index) => assert.is(errnoMessage(errno), expected[index], `errno ${errno}`));
});

test.run();
