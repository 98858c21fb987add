// Hand-built ELF files for what real binaries on this machine do not show: notes reachable only
// through PT_NOTE, UTF-8 names, a symbol index larger than the table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile, SegmentType } from '../../src/elf/index.js';
import { buildElf, note, symbolSections } from './build-elf.js';

test('without section headers, notes (the build id) come from PT_NOTE segments', () => {
  const buildId = note('GNU', 3, Uint8Array.from([0xde, 0xad, 0xbe, 0xef]));
  // The note is the first section's data: at offset 64 + 56 (one program header), aligned to 8.
  const bytes = buildElf([{ name: '.note', type: 7, data: buildId }], [
    { type: SegmentType.Note, flags: 4, offset: 120, address: 120n, fileSize: buildId.byteLength, memorySize: buildId.byteLength },
  ], { withSectionHeaders: false });
  const elf = ElfFile.fromBytes(bytes);
  assert.is(elf.sections.length, 0);
  assert.is(elf.buildId(), 'deadbeef');
});

test('symbol names in UTF-8 and names with @ in .symtab', () => {
  const elf = ElfFile.fromBytes(buildElf(symbolSections([
    { name: 'grüße', value: 0x1000n, size: 4 },
    { name: 'old@VERS_1', value: 0x1010n, size: 4 },
    { name: 'new@@VERS_2', value: 0x1020n, size: 4 },
  ])));
  const symbols = elf.symbols('symtab');
  assert.equal(symbols.map((symbol) => [symbol.name, symbol.version?.name, symbol.version?.isDefault]), [
    ['grüße', undefined, undefined],
    ['old', 'VERS_1', false],
    ['new', 'VERS_2', true],
  ]);
});

test('a section past the end of the file is malformed when read, not before', () => {
  const bytes = buildElf(symbolSections([{ name: 'f', value: 0x1000n, size: 4 }]));
  // Point .strtab (section 2) past the end.
  const view = new DataView(bytes.buffer);
  view.setBigUint64(ElfFile.fromBytes(bytes).header.sectionHeaderOffset + 2 * 64 + 24, BigInt(bytes.byteLength + 100), true);
  const broken = ElfFile.fromBytes(bytes);
  assert.throws(() => broken.symbols('symtab'), (error: Error) => error.name === 'ElfError' && /\.strtab/.test(error.message));
});

test.run();
