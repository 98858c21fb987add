// strftime() and time(): C's strftime in the C locale (with glibc's extensions: `%k %l %P %s`, the
// flags `_ - 0 ^ #` and a field width, e.g. `%-d`, `%_H`, `%10Y`), in the process's local time
// zone (TZ), plus bpftrace's `%f`: microseconds, six digits (today's bpftrace, src/bpftrace.cpp
// format_timestamp, which also rewrites `%k`/`%l` to nano/milliseconds; that is undocumented and
// shadows glibc's hour conversions, so here they keep their C meaning). Unknown conversions are
// copied as written, as glibc does. `%Z` reads the zone's TZif file like the C library (see
// ./time-zone-names.ts). glibc's double padding of `%z` with a width (`%6z`) is not mirrored.

import { zoneAbbreviation } from './time-zone-names.js';

export interface StrftimeOptions {
  /** Expand `%f` to microseconds (strftime()); time() uses plain C strftime. Default true. */
  microseconds?: boolean;
  /**
   * bpftrace formats into a buffer of this many bytes (max_strlen) and prints `(?)` when the result
   * does not fit or is empty, as C's strftime then returns 0. Default: no limit.
   */
  bufferSize?: number;
}

/** time()'s format when called without one. */
export const defaultTimeFormat = '%H:%M:%S\n';

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Fields {
  date: Date;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yearDay: number;
  epochSeconds: bigint;
  microseconds: number;
  offsetMinutes: number;
}

/** Formats `epochNs` (nanoseconds since the Unix epoch, wall clock) in local time. */
export function formatStrftime(format: string, epochNs: bigint, options: StrftimeOptions = {}): string {
  const fields = breakDown(epochNs);
  const text = expand(format, fields, options.microseconds ?? true, false);
  if (options.bufferSize !== undefined && (text.length === 0 || Buffer.byteLength(text) >= options.bufferSize)) return '(?)';
  return text;
}

function breakDown(epochNs: bigint): Fields {
  const second = 1_000_000_000n;
  let epochSeconds = epochNs / second;
  let remainder = epochNs % second;
  if (remainder < 0n) {
    remainder += second;
    epochSeconds -= 1n;
  }
  const date = new Date(Number(epochSeconds) * 1000);
  const year = date.getFullYear();
  const month = date.getMonth();
  const day = date.getDate();
  const yearDay = Math.round((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000);
  return {
    date,
    year,
    month,
    day,
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
    weekday: date.getDay(),
    yearDay,
    epochSeconds,
    microseconds: Number(remainder / 1000n),
    offsetMinutes: -date.getTimezoneOffset(),
  };
}

function expand(format: string, fields: Fields, microseconds: boolean, upperCase: boolean): string {
  let text = '';
  let position = 0;
  while (position < format.length) {
    const percent = format.indexOf('%', position);
    if (percent === -1) {
      text += format.slice(position);
      break;
    }
    text += format.slice(position, percent);
    if (microseconds && format[percent + 1] === 'f') {
      text += String(fields.microseconds).padStart(6, '0');
      position = percent + 2;
      continue;
    }
    let cursor = percent + 1;
    let padding: string | undefined;
    let upper = upperCase;
    let swapCase = false;
    for (; cursor < format.length; cursor++) {
      const flag = format[cursor];
      if (flag === '_' || flag === '-' || flag === '0' || flag === '+') padding = flag;
      else if (flag === '^') upper = true;
      else if (flag === '#') swapCase = true;
      else break;
    }
    let width = -1;
    const widthStart = cursor;
    while (cursor < format.length && format.charCodeAt(cursor) >= 48 && format.charCodeAt(cursor) <= 57) cursor++;
    if (cursor > widthStart) width = Number(format.slice(widthStart, cursor));
    if (format[cursor] === 'E' || format[cursor] === 'O') cursor++;
    const letter = format[cursor];
    if (letter === undefined) {
      text += format.slice(percent);
      break;
    }
    cursor++;
    const spec: Spec = { padding, width, upper, swapCase, microseconds };
    const converted = convert(letter, fields, spec);
    text += converted ?? format.slice(percent, cursor);
    position = cursor;
  }
  return text;
}

interface Spec {
  padding: string | undefined;
  width: number;
  upper: boolean;
  swapCase: boolean;
  microseconds: boolean;
}

function convert(letter: string, fields: Fields, spec: Spec): string | undefined {
  const hour12 = fields.hour % 12 === 0 ? 12 : fields.hour % 12;
  switch (letter) {
    case 'a':
      return word(weekdays[fields.weekday]!.slice(0, 3), spec, true);
    case 'A':
      return word(weekdays[fields.weekday]!, spec, true);
    case 'b':
    case 'h':
      return word(months[fields.month]!.slice(0, 3), spec, true);
    case 'B':
      return word(months[fields.month]!, spec, true);
    case 'p':
      return word(fields.hour < 12 ? 'AM' : 'PM', spec, false);
    case 'P':
      return word(fields.hour < 12 ? 'am' : 'pm', spec, false);
    case 'Z':
      return word(zoneAbbreviation(fields.date, Number(fields.epochSeconds), fields.offsetMinutes * 60), spec, false);
    case 'c':
      return composite('%a %b %e %H:%M:%S %Y', fields, spec);
    case 'D':
    case 'x':
      return composite('%m/%d/%y', fields, spec);
    case 'F':
      return composite('%Y-%m-%d', fields, spec);
    case 'r':
      return composite('%I:%M:%S %p', fields, spec);
    case 'R':
      return composite('%H:%M', fields, spec);
    case 'T':
    case 'X':
      return composite('%H:%M:%S', fields, spec);
    case 'n':
      return word('\n', spec, false);
    case 't':
      return word('\t', spec, false);
    case '%':
      return word('%', spec, false);
    case 'C':
      return number(Math.floor(fields.year / 100), 2, '0', spec);
    case 'd':
      return number(fields.day, 2, '0', spec);
    case 'e':
      return number(fields.day, 2, '_', spec);
    case 'g':
      return number(((isoWeek(fields).year % 100) + 100) % 100, 2, '0', spec);
    case 'G':
      return number(isoWeek(fields).year, 4, '0', spec);
    case 'H':
      return number(fields.hour, 2, '0', spec);
    case 'I':
      return number(hour12, 2, '0', spec);
    case 'j':
      return number(fields.yearDay + 1, 3, '0', spec);
    case 'k':
      return number(fields.hour, 2, '_', spec);
    case 'l':
      return number(hour12, 2, '_', spec);
    case 'm':
      return number(fields.month + 1, 2, '0', spec);
    case 'M':
      return number(fields.minute, 2, '0', spec);
    case 's':
      return number(fields.epochSeconds, 1, '0', spec);
    case 'S':
      return number(fields.second, 2, '0', spec);
    case 'u':
      return number(fields.weekday === 0 ? 7 : fields.weekday, 1, '0', spec);
    case 'U':
      return number(Math.floor((fields.yearDay + 7 - fields.weekday) / 7), 2, '0', spec);
    case 'V':
      return number(isoWeek(fields).week, 2, '0', spec);
    case 'w':
      return number(fields.weekday, 1, '0', spec);
    case 'W':
      return number(Math.floor((fields.yearDay + 7 - ((fields.weekday + 6) % 7)) / 7), 2, '0', spec);
    case 'y':
      return number(((fields.year % 100) + 100) % 100, 2, '0', spec);
    case 'Y':
      return number(fields.year, 4, '0', spec);
    case 'z':
      return zoneOffset(fields.offsetMinutes, spec);
    default:
      return undefined;
  }
}

/** A number padded to its usual digits (or the given width) with its usual fill, unless a flag says otherwise. */
function number(value: number | bigint, digits: number, fill: '0' | '_', spec: Spec): string {
  const negative = value < 0;
  const magnitude = (negative ? -value : value).toString();
  const sign = negative ? '-' : '';
  // `-` drops the usual zeros or spaces, but glibc still fills an explicit width with spaces.
  if (spec.padding === '-') return (sign + magnitude).padStart(spec.width, ' ');
  const size = Math.max(digits, spec.width) - sign.length;
  const padding = spec.padding ?? fill;
  if (padding === '_') return (sign + magnitude).padStart(size + sign.length, ' ');
  return sign + magnitude.padStart(size, '0');
}

/** Text fields: `^` upper-cases; `#` upper-cases names and lower-cases AM/PM and zone names. */
function word(value: string, spec: Spec, swapUpper: boolean): string {
  let text = value;
  if (spec.swapCase) text = swapUpper ? text.toUpperCase() : text.toLowerCase();
  else if (spec.upper) text = text.toUpperCase();
  return padded(text, spec);
}

function composite(format: string, fields: Fields, spec: Spec): string {
  return padded(expand(format, fields, spec.microseconds, spec.upper), spec);
}

function padded(text: string, spec: Spec): string {
  if (text.length >= spec.width) return text;
  const fill = spec.padding === '0' || spec.padding === '+' ? '0' : ' ';
  return fill.repeat(spec.width - text.length) + text;
}

function zoneOffset(offsetMinutes: number, spec: Spec): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  const digits = Math.floor(magnitude / 60) * 100 + (magnitude % 60);
  if (spec.padding === '-') return sign + String(digits);
  const fill = spec.padding === '_' ? ' ' : '0';
  const body = String(digits);
  const size = Math.max(4, spec.width - 1);
  return fill === '0' ? sign + body.padStart(size, '0') : (sign + body).padStart(size + 1, ' ');
}

// ISO 8601 week: weeks start on Monday, week 1 holds the year's first Thursday.
function isoWeek(fields: Fields): { year: number; week: number } {
  const isoWeekday = (fields.weekday + 6) % 7;
  const thursdayYearDay = fields.yearDay - isoWeekday + 3;
  const daysInYear = (year: number): number => ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365);
  if (thursdayYearDay < 0) {
    const previous = fields.year - 1;
    return { year: previous, week: Math.floor((thursdayYearDay + daysInYear(previous)) / 7) + 1 };
  }
  if (thursdayYearDay >= daysInYear(fields.year)) return { year: fields.year + 1, week: 1 };
  return { year: fields.year, week: Math.floor(thursdayYearDay / 7) + 1 };
}
