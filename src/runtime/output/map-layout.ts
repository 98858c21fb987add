// Turns a MapDump into the ordered, divided entries that both text and JSON print, following today's
// bpftrace (src/types_format.cpp, format(BpfMap, top, div) and sort_by_key):
// - hist/lhist entries ascend by the sum of their buckets, equal sums in the order of their raw key
//   bytes (the reader hands them over in that order);
// - count, sum and integer values ascend by value; min/max by value compared as uint64 (so negative
//   values sort last, as bpftrace does); avg/stats by average;
// - anything else ascends by key: integer key parts compared as signed at their width, string parts
//   bytewise, other parts (stacks, buffers, symbols, ...) not at all; tuple keys part by part.
// Sorts are stable, so other ties keep the kernel's iteration order, which is what bpftrace shows
// (it does not break value ties by key). print(@m, top) keeps the last `top` entries; `div` divides counts, sums, min/max,
// averages (not a stats total or count), integers inside scalar values and hist counts — never lhist.
// bpftrace 0.17 compared integer keys as unsigned (`@v[-1]` after `@v[10]`); today's is signed.

import { buildLinearHistogram, buildLog2Histogram, bucketTotal, type Histogram } from './histogram.js';
import { unreachable } from './value-text.js';
import type { MapDump, MapEntry, MapValue, Value } from './values.js';

export interface PrintOptions {
  /** print(@m, top): keep only the `top` largest entries; 0 keeps all. */
  top?: number;
  /** print(@m, top, div): divide values by `div`; 0 means 1. */
  div?: number | bigint;
}

export type LaidOutValue = { kind: 'value'; value: Value } | { kind: 'histogram'; histogram: Histogram };

export interface LaidOutEntry {
  /** undefined for a scalar map (`@x`), the key itself for one part, a tuple for several. */
  key: Value | undefined;
  value: LaidOutValue;
}

export interface LaidOutMap {
  name: string;
  /** bpftrace's JSON message type for this map. */
  category: 'map' | 'stats' | 'hist';
  entries: LaidOutEntry[];
}

export function layoutMap(dump: MapDump, options: PrintOptions = {}): LaidOutMap {
  const first = dump.entries[0];
  const category = first ? categoryOf(first.value) : 'map';
  const sorted = sortEntries(dump.entries);
  const top = options.top ?? 0;
  const kept = top > 0 && sorted.length > top ? sorted.slice(sorted.length - top) : sorted;
  const divisor = BigInt(options.div ?? 1) || 1n;
  const entries = kept.map((entry) => ({ key: keyValue(entry.key), value: layoutValue(entry.value, divisor) }));
  return { name: dump.name, category, entries };
}

function categoryOf(value: MapValue): LaidOutMap['category'] {
  switch (value.kind) {
    case 'avg':
    case 'stats':
      return 'stats';
    case 'hist':
    case 'lhist':
      return 'hist';
    case 'scalar':
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
      return 'map';
    default:
      return unreachable(value);
  }
}

function keyValue(key: Value[] | undefined): Value | undefined {
  if (key === undefined) return undefined;
  return key.length === 1 ? key[0] : { kind: 'tuple', items: key };
}

function layoutValue(value: MapValue, divisor: bigint): LaidOutValue {
  switch (value.kind) {
    case 'scalar':
      return { kind: 'value', value: divideIntegers(value.value, divisor) };
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
      return { kind: 'value', value: integerValue(value.value / divisor) };
    case 'avg':
      return { kind: 'value', value: integerValue(average(value) / divisor) };
    case 'stats':
      return {
        kind: 'value',
        value: {
          kind: 'record',
          fields: [
            { name: 'count', value: integerValue(value.count) },
            { name: 'average', value: integerValue(average(value) / divisor) },
            { name: 'total', value: integerValue(value.total) },
          ],
        },
      };
    case 'hist':
      return { kind: 'histogram', histogram: buildLog2Histogram(value.buckets, value.bits, divisor) };
    case 'lhist':
      return { kind: 'histogram', histogram: buildLinearHistogram(value.buckets, value.min, value.max, value.step) };
    default:
      return unreachable(value);
  }
}

function average(value: { total: bigint; count: bigint }): bigint {
  return value.count === 0n ? 0n : value.total / value.count;
}

function integerValue(value: bigint): Value {
  return { kind: 'integer', value, signed: value < 1n << 63n, width: 8 };
}

function divideIntegers(value: Value, divisor: bigint): Value {
  if (divisor === 1n) return value;
  switch (value.kind) {
    case 'integer':
      return { ...value, value: value.value / divisor };
    case 'tuple':
    case 'array':
      return { ...value, items: value.items.map((item) => divideIntegers(item, divisor)) };
    case 'record':
      return { ...value, fields: value.fields.map((field) => ({ name: field.name, value: divideIntegers(field.value, divisor) })) };
    default:
      return value;
  }
}

function sortEntries(entries: readonly MapEntry[]): MapEntry[] {
  const first = entries[0];
  if (!first) return [];
  const sortKey = sortKeyFor(first.value);
  if (!sortKey) return [...entries].sort((a, b) => compareKeys(a.key, b.key));
  const keyed = entries.map((entry) => ({ entry, order: sortKey(entry.value) }));
  keyed.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return keyed.map((item) => item.entry);
}

/** How bpftrace orders entries of this value kind, or undefined when it orders them by key. */
function sortKeyFor(value: MapValue): ((value: MapValue) => bigint) | undefined {
  switch (value.kind) {
    case 'count':
    case 'sum':
      return (item) => (item.kind === value.kind ? item.value : 0n);
    case 'min':
    case 'max':
      return (item) => (item.kind === value.kind ? BigInt.asUintN(64, item.value) : 0n);
    case 'avg':
    case 'stats':
      return (item) => (item.kind === 'avg' || item.kind === 'stats' ? average(item) : 0n);
    case 'hist':
    case 'lhist':
      return (item) => (item.kind === 'hist' || item.kind === 'lhist' ? bucketTotal(item.buckets) : 0n);
    case 'scalar':
      if (value.value.kind !== 'integer') return undefined;
      return (item) => (item.kind === 'scalar' && item.value.kind === 'integer' ? item.value.value : 0n);
    default:
      return unreachable(value);
  }
}

function compareKeys(a: Value[] | undefined, b: Value[] | undefined): number {
  if (!a || !b) return 0;
  const left = a.length === 1 && a[0]!.kind === 'tuple' ? a[0]!.items : a;
  const right = b.length === 1 && b[0]!.kind === 'tuple' ? b[0]!.items : b;
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const order = compareKeyPart(left[index]!, right[index]!);
    if (order !== 0) return order;
  }
  return 0;
}

function compareKeyPart(a: Value, b: Value): number {
  if (a.kind === 'integer' && b.kind === 'integer') {
    const left = BigInt.asIntN(a.width * 8, a.value);
    const right = BigInt.asIntN(b.width * 8, b.value);
    return left < right ? -1 : left > right ? 1 : 0;
  }
  if (a.kind === 'string' && b.kind === 'string') return compareBytes(a.value, b.value);
  return 0;
}

// bpftrace memcmp()s the NUL-padded key bytes: UTF-8 order, a prefix before its extensions. UTF-16
// order agrees except around surrogates, so only those strings pay for encoding.
const beyondSurrogates = /[\uD800-\uFFFF]/;

function compareBytes(a: string, b: string): number {
  if (beyondSurrogates.test(a) || beyondSurrogates.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}
