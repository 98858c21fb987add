// One ELF64 little-endian file, read lazily: opening reads the headers and the section-name table;
// section contents, symbol tables and notes are read on first use and kept. Opening libc and reading
// its .dynsym touches about 150 KB of a 2 MB file.
import { noteGnuBuildId, programHeaderSize, sectionHeaderSize, SectionType, SegmentType } from './constants.js';
import { addressOfFileOffset, fileOffsetOfAddress } from './address.js';
import { ElfError } from './errors.js';
import { FileBytes, MemoryBytes, type ByteSource } from './file-bytes.js';
import {
  extendedCounts, parseHeader, parseProgramHeaders, parseSectionHeaders, realSectionNamesIndex,
  type ElfHeader, type ElfSection, type ElfSegment,
} from './headers.js';
import { hex, parseNotes, type ElfNote } from './notes.js';
import { StringTable } from './strings.js';
import { parseSymbolTable, type ElfSymbol, type SymbolTableKind } from './symbols.js';
import { parseVersionDefinitions, parseVersionNeeds, SymbolVersions } from './versions.js';

export class ElfFile {
  private readonly sectionContents = new Map<number, Uint8Array>();
  private readonly symbolTables = new Map<SymbolTableKind, readonly ElfSymbol[]>();
  private readonly stringTables = new Map<number, StringTable>();
  private noteList: readonly ElfNote[] | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly source: ByteSource,
    readonly header: ElfHeader,
    readonly sections: readonly ElfSection[],
    readonly segments: readonly ElfSegment[],
  ) {}

  /** Opens `path`; throws ElfError when it cannot be read or is not a supported ELF file. */
  static open(path: string): ElfFile {
    let source: ByteSource;
    try {
      source = new FileBytes(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ElfError('unreadable', path, code === 'ENOENT' ? 'no such file' : `cannot open (${code})`);
    }
    try {
      return ElfFile.fromSource(source, path);
    } catch (error) {
      source.close();
      throw error;
    }
  }

  static fromBytes(bytes: Uint8Array, path = '<memory>'): ElfFile {
    return ElfFile.fromSource(new MemoryBytes(bytes), path);
  }

  /** Over any byte source: a file, memory, or the bytes a fixture host recorded. */
  static fromSource(source: ByteSource, path: string): ElfFile {
    const read = (offset: number, length: number): Uint8Array => {
      try {
        return source.read(offset, length);
      } catch {
        throw new ElfError('malformed', path, `headers point past the end of the file (${offset}+${length} > ${source.size})`);
      }
    };
    const header = parseHeader(read(0, Math.min(64, source.size)), path);
    const segments = header.programHeaderOffset === 0 ? []
      : parseProgramHeaders(read(header.programHeaderOffset, header.programHeaderCount * programHeaderSize), header.programHeaderCount, path);
    let sections: ElfSection[] = [];
    if (header.sectionHeaderOffset !== 0) {
      const first = read(header.sectionHeaderOffset, sectionHeaderSize);
      const count = header.sectionHeaderCount === 0 ? extendedCounts(first).sectionCount : header.sectionHeaderCount;
      const raw = parseSectionHeaders(read(header.sectionHeaderOffset, count * sectionHeaderSize), count, path);
      const namesIndex = realSectionNamesIndex(header, first);
      const namesSection = raw[namesIndex];
      const names = namesSection && namesSection.type === SectionType.StringTable
        ? new StringTable(read(namesSection.offset, namesSection.size)) : undefined;
      sections = raw.map(({ nameOffset, ...fields }) => ({ ...fields, name: names ? names.at(nameOffset) : '' }));
    }
    return new ElfFile(path, source, header, sections, segments);
  }

  /** The first section with this name. */
  section(name: string): ElfSection | undefined {
    return this.sections.find((section) => section.name === name);
  }

  /** A section's bytes as stored in the file (empty for SHT_NOBITS such as .bss). */
  sectionBytes(section: ElfSection): Uint8Array {
    if (section.type === SectionType.NoBits || section.type === SectionType.Null) return new Uint8Array(0);
    let bytes = this.sectionContents.get(section.index);
    if (!bytes) {
      if (this.closed) throw new Error(`${this.path}: section ${section.name} read after close()`);
      try {
        bytes = this.source.read(section.offset, section.size);
      } catch {
        throw new ElfError('malformed', this.path, `section ${section.name} lies past the end of the file`);
      }
      this.sectionContents.set(section.index, bytes);
    }
    return bytes;
  }

  /** All entries of `.symtab` or `.dynsym` (empty when the file has none, e.g. stripped binaries). */
  symbols(table: SymbolTableKind): readonly ElfSymbol[] {
    let symbols = this.symbolTables.get(table);
    if (!symbols) {
      symbols = this.readSymbolTable(table);
      this.symbolTables.set(table, symbols);
    }
    return symbols;
  }

  private readSymbolTable(table: SymbolTableKind): ElfSymbol[] {
    const data = this.symbolTableData(table);
    if (!data) return [];
    return parseSymbolTable(data.entries, data.strings, table, table === 'dynsym' ? this.symbolVersions(data.section) : undefined);
  }

  /**
   * A symbol table's raw entries (Elf64_Sym, 24 bytes each, entry 0 null) and its string table, for
   * readers that want to skip building an object per symbol (the symbolizers).
   */
  symbolTableData(table: SymbolTableKind): { section: ElfSection; entries: Uint8Array; strings: StringTable } | undefined {
    const type = table === 'symtab' ? SectionType.SymbolTable : SectionType.DynamicSymbols;
    const section = this.sections.find((candidate) => candidate.type === type);
    const strings = section && this.stringTable(section.link);
    if (!section || !strings) return undefined;
    return { section, entries: this.sectionBytes(section), strings };
  }

  private symbolVersions(dynamicSymbols: ElfSection): SymbolVersions | undefined {
    const versionSymbols = this.sections.find((section) => section.type === SectionType.GnuVersionSymbols && section.link === dynamicSymbols.index);
    if (!versionSymbols) return undefined;
    const versionTable = (type: SectionType, parse: typeof parseVersionDefinitions): Map<number, string> => {
      const section = this.sections.find((candidate) => candidate.type === type);
      const strings = section && this.stringTable(section.link);
      return section && strings ? parse(this.sectionBytes(section), section.info, strings) : new Map();
    };
    return new SymbolVersions(
      this.sectionBytes(versionSymbols),
      versionTable(SectionType.GnuVersionDefinitions, parseVersionDefinitions),
      versionTable(SectionType.GnuVersionNeeds, parseVersionNeeds),
    );
  }

  private stringTable(index: number): StringTable | undefined {
    const section = this.sections[index];
    if (!section || section.type !== SectionType.StringTable) return undefined;
    let table = this.stringTables.get(index);
    if (!table) {
      table = new StringTable(this.sectionBytes(section));
      this.stringTables.set(index, table);
    }
    return table;
  }

  /** Every note, from the note sections, or from PT_NOTE segments when there are no section headers. */
  notes(): readonly ElfNote[] {
    if (!this.noteList) {
      const notes: ElfNote[] = [];
      const noteSections = this.sections.filter((section) => section.type === SectionType.Note);
      if (noteSections.length > 0) {
        for (const section of noteSections) notes.push(...parseNotes(this.sectionBytes(section), section.addressAlign));
      } else {
        for (const segment of this.segments) {
          if (segment.type !== SegmentType.Note) continue;
          notes.push(...parseNotes(this.source.read(segment.offset, segment.fileSize), segment.align));
        }
      }
      this.noteList = notes;
    }
    return this.noteList;
  }

  /** The GNU build id as lower-case hex (what `readelf -n` prints), if the file has one. */
  buildId(): string | undefined {
    const note = this.notes().find((candidate) => candidate.owner === 'GNU' && candidate.type === noteGnuBuildId);
    return note ? hex(note.descriptor) : undefined;
  }

  /** The file offset a uprobe needs for the instruction at link-time address `address`. */
  fileOffsetOf(address: bigint): number | undefined {
    return fileOffsetOfAddress(this.segments, address);
  }

  /** The link-time address of the byte at file offset `offset`. */
  addressOf(offset: number): bigint | undefined {
    return addressOfFileOffset(this.segments, offset);
  }

  /** Up to `length` bytes of the file from `offset` (fewer at its end). */
  bytesAt(offset: number, length: number): Uint8Array {
    return this.source.read(offset, Math.max(0, Math.min(length, this.source.size - offset)));
  }

  /** Releases the file descriptor; data already read stays usable. */
  close(): void {
    this.closed = true;
    this.source.close();
  }
}
