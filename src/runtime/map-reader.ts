// User maps from the kernel into the output stage's MapDump: key bytes decoded by the key type,
// per-CPU slots combined the way each aggregation needs, and hist/lhist entries (one per user key and
// bucket in the kernel) regrouped into one bucket array per user key. Entries stay in the kernel's
// order (histograms: their keys' byte order, as bpftrace gathers them); the formatter sorts them as
// bpftrace does.
import type { MapDescription, MapValueKind } from '../model/artifact.js';
import { possibleCpuCount } from '../loader/cpus.js';
import { perCpuValueStride, type BpfMap, type MapEntry as KernelEntry } from '../loader/maps.js';
import type { MapDump, MapEntry, MapValue, Value } from './output/values.js';
import { decodeValue, readInteger, type Decoding } from './value-decoder.js';

const bucketIndexSize = 8;

/** Decodes raw [key, value] pairs (per-CPU values back to back, 8-byte aligned) into a MapDump. */
export function decodeMapEntries(
  description: MapDescription,
  entries: readonly KernelEntry[],
  cpuCount: number,
  decoding?: Decoding,
): MapDump {
  const name = description.scriptName ?? description.name;
  const valueKind = description.value;
  if (!valueKind) throw new TypeError(`map ${description.name} has no value description (role ${description.role})`);
  const slots = description.perCpu ? cpuCount : 1;
  const stride = description.perCpu ? perCpuValueStride(description.valueSize) : description.valueSize;
  if (valueKind.kind === 'hist' || valueKind.kind === 'lhist') {
    return { name, entries: regroupBuckets(description, valueKind, entries, slots, stride, decoding) };
  }
  const decoded: MapEntry[] = [];
  for (const [key, value] of entries) {
    decoded.push({ key: decodeKey(description, key, description.keySize, decoding), value: combineValue(valueKind, viewOf(value), slots, stride, decoding) });
  }
  return { name, entries: decoded };
}

/** Reads the whole map (batched where the kernel allows) and decodes it. */
export function readMapDump(map: BpfMap, description: MapDescription, decoding?: Decoding): MapDump {
  return decodeMapEntries(description, map.lookupBatch(), possibleCpuCount(), decoding);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeKey(description: MapDescription, key: Uint8Array, userKeySize: number, decoding?: Decoding): Value[] | undefined {
  const { keyType } = description;
  if (!keyType) return undefined;
  const value = decodeValue(viewOf(key.subarray(0, userKeySize)), 0, keyType, decoding);
  // `@m[a, b]` is stored as one tuple key; the output model wants its parts.
  return value.kind === 'tuple' ? value.items : [value];
}

function combineValue(kind: Exclude<MapValueKind, { kind: 'hist' | 'lhist' }>, view: DataView, slots: number, stride: number, decoding?: Decoding): MapValue {
  switch (kind.kind) {
    case 'scalar':
      // Plain values are not per-CPU; if they were, CPU 0 holds the one userspace reads.
      return { kind: 'scalar', value: decodeValue(view, 0, kind.type, decoding) };
    case 'count': {
      let total = 0n;
      for (let slot = 0; slot < slots; slot++) total += view.getBigUint64(slot * stride, true);
      return { kind: 'count', value: BigInt.asUintN(64, total) };
    }
    case 'sum': {
      let total = 0n;
      for (let slot = 0; slot < slots; slot++) total += readInteger(view, slot * stride, 8, kind.signed);
      return { kind: 'sum', value: kind.signed ? BigInt.asIntN(64, total) : BigInt.asUintN(64, total) };
    }
    case 'min':
    case 'max': {
      let combined: bigint | undefined;
      for (let slot = 0; slot < slots; slot++) {
        if (view.getBigUint64(slot * stride + 8, true) === 0n) continue; // this CPU never saw a value
        const value = readInteger(view, slot * stride, 8, kind.signed);
        if (combined === undefined || (kind.kind === 'min' ? value < combined : value > combined)) combined = value;
      }
      return { kind: kind.kind, value: combined ?? 0n };
    }
    case 'avg':
    case 'stats': {
      let total = 0n;
      let count = 0n;
      for (let slot = 0; slot < slots; slot++) {
        total += readInteger(view, slot * stride, 8, kind.signed);
        count += view.getBigUint64(slot * stride + 8, true);
      }
      return { kind: kind.kind, total: kind.signed ? BigInt.asIntN(64, total) : BigInt.asUintN(64, total), count: BigInt.asUintN(64, count) };
    }
    default:
      return unreachable(kind);
  }
}

function regroupBuckets(
  description: MapDescription,
  kind: Extract<MapValueKind, { kind: 'hist' | 'lhist' }>,
  entries: readonly KernelEntry[],
  slots: number,
  stride: number,
  decoding?: Decoding,
): MapEntry[] {
  const userKeySize = description.keySize - bucketIndexSize;
  const bucketCount = bucketCountOf(kind);
  const groups = new Map<string, { key: Value[] | undefined; buckets: bigint[] }>();
  for (const [key, value] of entries) {
    const index = Number(viewOf(key).getBigUint64(userKeySize, true));
    if (index >= bucketCount) throw new RangeError(`map ${description.name}: bucket index ${index} is beyond the ${bucketCount} buckets of ${kind.kind}()`);
    const identity = userKeySize > 0 ? String.fromCharCode.apply(null, key.subarray(0, userKeySize) as unknown as number[]) : '';
    let group = groups.get(identity);
    if (!group) {
      group = { key: decodeKey(description, key, userKeySize, decoding), buckets: [] };
      groups.set(identity, group);
    }
    const valueView = viewOf(value);
    let count = 0n;
    for (let slot = 0; slot < slots; slot++) count += valueView.getBigUint64(slot * stride, true);
    while (group.buckets.length <= index) group.buckets.push(0n);
    group.buckets[index] = group.buckets[index]! + BigInt.asUintN(64, count);
  }
  // bpftrace gathers histograms in a std::map over the raw key bytes, so equal totals print in
  // memcmp order of the keys (the formatter's sort by total is stable). One char per byte: `<` is memcmp.
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
  return ordered.map(({ key, buckets }) => ({
    key,
    value: kind.kind === 'hist'
      ? { kind: 'hist', buckets, bits: kind.bits }
      : { kind: 'lhist', buckets, min: kind.min, max: kind.max, step: kind.step },
  }));
}

/** How many buckets the kernel side can address: log2 buckets up to 2^64, or lhist's steps plus the two ends. */
function bucketCountOf(kind: Extract<MapValueKind, { kind: 'hist' | 'lhist' }>): number {
  if (kind.kind === 'hist') return ((64 - kind.bits + 1) << kind.bits) + 1;
  return Number((kind.max - kind.min) / kind.step) + 2;
}

function unreachable(value: never): never {
  throw new Error(`unhandled map value kind: ${JSON.stringify(value)}`);
}
