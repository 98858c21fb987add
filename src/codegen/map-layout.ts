// The kernel shape of each script map: map type, key and value sizes. Aggregations are per-CPU
// (no atomics, no contention); a keyless count() is a one-slot per-CPU array (the kernel inlines
// its lookup) unless a probe deletes it; hist()/lhist() keys end with a u64 bucket index, as in bpftrace.
import { MapType } from '../bpf/index.js';
import type { MapInfo } from '../check/checked.js';
import { alignUp, sizeOf } from '../model/types.js';
import type { MapDescription } from '../model/artifact.js';
import { aggregationValueSize } from './map-ops.js';

export interface MapKeyLayout {
  readonly keySize: number;
  /** Offset of the hist/lhist bucket index within the key. */
  readonly bucketOffset?: number;
}

export function mapKeyLayout(info: MapInfo): MapKeyLayout {
  const bucketed = info.value.kind === 'hist' || info.value.kind === 'lhist';
  if (bucketed) {
    const userSize = info.keyType ? alignUp(sizeOf(info.keyType), 8) : 0;
    return { keySize: userSize + 8, bucketOffset: userSize };
  }
  if (!info.keyType) return { keySize: info.value.kind === 'count' ? 4 : 8 };
  return { keySize: sizeOf(info.keyType) };
}

/** A keyless count is a one-slot per-CPU array unless a probe deletes it (an array slot cannot go). */
function isKeylessArray(info: MapInfo, deletedInProgram: boolean): boolean {
  return !info.keyType && info.value.kind === 'count' && !deletedInProgram;
}

/** Kernel map names are 15 characters at most: `AT_<name>` like bpftrace, made unique. */
export function kernelMapNames(names: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    let candidate = `AT_${name}`.slice(0, 15);
    for (let suffix = 1; used.has(candidate); suffix++) candidate = `AT_${name}`.slice(0, 15 - String(suffix).length - 1) + `_${suffix}`;
    used.add(candidate);
    result.set(name, candidate);
  }
  return result;
}

export function describeMap(info: MapInfo, kernelName: string, maxEntries: number, deletedInProgram: boolean): MapDescription {
  const layout = mapKeyLayout(info);
  const aggregation = info.value.kind !== 'scalar';
  const array = isKeylessArray(info, deletedInProgram);
  const mapType = array ? MapType.PERCPU_ARRAY : aggregation ? MapType.PERCPU_HASH : MapType.HASH;
  return {
    name: kernelName,
    role: 'user',
    scriptName: `@${info.name}`,
    mapType,
    keySize: layout.keySize,
    valueSize: info.value.kind === 'scalar' ? sizeOf(info.value.type) : aggregationValueSize(info.value),
    maxEntries: array ? 1 : maxEntries,
    flags: 0,
    ...(info.keyType ? { keyType: info.keyType } : {}),
    value: info.value,
    perCpu: aggregation,
    span: info.span,
  };
}
