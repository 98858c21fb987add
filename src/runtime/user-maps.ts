// The script's maps as the output stage reads and resets them.
// - Full maps: a hash map holding max_entries entries (max_map_keys) has been refusing new keys, and
//   the probes' updates with them failed without a word (the generated code does not look at
//   map_update_elem's result). Each full map is reported once, by name, when it is read.
// - One-slot arrays (a keyless count()): the slot always exists, yet bpftrace's map is a hash whose
//   entry comes and goes. The slot reads as absent until a probe counts (a count never goes back to
//   zero by itself) or zero() set it, and clear() makes it absent again, so the exit dump and print()
//   show what bpftrace's would.
import { MapType } from '../bpf/uapi.generated.js';
import type { MapDescription } from '../model/artifact.js';
import { possibleCpuCount } from '../loader/cpus.js';
import type { BpfMap, MapEntry as KernelEntry } from '../loader/maps.js';
import { decodeMapEntries } from './map-reader.js';
import type { Decoding } from './value-decoder.js';
import type { MapDump } from './output/values.js';

/** Maps whose inserts fail when full (LRU maps evict instead; arrays never grow). */
const refusingWhenFull = new Set<number>([MapType.HASH, MapType.PERCPU_HASH]);

export class UserMaps {
  private readonly reported = new Set<string>();
  /** One-slot arrays zero() left present with a zero value (until clear()). */
  private readonly zeroedSlots = new Set<string>();

  constructor(
    private readonly decoding: Decoding | undefined,
    private readonly onFull: (description: MapDescription, maxEntries: number) => void,
  ) {}

  /** `zeroWhenEmpty`: a keyless map with no entry reads as one entry of zero bytes (its zero value). */
  read(map: BpfMap, description: MapDescription, zeroWhenEmpty = false): MapDump {
    const entries = this.presentEntries(map, description);
    if (zeroWhenEmpty && entries.length === 0 && !description.keyType && description.value?.kind !== 'hist' && description.value?.kind !== 'lhist') {
      entries.push([new Uint8Array(description.keySize), new Uint8Array(map.userValueSize)]);
    }
    if (entries.length >= map.spec.maxEntries && refusingWhenFull.has(map.spec.type) && !this.reported.has(description.name)) {
      this.reported.add(description.name);
      this.onFull(description, map.spec.maxEntries);
    }
    return decodeMapEntries(description, entries, possibleCpuCount(), this.decoding);
  }

  /** clear(@m): every key removed; a one-slot array is zeroed and reads as absent. */
  clear(map: BpfMap): void {
    this.zeroedSlots.delete(map.spec.name);
    if (isArrayMap(map)) return this.zeroEntries(map);
    // Keys first, then deletes: deleting while walking would restart the walk at every step.
    for (const key of [...map.keys()]) map.delete(key);
  }

  /** zero(@m): every present entry keeps its key and gets an all-zero value on every CPU. */
  zero(map: BpfMap): void {
    if (isArrayMap(map) && map.lookupBatch().some(([, value]) => !isAllZero(value))) this.zeroedSlots.add(map.spec.name);
    this.zeroEntries(map);
  }

  private zeroEntries(map: BpfMap): void {
    const zero = new Uint8Array(map.userValueSize);
    for (const key of [...map.keys()]) map.update(key, zero);
  }

  private presentEntries(map: BpfMap, description: MapDescription): KernelEntry[] {
    const entries = map.lookupBatch();
    if (!isArrayMap(map) || description.keyType || this.zeroedSlots.has(map.spec.name)) return entries;
    return entries.filter(([, value]) => !isAllZero(value));
  }
}

function isArrayMap(map: BpfMap): boolean {
  return map.spec.type === MapType.ARRAY || map.spec.type === MapType.PERCPU_ARRAY;
}

function isAllZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}

/** The warning's words: which map, how many entries, and what to change. */
export function fullMapMessage(description: MapDescription, maxEntries: number): string {
  const name = description.scriptName ?? description.name;
  return `map ${name} is full (${maxEntries} entries): updates with new keys were dropped; raise max_map_keys (config = { max_map_keys = N })`;
}
