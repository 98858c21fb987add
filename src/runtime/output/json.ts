// bpftrace's JSON output (`-f json`): one object per line, `{"type": T, "data": D}`, following
// today's src/output/json.cpp:
// - integers a double cannot hold exactly are strings (`"18446744073709551615"`);
// - tuples and arrays are `[1,"a"]` (no spaces), records and maps `{"a": 1, "b": 2}` (spaced);
// - map keys are the key's text with a tuple's parentheses and every space removed (`"bpftrace,2"`);
// - a symbol (enum member, pointer) is its number, a stack its text, a buffer its bytes as signed chars;
// - hist entries are `{"min": lo, "max": hi, "count": n}` with closed bounds, `min` absent on the
//   underflow bucket and `max` absent on the overflow bucket; type `hist` for hist/lhist maps,
//   `stats` for avg/stats maps (an avg is its number), else `map`; an empty map is not printed.
// Strings escape `"` `\` and control characters like bpftrace (`\n \r \t`, else `\u00XX`), and keep
// other characters as they are (bpftrace mangles bytes >= 0x80 into invalid `\uffffff..` escapes).

import type { Histogram, HistogramLabel } from './histogram.js';
import { layoutMap, type LaidOutMap, type LaidOutValue, type PrintOptions } from './map-layout.js';
import { keyText } from './map-text.js';
import { formatStack, unreachable } from './value-text.js';
import type { MapDump, Value } from './values.js';

export function jsonString(text: string): string {
  let escaped = '"';
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code !== 0x22 && code !== 0x5c) continue;
    escaped += text.slice(start, index);
    start = index + 1;
    if (code === 0x22) escaped += '\\"';
    else if (code === 0x5c) escaped += '\\\\';
    else if (code === 0x0a) escaped += '\\n';
    else if (code === 0x0d) escaped += '\\r';
    else if (code === 0x09) escaped += '\\t';
    else escaped += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${escaped}${text.slice(start)}"`;
}

/** An integer as a JSON number, or as a string when a double would not hold it exactly. */
export function jsonInteger(value: bigint): string {
  const text = value.toString();
  return BigInt(Number(value)) === value ? text : `"${text}"`;
}

export function jsonValue(value: Value): string {
  switch (value.kind) {
    case 'integer':
      return jsonInteger(value.value);
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'string':
      return jsonString(value.value);
    case 'buffer':
      return `[${Array.from(value.bytes, (byte) => (byte > 127 ? byte - 256 : byte)).join(',')}]`;
    case 'tuple':
    case 'array':
      return `[${value.items.map(jsonValue).join(',')}]`;
    case 'record':
      return `{${value.fields.map((field) => `${jsonString(field.name)}: ${jsonValue(field.value)}`).join(', ')}}`;
    case 'stack':
      return jsonString(formatStack(value.frames, value.mode));
    case 'symbol':
      return value.numeric === undefined ? jsonString(value.text) : jsonInteger(BigInt.asUintN(64, value.numeric));
    case 'none':
      return 'null';
    default:
      return unreachable(value);
  }
}

export function jsonHistogram(histogram: Histogram): string {
  const buckets: string[] = [];
  const { labels, lowerBound, counts } = histogram;
  for (let index = 0; index < counts.length; index++) {
    let bucket = '{';
    const lower = index === 0 ? lowerBound : labels[index - 1];
    if (lower) bucket += `"min": ${jsonLabel(lower)}, `;
    const upper = labels[index];
    if (upper) bucket += `"max": ${jsonInteger(oneLess(upper))}, `;
    buckets.push(`${bucket}"count": ${counts[index]!}}`);
  }
  return `[${buckets.join(',')}]`;
}

// A plain label is bpftrace's int64, a suffixed one its uint64 Symbolic; the closed upper bound is
// one less, computed in int64 as bpftrace does.
function jsonLabel(label: HistogramLabel): string {
  return jsonInteger(label.plain ? BigInt.asIntN(64, label.numeric) : BigInt.asUintN(64, label.numeric));
}

function oneLess(label: HistogramLabel): bigint {
  return BigInt.asIntN(64, label.numeric - 1n);
}

/** One NDJSON line (with its newline), as bpftrace's emit_data writes it. */
export function jsonMessage(type: string, data: string, name?: string): string {
  const body = name === undefined ? data : `{${jsonString(name)}: ${data}}`;
  return `{"type": ${jsonString(type)}, "data": ${body}}\n`;
}

/** print(@m) / exit output of one map: its line, or '' for an empty map, which bpftrace skips. */
export function jsonMap(dump: MapDump, options: PrintOptions = {}): string {
  return jsonLaidOutMap(layoutMap(dump, options));
}

function jsonLaidOutMap(map: LaidOutMap): string {
  const [first] = map.entries;
  if (!first) return '';
  let data: string;
  if (first.key === undefined) {
    data = jsonLaidOutValue(first.value);
  } else {
    const pairs = map.entries.map((entry) => `${jsonString(jsonKey(entry.key!))}: ${jsonLaidOutValue(entry.value)}`);
    data = `{${pairs.join(', ')}}`;
  }
  return jsonMessage(map.category, data, map.name);
}

/**
 * A key as bpftrace writes it in JSON: a tuple's parts joined with "," (no space); strings and stacks
 * as they are; a struct or an array as its text without spaces: `"{.m=2,.n=3},42"`.
 */
function jsonKey(key: Value): string {
  if (key.kind === 'tuple') return key.items.map(jsonKey).join(',');
  const text = keyText(key);
  return key.kind === 'record' || key.kind === 'array' ? text.replaceAll(' ', '') : text;
}

function jsonLaidOutValue(value: LaidOutValue): string {
  switch (value.kind) {
    case 'value':
      return jsonValue(value.value);
    case 'histogram':
      return jsonHistogram(value.histogram);
  }
}
