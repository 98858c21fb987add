// The fixed-layout parts of an ELF64 file: the file header, section headers and program headers.
// Addresses stay bigint (a vmlinux or a BPF object can use all 64 bits); file offsets and sizes are
// numbers, checked to be exact.
import {
  elfClass64, elfDataLittleEndian, elfMagic, headerSize, programHeaderSize, sectionHeaderSize,
  sectionIndexExtended,
} from './constants.js';
import { ElfError } from './errors.js';

export interface ElfHeader {
  /** e_type: 1 relocatable, 2 executable, 3 shared object (also PIE executables), 4 core. */
  readonly type: number;
  readonly machine: number;
  readonly entry: bigint;
  readonly programHeaderOffset: number;
  readonly sectionHeaderOffset: number;
  readonly flags: number;
  readonly programHeaderCount: number;
  readonly sectionHeaderCount: number;
  readonly sectionNamesIndex: number;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly address: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addressAlign: number;
  readonly entrySize: number;
}

export interface ElfSegment {
  readonly type: number;
  /** PF_X 1, PF_W 2, PF_R 4. */
  readonly flags: number;
  readonly offset: number;
  readonly virtualAddress: bigint;
  readonly physicalAddress: bigint;
  readonly fileSize: number;
  readonly memorySize: number;
  readonly align: number;
}

export function parseHeader(bytes: Uint8Array, path: string): ElfHeader {
  if (bytes.byteLength < headerSize) throw new ElfError('not-elf', path, 'shorter than an ELF header');
  const view = viewOf(bytes);
  if (view.getUint32(0, true) !== elfMagic) throw new ElfError('not-elf', path, 'no ELF magic');
  if (bytes[4] !== elfClass64) throw new ElfError('unsupported', path, 'only 64-bit ELF files are supported');
  if (bytes[5] !== elfDataLittleEndian) throw new ElfError('unsupported', path, 'only little-endian ELF files are supported');
  return {
    type: view.getUint16(16, true),
    machine: view.getUint16(18, true),
    entry: view.getBigUint64(24, true),
    programHeaderOffset: exactNumber(view.getBigUint64(32, true), path),
    sectionHeaderOffset: exactNumber(view.getBigUint64(40, true), path),
    flags: view.getUint32(48, true),
    programHeaderCount: view.getUint16(56, true),
    sectionHeaderCount: view.getUint16(60, true),
    sectionNamesIndex: view.getUint16(62, true),
  };
}

/** Section header fields of entry 0, which carries the real counts when they overflow 16 bits. */
export function extendedCounts(firstSection: Uint8Array): { sectionCount: number; namesIndex: number } {
  const view = viewOf(firstSection);
  return { sectionCount: Number(view.getBigUint64(32, true)), namesIndex: view.getUint32(40, true) };
}

export function realSectionNamesIndex(header: ElfHeader, firstSection: Uint8Array | undefined): number {
  return header.sectionNamesIndex === sectionIndexExtended && firstSection ? extendedCounts(firstSection).namesIndex : header.sectionNamesIndex;
}

/** Section headers without names (`nameOffset` into the section-name string table). */
export interface RawSection extends Omit<ElfSection, 'name'> {
  readonly nameOffset: number;
}

export function parseSectionHeaders(bytes: Uint8Array, count: number, path: string): RawSection[] {
  const view = viewOf(bytes);
  const sections: RawSection[] = [];
  for (let index = 0; index < count; index++) {
    const base = index * sectionHeaderSize;
    sections.push({
      index,
      nameOffset: view.getUint32(base, true),
      type: view.getUint32(base + 4, true),
      flags: view.getBigUint64(base + 8, true),
      address: view.getBigUint64(base + 16, true),
      offset: exactNumber(view.getBigUint64(base + 24, true), path),
      size: exactNumber(view.getBigUint64(base + 32, true), path),
      link: view.getUint32(base + 40, true),
      info: view.getUint32(base + 44, true),
      addressAlign: exactNumber(view.getBigUint64(base + 48, true), path),
      entrySize: exactNumber(view.getBigUint64(base + 56, true), path),
    });
  }
  return sections;
}

export function parseProgramHeaders(bytes: Uint8Array, count: number, path: string): ElfSegment[] {
  const view = viewOf(bytes);
  const segments: ElfSegment[] = [];
  for (let index = 0; index < count; index++) {
    const base = index * programHeaderSize;
    segments.push({
      type: view.getUint32(base, true),
      flags: view.getUint32(base + 4, true),
      offset: exactNumber(view.getBigUint64(base + 8, true), path),
      virtualAddress: view.getBigUint64(base + 16, true),
      physicalAddress: view.getBigUint64(base + 24, true),
      fileSize: exactNumber(view.getBigUint64(base + 32, true), path),
      memorySize: exactNumber(view.getBigUint64(base + 40, true), path),
      align: exactNumber(view.getBigUint64(base + 48, true), path),
    });
  }
  return segments;
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function exactNumber(value: bigint, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('malformed', path, `offset or size ${value} is out of range`);
  return Number(value);
}
