// Address → function for one ELF file (and its separate debug file): the sorted function symbols of
// .symtab and .dynsym, built straight from the raw tables (no object per symbol; names are decoded
// only for the symbols a lookup returns). An address belongs to a function only if it lies inside
// the function's size, as bcc checks; a function of size 0 (hand-written assembly) extends to the
// next symbol.
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
    const starts: number[] = [];
    const sizes: number[] = [];
    const nameOffsets: number[] = [];
    const tableIndexes: number[] = [];
    const global: number[] = [];
    const tables: StringTable[] = [];
    for (const file of files) {
      for (const kind of ['symtab', 'dynsym'] as const) {
        const data = file.symbolTableData(kind);
        if (!data) continue;
        const tableIndex = tables.push(data.strings) - 1;
        const entries = data.entries;
        const view = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
        const count = Math.floor(entries.byteLength / symbolSize);
        for (let index = 1; index < count; index++) {
          const base = index * symbolSize;
          const info = entries[base + 4]!;
          const type = info & 0xf;
          if (type !== typeFunction && type !== typeIndirectFunction) continue;
          if (view.getUint16(base + 6, true) === sectionUndefined) continue;
          // User-space addresses and sizes fit in 2^53; u32 halves avoid a BigInt per symbol.
          const start = view.getUint32(base + 12, true) * 0x1_0000_0000 + view.getUint32(base + 8, true);
          const nameOffset = view.getUint32(base, true);
          if (start === 0 || nameOffset === 0) continue;
          starts.push(start);
          sizes.push(view.getUint32(base + 20, true) * 0x1_0000_0000 + view.getUint32(base + 16, true));
          nameOffsets.push(nameOffset);
          tableIndexes.push(tableIndex);
          global.push(info >> 4 === bindingLocal ? 0 : 1);
        }
      }
    }
    const order = Uint32Array.from(starts, (_, index) => index).sort((a, b) => starts[a]! - starts[b]! || sizes[b]! - sizes[a]!);
    const count = order.length;
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
      Uint32Array.from(order, (index) => nameOffsets[index]!),
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
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle]! > address) high = middle;
      else low = middle + 1;
    }
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

function leadingUnderscores(name: string): number {
  let count = 0;
  while (name.charCodeAt(count) === 0x5f) count++;
  return count;
}
