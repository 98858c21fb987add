// Builds small ELF64 files in memory for the cases real binaries do not show (nested and size-less
// functions, huge addresses, notes only in segments). Written from the ELF spec, field by field.

export interface SectionSpec {
  readonly name: string;
  readonly type: number;
  readonly data: Uint8Array;
  readonly address?: bigint;
  readonly link?: number;
  readonly info?: number;
  readonly entrySize?: number;
  readonly align?: number;
}

export interface SegmentSpec {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly address: bigint;
  readonly fileSize: number;
  readonly memorySize: number;
}

export interface SymbolSpec {
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  /** st_info: binding << 4 | type */
  readonly binding?: number;
  readonly type?: number;
  readonly section?: number;
}

/** Section indexes are 1-based in the result: index 0 is the null section, shstrtab comes last. */
export function buildElf(sections: readonly SectionSpec[], segments: readonly SegmentSpec[] = [], options: { withSectionHeaders?: boolean } = {}): Uint8Array {
  const withSections = options.withSectionHeaders ?? true;
  const names = stringTable(['', ...sections.map((section) => section.name), '.shstrtab']);
  const all = [...sections, { name: '.shstrtab', type: 3, data: names.bytes }];
  let offset = 64 + segments.length * 56;
  const placed = all.map((section) => {
    offset = (offset + 7) & ~7;
    const at = offset;
    offset += section.data.byteLength;
    return at;
  });
  const sectionHeaders = withSections ? (offset + 7) & ~7 : 0;
  const total = withSections ? sectionHeaders + (all.length + 1) * 64 : offset;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  view.setUint16(16, 3, true); // ET_DYN
  view.setUint16(18, 62, true);
  view.setUint32(20, 1, true);
  view.setBigUint64(32, segments.length > 0 ? 64n : 0n, true);
  view.setBigUint64(40, BigInt(sectionHeaders), true);
  view.setUint16(52, 64, true);
  view.setUint16(54, 56, true);
  view.setUint16(56, segments.length, true);
  view.setUint16(58, 64, true);
  view.setUint16(60, withSections ? all.length + 1 : 0, true);
  view.setUint16(62, withSections ? all.length : 0, true);
  for (const [index, segment] of segments.entries()) {
    const base = 64 + index * 56;
    view.setUint32(base, segment.type, true);
    view.setUint32(base + 4, segment.flags, true);
    view.setBigUint64(base + 8, BigInt(segment.offset), true);
    view.setBigUint64(base + 16, segment.address, true);
    view.setBigUint64(base + 24, segment.address, true);
    view.setBigUint64(base + 32, BigInt(segment.fileSize), true);
    view.setBigUint64(base + 40, BigInt(segment.memorySize), true);
    view.setBigUint64(base + 48, 0x1000n, true);
  }
  for (const [index, section] of all.entries()) {
    bytes.set(section.data, placed[index]!);
    if (!withSections) continue;
    const base = sectionHeaders + (index + 1) * 64;
    const spec = section as SectionSpec;
    view.setUint32(base, names.offsets[index + 1]!, true);
    view.setUint32(base + 4, spec.type, true);
    view.setBigUint64(base + 16, spec.address ?? 0n, true);
    view.setBigUint64(base + 24, BigInt(placed[index]!), true);
    view.setBigUint64(base + 32, BigInt(spec.data.byteLength), true);
    view.setUint32(base + 40, spec.link ?? 0, true);
    view.setUint32(base + 44, spec.info ?? 0, true);
    view.setBigUint64(base + 48, BigInt(spec.align ?? 1), true);
    view.setBigUint64(base + 56, BigInt(spec.entrySize ?? 0), true);
  }
  return bytes;
}

export function stringTable(strings: readonly string[]): { bytes: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  const parts: number[] = [];
  for (const text of strings) {
    offsets.push(parts.length);
    parts.push(...Buffer.from(text, 'utf8'), 0);
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

/** A .symtab + .strtab pair; .symtab is section 1 and .strtab section 2 when passed first. */
export function symbolSections(symbols: readonly SymbolSpec[]): SectionSpec[] {
  const strings = stringTable(['', ...symbols.map((symbol) => symbol.name)]);
  const table = new Uint8Array((symbols.length + 1) * 24);
  const view = new DataView(table.buffer);
  for (const [index, symbol] of symbols.entries()) {
    const base = (index + 1) * 24;
    view.setUint32(base, strings.offsets[index + 1]!, true);
    view.setUint8(base + 4, ((symbol.binding ?? 1) << 4) | (symbol.type ?? 2));
    view.setUint16(base + 6, symbol.section ?? 3, true);
    view.setBigUint64(base + 8, symbol.value, true);
    view.setBigUint64(base + 16, BigInt(symbol.size), true);
  }
  return [
    { name: '.symtab', type: 2, data: table, link: 2, entrySize: 24, align: 8 },
    { name: '.strtab', type: 3, data: strings.bytes },
  ];
}

/** One note: owner, type, payload, padded to 4 bytes. */
export function note(owner: string, type: number, descriptor: Uint8Array): Uint8Array {
  const name = Buffer.from(`${owner}\0`, 'latin1');
  const pad = (length: number) => (length + 3) & ~3;
  const bytes = new Uint8Array(12 + pad(name.length) + pad(descriptor.byteLength));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, name.length, true);
  view.setUint32(4, descriptor.byteLength, true);
  view.setUint32(8, type, true);
  bytes.set(name, 12);
  bytes.set(descriptor, 12 + pad(name.length));
  return bytes;
}
