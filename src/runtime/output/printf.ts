// printf with the C library's semantics, applied to bpftrace's 64-bit values (bpftrace 0.17 called
// snprintf with each value; today's bpftrace converts the same way before printing):
// the argument is first converted to the C type its conversion names — `%d` int, `%ld`/`%lld`/`%jd`/
// `%zd`/`%td` 64-bit, `%hd` short, `%hhd` signed char, `%u %o %x %X` their unsigned twins, `%c`
// unsigned char, `%p` a 64-bit pointer — and then printed. So `%u` of -1 prints 4294967295 and
// `%lu` of -1 18446744073709551615, `%hhx` of 0x1234 prints 34, `%d` of 0xffffffff prints -1.
// Widths and precisions of `%s` count bytes (UTF-8), as C does.

import { hexFormatBuffer, formatValue, unreachable } from './value-text.js';
import type { Conversion, LengthModifier, ParsedFormat } from '../../model/format-string.js';
import type { Value } from './values.js';

/**
 * Formats one printf record. `args` are the decoded arguments, one per conversion; a value that a
 * conversion cannot print is shown inline as `!{...}`, as today's bpftrace does, rather than thrown.
 */
export function formatPrintf(format: ParsedFormat, args: readonly Value[]): string {
  let text = '';
  let argument = 0;
  for (const piece of format.pieces) {
    if (piece.kind === 'text') {
      text += piece.text;
      continue;
    }
    const value = args[argument++];
    text += value === undefined ? '!{missing argument}' : formatConversion(piece, value);
  }
  return text;
}

export function formatConversion(conversion: Conversion, value: Value): string {
  switch (conversion.specifier) {
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
    case 'p':
    case 'c': {
      const raw = integerOf(value);
      if (raw === undefined) return `!{invalid integer conversion: ${formatValue(value)}}`;
      if (conversion.specifier === 'c') return pad(conversion, String.fromCharCode(Number(BigInt.asUintN(8, raw))));
      if (conversion.specifier === 'p') return formatPointer(conversion, BigInt.asUintN(64, raw));
      return formatInteger(conversion, raw);
    }
    case 's':
      return formatString(conversion, formatValue(value));
    case 'r':
    case 'rx':
    case 'rh': {
      if (value.kind !== 'buffer') return formatString(conversion, formatValue(value));
      const keepAscii = conversion.specifier === 'r';
      const escapeHex = conversion.specifier !== 'rh';
      return formatString(conversion, hexFormatBuffer(value.bytes, keepAscii, escapeHex));
    }
    default:
      return unreachable(conversion.specifier);
  }
}

function integerOf(value: Value): bigint | undefined {
  switch (value.kind) {
    case 'integer':
      return value.value;
    case 'boolean':
      return value.value ? 1n : 0n;
    case 'symbol':
      return value.numeric;
    default:
      return undefined;
  }
}

function bitsOf(lengthModifier: LengthModifier): number {
  switch (lengthModifier) {
    case 'hh':
      return 8;
    case 'h':
      return 16;
    case '':
      return 32;
    case 'l':
    case 'll':
    case 'j':
    case 'z':
    case 't':
      return 64;
    default:
      return unreachable(lengthModifier);
  }
}

function formatInteger(conversion: Conversion, raw: bigint): string {
  const bits = bitsOf(conversion.lengthModifier);
  const signedConversion = conversion.specifier === 'd' || conversion.specifier === 'i';
  const value = signedConversion ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let digits: string;
  let prefix = '';
  switch (conversion.specifier) {
    case 'o':
      digits = magnitude.toString(8);
      break;
    case 'x':
      digits = magnitude.toString(16);
      if (conversion.alternate && value !== 0n) prefix = '0x';
      break;
    case 'X':
      digits = magnitude.toString(16).toUpperCase();
      if (conversion.alternate && value !== 0n) prefix = '0X';
      break;
    default:
      digits = magnitude.toString(10);
  }
  if (signedConversion) prefix = negative ? '-' : conversion.forceSign ? '+' : conversion.spaceSign ? ' ' : '';
  return padNumber(conversion, prefix, applyPrecision(conversion, digits, value === 0n));
}

function applyPrecision(conversion: Conversion, digits: string, zero: boolean): string {
  const { precision } = conversion;
  let result = digits;
  if (precision !== undefined) result = precision === 0 && zero ? '' : digits.padStart(precision, '0');
  // `#` with %o makes the first digit a zero, adding one only when needed.
  if (conversion.specifier === 'o' && conversion.alternate && !result.startsWith('0')) result = `0${result}`;
  return result;
}

// glibc prints %p as %#lx, keeping the sign flags, and a null pointer as `(nil)`.
function formatPointer(conversion: Conversion, address: bigint): string {
  if (address === 0n) return pad({ ...conversion, zeroPad: false }, '(nil)');
  const sign = conversion.forceSign ? '+' : conversion.spaceSign ? ' ' : '';
  return padNumber(conversion, `${sign}0x`, applyPrecision(conversion, address.toString(16), false));
}

function padNumber(conversion: Conversion, prefix: string, digits: string): string {
  const width = conversion.width ?? 0;
  const length = prefix.length + digits.length;
  if (length >= width) return prefix + digits;
  if (conversion.leftAlign) return prefix + digits + ' '.repeat(width - length);
  // The `0` flag pads between the sign or 0x and the digits, unless a precision is given.
  if (conversion.zeroPad && conversion.precision === undefined) return prefix + '0'.repeat(width - length) + digits;
  return ' '.repeat(width - length) + prefix + digits;
}

function formatString(conversion: Conversion, text: string): string {
  const { precision } = conversion;
  if (!nonAscii.test(text)) {
    return pad(conversion, precision !== undefined && text.length > precision ? text.slice(0, precision) : text);
  }
  let bytes = Buffer.from(text, 'utf8');
  if (precision !== undefined && bytes.length > precision) bytes = bytes.subarray(0, precision);
  const width = conversion.width ?? 0;
  const body = bytes.toString('utf8');
  if (bytes.length >= width) return body;
  const padding = ' '.repeat(width - bytes.length);
  return conversion.leftAlign ? body + padding : padding + body;
}

const nonAscii = /[^\x00-\x7f]/;

/** Width for %s, %c and (nil): spaces, on the right when left-aligned (glibc ignores `0` here). */
function pad(conversion: Conversion, text: string): string {
  const width = conversion.width ?? 0;
  if (text.length >= width) return text;
  const padding = ' '.repeat(width - text.length);
  return conversion.leftAlign ? text + padding : padding + text;
}
