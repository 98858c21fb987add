// Where C puts the members of a struct or union: gcc's rules on x86-64 (the System V ABI), which is
// what the programs tsbpf reads were compiled with. Members sit at their natural alignment unless
// the record or the member is packed; `aligned(N)` raises an alignment; a bit field takes the next
// bits of the current storage unit of its declared type unless it would cross that unit's boundary
// (in a packed record it never moves); a zero-width bit field moves to the next unit; an unnamed bit
// field does not raise the record's alignment. Pure arithmetic on sizes: script-types.ts measures
// the member types (from the script or from kernel BTF) and calls this.

/** One member as layout sees it: the size and alignment of its type, and how it was declared. */
export interface CMember {
  /** '' for an anonymous struct/union member or an unnamed bit field. */
  readonly name: string;
  /** Bytes of the member's type (of the declared type for a bit field). */
  readonly size: number;
  /** The type's natural alignment in bytes. */
  readonly align: number;
  /** Present for a bit field (0: move to the next storage unit). */
  readonly bitWidth?: number;
  /** `__attribute__((aligned(N)))` on the member. */
  readonly alignAttribute?: number;
  /** `__attribute__((packed))` on the member. */
  readonly packed?: boolean;
}

export interface CRecordShape {
  readonly union: boolean;
  /** `__attribute__((packed))` on the record: every member aligned to 1 unless it says otherwise. */
  readonly packed: boolean;
  /** `__attribute__((aligned(N)))` on the record: its alignment is at least N. */
  readonly alignAttribute?: number;
}

export interface CMemberPlace {
  /** Bytes from the start of the record (for a bit field: the byte holding its first bit). */
  readonly offset: number;
  /** For a bit field: its first bit, counted from bit 0 of the byte at `offset` (little-endian). */
  readonly bitOffset?: number;
}

export interface CLayout {
  readonly size: number;
  readonly align: number;
  /** One per member, in order. */
  readonly places: readonly CMemberPlace[];
}

/** The bits of a storage unit are counted from its lowest address: x86-64 is little-endian. */
export function layoutRecord(members: readonly CMember[], shape: CRecordShape): CLayout {
  let bit = 0; // the next free bit (structs) — every union member starts at 0
  let end = 0; // bits used so far
  let align = 1;
  const places: CMemberPlace[] = [];
  for (const member of members) {
    const packed = shape.packed || member.packed === true;
    let memberAlign = packed ? 1 : member.align;
    if (member.alignAttribute !== undefined) memberAlign = Math.max(memberAlign, member.alignAttribute);
    const start = shape.union ? 0 : bit;
    if (member.bitWidth === undefined) {
      const offset = alignUp(Math.ceil(start / 8), memberAlign);
      places.push({ offset });
      bit = (offset + member.size) * 8;
      align = Math.max(align, memberAlign);
    } else {
      const unit = member.size * 8;
      let first = member.alignAttribute === undefined ? start : alignUp(start, member.alignAttribute * 8);
      if (member.bitWidth === 0) {
        // `int : 0` ends the current unit of its type, packed or not (gcc), and places nothing.
        first = alignUp(first, member.align * 8);
      } else if (!packed && Math.floor(first / unit) !== Math.floor((first + member.bitWidth - 1) / unit)) {
        first = alignUp(first, member.align * 8);
      }
      places.push({ offset: Math.floor(first / 8), bitOffset: first % 8 });
      bit = first + member.bitWidth;
      // The ABI: unnamed bit fields do not affect the alignment of the record.
      if (member.name !== '') align = Math.max(align, memberAlign);
    }
    end = Math.max(end, bit);
  }
  if (shape.alignAttribute !== undefined) align = Math.max(align, shape.alignAttribute);
  return { size: alignUp(Math.ceil(end / 8), align), align, places };
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/**
 * gcc's representation of an enum: `unsigned int` when every value fits it, `int` when some value
 * is negative and all fit, else the 64-bit type of the same sign (`packed` enums are not supported).
 */
export function enumRepresentation(values: readonly bigint[]): { readonly bits: 32 | 64; readonly signed: boolean } {
  const signed = values.some((value) => value < 0n);
  const fits32 = values.every((value) => (signed ? value >= -(1n << 31n) && value < 1n << 31n : value < 1n << 32n));
  return { bits: fits32 ? 32 : 64, signed };
}
