// Numbers from the ELF specification (elf.h) that the reader needs, named. Only ELF64
// little-endian files are read: every Linux target tsbpf runs on (x86-64, aarch64) uses it.

export const elfMagic = 0x464c457f; // "\x7fELF" read as a little-endian u32
export const elfClass64 = 2;
export const elfDataLittleEndian = 1;

export const headerSize = 64;
export const sectionHeaderSize = 64;
export const programHeaderSize = 56;
export const symbolSize = 24;

/** e_type */
export const ElfType = {
  Relocatable: 1,
  Executable: 2,
  SharedObject: 3,
  Core: 4,
} as const;
export type ElfType = (typeof ElfType)[keyof typeof ElfType];

/** e_machine values worth naming. */
export const ElfMachine = {
  X86_64: 62,
  AArch64: 183,
  Bpf: 247,
} as const;
export type ElfMachine = (typeof ElfMachine)[keyof typeof ElfMachine];

/** sh_type */
export const SectionType = {
  Null: 0,
  ProgBits: 1,
  SymbolTable: 2,
  StringTable: 3,
  Rela: 4,
  Hash: 5,
  Dynamic: 6,
  Note: 7,
  NoBits: 8,
  DynamicSymbols: 11,
  GnuVersionDefinitions: 0x6ffffffd,
  GnuVersionNeeds: 0x6ffffffe,
  GnuVersionSymbols: 0x6fffffff,
} as const;
export type SectionType = (typeof SectionType)[keyof typeof SectionType];

/** p_type */
export const SegmentType = {
  Null: 0,
  Load: 1,
  Dynamic: 2,
  Interpreter: 3,
  Note: 4,
  ProgramHeaders: 6,
  Tls: 7,
  GnuEhFrame: 0x6474e550,
  GnuStack: 0x6474e551,
  GnuRelro: 0x6474e552,
} as const;
export type SegmentType = (typeof SegmentType)[keyof typeof SegmentType];

/** Section index values with special meaning in st_shndx. */
export const sectionUndefined = 0;
/** The real index lives in SHT_SYMTAB_SHNDX (files with more than 65279 sections). */
export const sectionIndexExtended = 0xffff;

export type SymbolType = 'none' | 'object' | 'function' | 'section' | 'file' | 'common' | 'tls' | 'ifunc' | 'other';
export type SymbolBinding = 'local' | 'global' | 'weak' | 'unique' | 'other';
export type SymbolVisibility = 'default' | 'internal' | 'hidden' | 'protected';

const symbolTypes: readonly SymbolType[] = ['none', 'object', 'function', 'section', 'file', 'common', 'tls'];

export function symbolTypeOf(info: number): SymbolType {
  const type = info & 0xf;
  if (type === 10) return 'ifunc'; // STT_GNU_IFUNC
  return symbolTypes[type] ?? 'other';
}

export function symbolBindingOf(info: number): SymbolBinding {
  switch (info >> 4) {
    case 0: return 'local';
    case 1: return 'global';
    case 2: return 'weak';
    case 10: return 'unique'; // STB_GNU_UNIQUE
    default: return 'other';
  }
}

const visibilities: readonly SymbolVisibility[] = ['default', 'internal', 'hidden', 'protected'];

export function symbolVisibilityOf(other: number): SymbolVisibility {
  return visibilities[other & 3]!;
}

/** Note types, per owner. */
export const noteGnuBuildId = 3; // owner "GNU"
export const noteStapsdt = 3; // owner "stapsdt"
