/** Checks and converts the text of number and string tokens. */
import type { DurationUnit } from './ast.js';

export type IntegerReading =
  | { ok: true; value: bigint; suffix?: string; unit?: DurationUnit }
  | { ok: false; message: string };

const maxUnsigned64 = (1n << 64n) - 1n;

const nanosecondsPer: Readonly<Record<DurationUnit, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

const integerSuffix = /^(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)$/;

function digitsValue(digits: string, radix: 2n | 8n | 10n | 16n): bigint {
  let value = 0n;
  for (const char of digits) {
    if (char === '_') continue;
    value = value * radix + BigInt(parseInt(char, 16));
  }
  return value;
}

/**
 * Reads a number token: `123`, `1_000`, `0x1f`, `0b101`, `017` (octal), `1e6`, with an optional C
 * suffix (`u`, `l`, `ul`, `ull`, ...) or, for decimals, a duration unit (`ns us ms s m h d`,
 * converted to nanoseconds).
 */
export function readInteger(text: string): IntegerReading {
  const invalid = (): IntegerReading => ({ ok: false, message: `invalid number '${text}'` });
  let match: RegExpExecArray | null;
  let value: bigint;
  let rest: string;
  let decimal = false;
  if ((match = /^0[xX]([0-9a-fA-F][0-9a-fA-F_]*)(.*)$/.exec(text))) {
    value = digitsValue(match[1]!, 16n);
    rest = match[2]!;
  } else if ((match = /^0[bB]([01][01_]*)(.*)$/.exec(text))) {
    value = digitsValue(match[1]!, 2n);
    rest = match[2]!;
  } else if ((match = /^0([0-9_]+)(.*)$/.exec(text))) {
    if (/[89]/.test(match[1]!)) return { ok: false, message: `invalid digit in octal number '${text}'` };
    value = digitsValue(match[1]!, 8n);
    rest = match[2]!;
  } else if ((match = /^([0-9][0-9_]*)(?:[eE]([0-9]+))?(.*)$/.exec(text))) {
    value = digitsValue(match[1]!, 10n);
    if (match[2] !== undefined) {
      const exponent = Number(match[2]);
      if (exponent > 20) return { ok: false, message: `number '${text}' does not fit in 64 bits` };
      value *= 10n ** BigInt(exponent);
    }
    rest = match[3]!;
    decimal = true;
  } else return invalid();

  let suffix: string | undefined;
  let unit: DurationUnit | undefined;
  if (rest !== '') {
    if (integerSuffix.test(rest)) suffix = rest;
    else if (decimal && Object.hasOwn(nanosecondsPer, rest)) {
      unit = rest as DurationUnit;
      value *= nanosecondsPer[unit];
    } else return invalid();
  }
  if (value > maxUnsigned64) return { ok: false, message: `number '${text}' does not fit in 64 bits` };
  return { ok: true, value, ...(suffix === undefined ? {} : { suffix }), ...(unit === undefined ? {} : { unit }) };
}

export interface StringProblem {
  /** Offset of the problem inside the token image (which includes the quotes). */
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

const simpleEscapes: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, '"': 34, '\\': 92, "'": 39, a: 7, b: 8, f: 12, v: 11, e: 27, '?': 63,
};

/**
 * Decodes a string token's image (quotes included, the closing one may be missing) into bytes, one
 * character per byte: escapes `\n \t \" \\ \xNN \NNN ...` decoded, other text UTF-8 encoded.
 */
export function readString(image: string): { value: string; problems: StringProblem[] } {
  const problems: StringProblem[] = [];
  const end = image.length >= 2 && image.endsWith('"') && !isEscapedQuote(image) ? image.length - 1 : image.length;
  let value = '';
  let index = 1;
  while (index < end) {
    const char = image[index]!;
    if (char !== '\\') {
      const code = image.codePointAt(index)!;
      const width = code > 0xffff ? 2 : 1;
      value += code < 0x80 ? char : utf8(image.slice(index, index + width));
      index += width;
      continue;
    }
    const next = image[index + 1];
    if (next === undefined || index + 1 >= end) {
      problems.push({ offset: index, length: 1, message: 'a string cannot end with a lone backslash' });
      break;
    }
    if (Object.hasOwn(simpleEscapes, next)) {
      value += String.fromCharCode(simpleEscapes[next]!);
      index += 2;
    } else if (next === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(image.slice(index + 2, end));
      if (!hex) {
        problems.push({ offset: index, length: 2, message: "expected hex digits after '\\x'" });
        index += 2;
      } else {
        value += String.fromCharCode(parseInt(hex[0], 16));
        index += 2 + hex[0].length;
      }
    } else if (next >= '0' && next <= '7') {
      const octal = /^[0-7]{1,3}/.exec(image.slice(index + 1, end))![0];
      const code = parseInt(octal, 8);
      if (code > 255) problems.push({ offset: index, length: 1 + octal.length, message: `octal escape '\\${octal}' is larger than a byte` });
      value += String.fromCharCode(code & 255);
      index += 1 + octal.length;
    } else {
      const width = (next.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
      problems.push({ offset: index, length: 1 + width, message: `unknown escape sequence '\\${image.slice(index + 1, index + 1 + width)}'` });
      index += 1 + width;
    }
  }
  return { value, problems };
}

/** True when the final quote of an image is itself escaped (`"abc\"`): the string is unterminated. */
function isEscapedQuote(image: string): boolean {
  let backslashes = 0;
  for (let index = image.length - 2; index >= 1 && image[index] === '\\'; index -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

function utf8(text: string): string {
  return String.fromCharCode(...Buffer.from(text, 'utf8'));
}
