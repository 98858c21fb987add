// Address → function for one ELF file (and its separate debug file): the sorted function symbols of
// .symtab and .dynsym, built straight from the raw tables (no object per symbol; names are decoded
// only for the symbols a lookup returns). An address belongs to a function only if it lies inside
// the function's size, as bcc checks; a function of size 0 (hand-written assembly) extends to the
// next symbol.
import { upperBound } from './upper-bound.js';
import { sectionUndefined, symbolSize } from '../elf/constants.js';
import type { ElfFile } from '../elf/elf-file.js';
import type { StringTable } from '../elf/strings.js';

export interface FunctionSymbol {
  readonly name: string;
  /** Bytes past the function's start. */
  readonly offset: number;
}

const typeFunction = 2;
const typeIndirectFunction = 10; // STT_GNU_IFUNC
const bindingLocal = 0;

export class FunctionIndex {
  private constructor(
    private readonly starts: Float64Array,
    private readonly ends: Float64Array,
    /** The largest end among entries 0..i: lets a lookup stop walking back through nested symbols. */
    private readonly reach: Float64Array,
    private readonly nameOffsets: Uint32Array,
    private readonly tableIndexes: Uint8Array,
    private readonly global: Uint8Array,
    private readonly tables: readonly StringTable[],
  ) {}

  /** The functions of `files` (a binary, then its debug file), addresses as link-time vaddrs. */
  static build(files: readonly ElfFile[]): FunctionIndex {
    const tables: StringTable[] = [];
    const sources: { words: Uint32Array; tableIndex: number }[] = [];
    let capacity = 0;
    for (const file of files) {
      for (const kind of ['symtab', 'dynsym'] as const) {
        const data = file.symbolTableData(kind);
        if (!data) continue;
        sources.push({ words: wordsOf(data.entries), tableIndex: tables.push(data.strings) - 1 });
        capacity += Math.floor(data.entries.byteLength / symbolSize);
      }
    }
    // Filled in table order, then sorted by start; typed arrays, because a large library (libjvm)
    // has tens of thousands of functions and this runs at the first address in it.
    const starts = new Float64Array(capacity);
    const sizes = new Float64Array(capacity);
    const nameOffsets = new Uint32Array(capacity);
    const tableIndexes = new Uint8Array(capacity);
    const global = new Uint8Array(capacity);
    let count = 0;
    for (const { words, tableIndex } of sources) {
      // Elf64_Sym as six u32 words: name, info|other|shndx, value (low, high), size (low, high).
      for (let word = 6; word + 6 <= words.length; word += 6) {
        const packed = words[word + 1]!;
        const type = packed & 0xf;
        if (type !== typeFunction && type !== typeIndirectFunction) continue;
        if (packed >>> 16 === sectionUndefined) continue;
        const nameOffset = words[word]!;
        // User-space addresses and sizes fit in 2^53: no BigInt per symbol.
        const start = words[word + 3]! * 0x1_0000_0000 + words[word + 2]!;
        if (start === 0 || nameOffset === 0) continue;
        starts[count] = start;
        sizes[count] = words[word + 5]! * 0x1_0000_0000 + words[word + 4]!;
        nameOffsets[count] = nameOffset;
        tableIndexes[count] = tableIndex;
        global[count] = (packed & 0xff) >> 4 === bindingLocal ? 0 : 1;
        count++;
      }
    }
    const order = sortedOrder(starts, sizes, count);
    const sortedStarts = new Float64Array(count);
    const ends = new Float64Array(count);
    const reach = new Float64Array(count);
    for (let position = 0; position < count; position++) sortedStarts[position] = starts[order[position]!]!;
    let farthest = 0;
    for (let position = 0; position < count; position++) {
      const size = sizes[order[position]!]!;
      let end = sortedStarts[position]! + size;
      if (size === 0) {
        // Unknown size: up to the next symbol that starts later.
        let next = position + 1;
        while (next < count && sortedStarts[next] === sortedStarts[position]) next++;
        end = next < count ? sortedStarts[next]! : sortedStarts[position]! + 1;
      }
      ends[position] = end;
      farthest = Math.max(farthest, end);
      reach[position] = farthest;
    }
    return new FunctionIndex(
      sortedStarts, ends, reach,
      order.map((index) => nameOffsets[index]!),
      Uint8Array.from(order, (index) => tableIndexes[index]!),
      Uint8Array.from(order, (index) => global[index]!),
      tables,
    );
  }

  get size(): number {
    return this.starts.length;
  }

  /** The function containing link-time address `address`, or undefined. */
  lookup(address: number): FunctionSymbol | undefined {
    // The last entry starting at or below the address.
    const low = upperBound(this.starts, address);
    let best = -1;
    for (let position = low - 1; position >= 0 && this.reach[position]! > address; position--) {
      if (address >= this.ends[position]!) continue;
      // The innermost (latest-starting) function wins; among aliases at one address, the best name.
      if (best !== -1 && this.starts[position]! < this.starts[best]!) break;
      if (best === -1 || this.preferred(position, best)) best = position;
    }
    if (best === -1) return undefined;
    return { name: this.nameAt(best), offset: address - this.starts[best]! };
  }

  private nameAt(position: number): string {
    return this.tables[this.tableIndexes[position]!]!.at(this.nameOffsets[position]!);
  }

  /**
   * Among aliases (`malloc`, `__libc_malloc`, `__malloc`): global over local, then the fewest leading
   * underscores (the public name), then the shorter, then alphabetical, so output is stable.
   */
  private preferred(candidate: number, current: number): boolean {
    if (this.global[candidate] !== this.global[current]) return this.global[candidate]! > this.global[current]!;
    const a = this.nameAt(candidate);
    const b = this.nameAt(current);
    const underscoresA = leadingUnderscores(a);
    const underscoresB = leadingUnderscores(b);
    if (underscoresA !== underscoresB) return underscoresA < underscoresB;
    if (a.length !== b.length) return a.length < b.length;
    return a < b;
  }
}

/** Symbol entries as u32 words (copied when the bytes are not 4-byte aligned). */
function wordsOf(bytes: Uint8Array): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4));
}

/**
 * Indexes 0..count-1 ordered by start, larger sizes first among equal starts. When starts are below
 * 2^32 (always, for libraries and PIEs) the index rides in the low bits of a float key, so the
 * engine's native numeric sort does the work instead of a comparator called n log n times.
 */
function sortedOrder(starts: Float64Array, sizes: Float64Array, count: number): Uint32Array {
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  let maximum = 0;
  for (let index = 0; index < count; index++) maximum = Math.max(maximum, starts[index]!);
  if (maximum * 2 ** indexBits < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(count);
    for (let index = 0; index < count; index++) keys[index] = starts[index]! * 2 ** indexBits + index;
    keys.sort();
    const order = new Uint32Array(count);
    const mask = 2 ** indexBits;
    for (let position = 0; position < count; position++) order[position] = keys[position]! % mask;
    return sortEqualStartsBySize(order, starts, sizes);
  }
  return Uint32Array.from({ length: count }, (_, index) => index).sort((a, b) => starts[a]! - starts[b]! || sizes[b]! - sizes[a]!);
}

/** Within each run of equal starts (aliases, few), the larger size first. */
function sortEqualStartsBySize(order: Uint32Array, starts: Float64Array, sizes: Float64Array): Uint32Array {
  for (let position = 1; position < order.length; position++) {
    const current = order[position]!;
    let insert = position;
    while (insert > 0 && starts[order[insert - 1]!] === starts[current] && sizes[order[insert - 1]!]! < sizes[current]!) {
      order[insert] = order[insert - 1]!;
      insert--;
    }
    order[insert] = current;
  }
  return order;
}

function leadingUnderscores(name: string): number {
  let count = 0;
  while (name.charCodeAt(count) === 0x5f) count++;
  return count;
}
