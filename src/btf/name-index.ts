// Name → type ids for a BTF blob without making a string per type: names are hashed straight from the
// string section's bytes into a chained hash table of typed arrays, and a lookup compares bytes. On
// vmlinux this builds several times faster than a Map<string, id> and allocates two arrays.
import type { TypeId } from './types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashAt(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let at = start; at < end; at++) {
    const byte = bytes[at]!;
    if (byte === 0) break;
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  }
  return hash >>> 0;
}

export class NameIndex {
  private readonly buckets: Int32Array; // first id in each bucket, 0 when empty
  private readonly next: Int32Array;    // the next id in the same bucket, 0 at the end
  private readonly mask: number;
  private readonly encoder = new TextEncoder();

  /** `nameOffsets(id)` gives each type's name offset into the string section (0 = anonymous). */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly stringStart: number,
    private readonly stringEnd: number,
    private readonly nameOffsets: (id: TypeId) => number,
    typeCount: number,
  ) {
    let size = 1024;
    while (size < typeCount * 2) size *= 2;
    this.buckets = new Int32Array(size);
    this.next = new Int32Array(typeCount + 1);
    this.mask = size - 1;
    // Inserting from the highest id down leaves every chain in ascending id order.
    for (let id = typeCount; id >= 1; id--) {
      const nameOffset = nameOffsets(id);
      if (nameOffset === 0) continue;
      const bucket = hashAt(bytes, stringStart + nameOffset, stringEnd) & this.mask;
      this.next[id] = this.buckets[bucket]!;
      this.buckets[bucket] = id;
    }
  }

  /** Ids of the types named exactly `name`, ascending. */
  lookup(name: string): TypeId[] {
    const query = this.encoder.encode(name);
    if (query.length === 0 || query.includes(0)) return [];
    const bucket = hashAt(query, 0, query.length) & this.mask;
    const found: TypeId[] = [];
    for (let id = this.buckets[bucket]!; id !== 0; id = this.next[id]!) {
      if (this.matches(this.stringStart + this.nameOffsets(id), query)) found.push(id);
    }
    return found;
  }

  private matches(start: number, query: Uint8Array): boolean {
    const bytes = this.bytes;
    if (start + query.length > this.stringEnd) return false;
    for (let index = 0; index < query.length; index++) {
      if (bytes[start + index] !== query[index]) return false;
    }
    return start + query.length === this.stringEnd || bytes[start + query.length] === 0;
  }
}
