// printf format strings: parsed once (by the type checker, which reports errors at the offending
// conversion), formatted per event by ./printf.ts.
//
// Accepted: C's `%[flags][width][.precision][length]conversion` with flags `- + space # 0` in any
// order, length modifiers `hh h l ll j z t`, conversions `d i u o x X c p s` and bpftrace's `%r`,
// `%rx`, `%rh` for buffers; `%%` is a literal percent. Not accepted, each reported as an error:
// `*` width or precision (today's bpftrace parses it but ignores it, 0.17 rejects it), floating-point
// conversions and `%n` (bpftrace has no floats, and rejects them), `L`/`q` lengths, `%gr` (GFP
// flags), and length modifiers on `%s %c %r`.

export type ArgumentClass =
  /** d i u o x X c p: any integer (booleans, enums and pointers too). */
  | 'integer'
  /** r rx rh: a buffer from buf(). */
  | 'buffer'
  /** s: any value, printed as print() would. */
  | 'any';

export type LengthModifier = '' | 'hh' | 'h' | 'l' | 'll' | 'j' | 'z' | 't';
export type Specifier = 'd' | 'i' | 'u' | 'o' | 'x' | 'X' | 'c' | 'p' | 's' | 'r' | 'rx' | 'rh';

export interface Conversion {
  kind: 'conversion';
  /** Offset of the `%` in the format string, and the length of the whole conversion. */
  offset: number;
  length: number;
  leftAlign: boolean;
  forceSign: boolean;
  spaceSign: boolean;
  alternate: boolean;
  zeroPad: boolean;
  width: number | undefined;
  precision: number | undefined;
  lengthModifier: LengthModifier;
  specifier: Specifier;
  argumentClass: ArgumentClass;
}

export type FormatPiece = { kind: 'text'; text: string } | Conversion;

export interface ParsedFormat {
  source: string;
  /** Literal text (with `%%` already turned into `%`) and conversions, in order. */
  pieces: FormatPiece[];
  /** The conversions alone: one argument each. */
  conversions: Conversion[];
}

export interface FormatError {
  /** Character offset of the bad conversion's `%` in the format string, and its length. */
  offset: number;
  length: number;
  message: string;
}

export interface ParseFormatResult {
  format: ParsedFormat;
  errors: FormatError[];
}

/** Largest width or precision accepted: C allows more, but a huge field is a mistake, not output. */
export const maxFieldSize = 65535;

const integerSpecifiers = new Set(['d', 'i', 'u', 'o', 'x', 'X', 'c', 'p']);
const floatSpecifiers = new Set(['e', 'E', 'f', 'F', 'g', 'G', 'a', 'A']);

export function parseFormat(source: string): ParseFormatResult {
  const pieces: FormatPiece[] = [];
  const conversions: Conversion[] = [];
  const errors: FormatError[] = [];
  let text = '';
  let position = 0;
  while (position < source.length) {
    const percent = source.indexOf('%', position);
    if (percent === -1) {
      text += source.slice(position);
      break;
    }
    text += source.slice(position, percent);
    const scanned = scanConversion(source, percent);
    position = percent + scanned.length;
    if (scanned.kind === 'percent') {
      text += '%';
    } else if (scanned.kind === 'error') {
      errors.push({ offset: percent, length: scanned.length, message: scanned.message });
    } else {
      if (text) pieces.push({ kind: 'text', text });
      text = '';
      pieces.push(scanned.conversion);
      conversions.push(scanned.conversion);
    }
  }
  if (text) pieces.push({ kind: 'text', text });
  return { format: { source, pieces, conversions }, errors };
}

type Scanned =
  | { kind: 'conversion'; length: number; conversion: Conversion }
  | { kind: 'percent'; length: number }
  | { kind: 'error'; length: number; message: string };

function scanConversion(source: string, start: number): Scanned {
  let position = start + 1;
  const flags = { leftAlign: false, forceSign: false, spaceSign: false, alternate: false, zeroPad: false };
  for (; position < source.length; position++) {
    const flag = source[position];
    if (flag === '-') flags.leftAlign = true;
    else if (flag === '+') flags.forceSign = true;
    else if (flag === ' ') flags.spaceSign = true;
    else if (flag === '#') flags.alternate = true;
    else if (flag === '0') flags.zeroPad = true;
    else break;
  }
  const error = (message: string): Scanned => ({ kind: 'error', length: Math.max(1, position - start), message });
  if (source[position] === '*') {
    position++;
    return error('a `*` field width is not supported in printf formats; write the width as a number');
  }
  const width = scanNumber(source, position);
  position += width.digits;
  let precision: number | undefined;
  if (source[position] === '.') {
    position++;
    if (source[position] === '*') {
      position++;
      return error('a `*` precision is not supported in printf formats; write the precision as a number');
    }
    const scanned = scanNumber(source, position);
    position += scanned.digits;
    precision = scanned.value ?? 0;
  }
  let lengthModifier: LengthModifier = '';
  const two = source.slice(position, position + 2);
  if (two === 'hh' || two === 'll') lengthModifier = two;
  else if ('hljzt'.includes(source[position] ?? '.')) lengthModifier = source[position] as LengthModifier;
  position += lengthModifier.length;
  if (source[position] === 'L' || source[position] === 'q') {
    position++;
    return error(`length modifier '${source[position - 1]}' is not supported in printf formats`);
  }
  const letter = source[position];
  if (letter === undefined) return error('incomplete conversion at the end of the format string');
  position++;
  if (letter === '%') return { kind: 'percent', length: position - start };
  let specifier: Specifier;
  if (letter === 'r') {
    const next = source[position];
    specifier = next === 'x' || next === 'h' ? (`r${next}` as Specifier) : 'r';
    position += specifier.length - 1;
  } else if (integerSpecifiers.has(letter) || letter === 's') {
    specifier = letter as Specifier;
  } else if (letter === 'g' && source[position] === 'r') {
    position++;
    return error('%gr (GFP flags) is not supported');
  } else if (floatSpecifiers.has(letter)) {
    return error(`%${letter} is not supported: bpftrace has no floating-point values`);
  } else if (letter === 'n') {
    return error('%n is not supported');
  } else {
    return error(`unknown conversion %${letter} in printf format`);
  }
  if ((width.value ?? 0) > maxFieldSize || (precision ?? 0) > maxFieldSize) {
    return error(`field width and precision must be at most ${maxFieldSize}`);
  }
  const argumentClass: ArgumentClass = specifier === 's' ? 'any' : specifier.startsWith('r') ? 'buffer' : 'integer';
  if (lengthModifier && (argumentClass !== 'integer' || specifier === 'c')) {
    return error(`length modifier '${lengthModifier}' cannot be used with %${specifier}`);
  }
  const conversion: Conversion = {
    kind: 'conversion',
    offset: start,
    length: position - start,
    ...flags,
    width: width.value,
    precision,
    lengthModifier,
    specifier,
    argumentClass,
  };
  return { kind: 'conversion', length: position - start, conversion };
}

function scanNumber(source: string, start: number): { value: number | undefined; digits: number } {
  let position = start;
  while (position < source.length && source.charCodeAt(position) >= 48 && source.charCodeAt(position) <= 57) position++;
  if (position === start) return { value: undefined, digits: 0 };
  // Capped so a long digit run stays a finite number and is reported as too large.
  return { value: Number(source.slice(start, Math.min(position, start + 9))), digits: position - start };
}
