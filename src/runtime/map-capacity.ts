// User maps read for printing, with a check that costs nothing extra: a hash map holding
// max_entries entries (max_map_keys) has been refusing new keys, and the probes' updates with them
// failed without a word (the generated code does not look at map_update_elem's result). Each full
// map is reported once, by name, and the run goes on.
import { MapType } from '../bpf/uapi.generated.js';
import type { MapDescription } from '../model/artifact.js';
import { possibleCpuCount } from '../loader/cpus.js';
import type { BpfMap } from '../loader/maps.js';
import { decodeMapEntries } from './map-reader.js';
import type { Decoding } from './value-decoder.js';
import type { MapDump } from './output/values.js';

/** Maps whose inserts fail when full (LRU maps evict instead; arrays never grow). */
const refusingWhenFull = new Set<number>([MapType.HASH, MapType.PERCPU_HASH]);

export class CapacityCheckingReader {
  private readonly reported = new Set<string>();

  constructor(
    private readonly decoding: Decoding | undefined,
    private readonly onFull: (description: MapDescription, maxEntries: number) => void,
  ) {}

  /** `zeroWhenEmpty`: a keyless map with no entry reads as one entry of zero bytes (its zero value). */
  read(map: BpfMap, description: MapDescription, zeroWhenEmpty = false): MapDump {
    const entries = map.lookupBatch();
    if (zeroWhenEmpty && entries.length === 0 && !description.keyType && description.value?.kind !== 'hist' && description.value?.kind !== 'lhist') {
      entries.push([new Uint8Array(description.keySize), new Uint8Array(map.userValueSize)]);
    }
    if (entries.length >= map.spec.maxEntries && refusingWhenFull.has(map.spec.type) && !this.reported.has(description.name)) {
      this.reported.add(description.name);
      this.onFull(description, map.spec.maxEntries);
    }
    return decodeMapEntries(description, entries, possibleCpuCount(), this.decoding);
  }
}

/** The warning's words: which map, how many entries, and what to change. */
export function fullMapMessage(description: MapDescription, maxEntries: number): string {
  const name = description.scriptName ?? description.name;
  return `map ${name} is full (${maxEntries} entries): updates with new keys were dropped; raise max_map_keys (config = { max_map_keys = N })`;
}
