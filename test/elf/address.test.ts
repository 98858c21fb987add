// Link-time address → file offset (what a uprobe is placed at), checked against the arithmetic on
// readelf -l's LOAD rows, for a shared library, a PIE and a non-PIE executable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile, ElfType, functionTargets, isDefinedFunction } from '../../src/elf/index.js';
import { buildFixture, libcPath, python311Path, readelfSegments, readelfSymbols, type ReadelfSegment } from './tools.js';
import { cc, file, needs, tool } from '../support/skip.js';

const readelf = tool('readelf');

/** readelf's view: the LOAD row whose file-backed range holds the address. */
function expectedOffset(segments: readonly ReadelfSegment[], address: bigint): number | undefined {
  const load = segments.find((segment) => segment.type === 'LOAD' && address >= segment.virtualAddress && address < segment.virtualAddress + BigInt(segment.fileSize));
  return load && load.offset + Number(address - load.virtualAddress);
}

function checkAllFunctions(path: string, table: 'symtab' | 'dynsym'): number {
  const segments = readelfSegments(path);
  const elf = ElfFile.open(path);
  let checked = 0;
  for (const symbol of readelfSymbols(path, table)) {
    if ((symbol.type !== 'FUNC' && symbol.type !== 'IFUNC') || symbol.section === 'UND' || symbol.value === 0n) continue;
    const offset = elf.fileOffsetOf(symbol.value);
    assert.is(offset, expectedOffset(segments, symbol.value), `${symbol.name} at 0x${symbol.value.toString(16)}`);
    assert.is(elf.addressOf(offset!), symbol.value, `${symbol.name} back to its address`);
    checked++;
  }
  elf.close();
  return checked;
}

needs(test, 'libc (shared object): every function', [readelf], () => {
  assert.ok(checkAllFunctions(libcPath, 'dynsym') > 2000);
});

needs(test, 'a PIE and a non-PIE build of the fixture: every function', [readelf, cc], () => {
  const pie = buildFixture({ pie: true });
  const fixed = buildFixture({ pie: false });
  assert.is(ElfFile.open(pie.path).header.type, ElfType.SharedObject);
  assert.is(ElfFile.open(fixed.path).header.type, ElfType.Executable);
  assert.ok(checkAllFunctions(pie.path, 'symtab') >= 5);
  assert.ok(checkAllFunctions(fixed.path, 'symtab') >= 5);
  // Non-PIE: addresses start at 0x400000 and differ from offsets, so the segment arithmetic matters.
  const elf = ElfFile.open(fixed.path);
  const main = functionTargets(elf).get('main')!;
  assert.ok(main.address >= 0x400000n);
  assert.is(main.fileOffset, Number(main.address - 0x400000n));
  elf.close();
});

needs(test, 'python3.11 (non-PIE executable, 6 MB): every function', [readelf, file(python311Path, 'python3.11, a large non-PIE executable')], () => {
  assert.ok(checkAllFunctions(python311Path, 'dynsym') > 1000);
});

test('addresses outside any file-backed segment have no offset (.bss, unmapped)', () => {
  const elf = ElfFile.open(libcPath);
  const bss = elf.section('.bss')!;
  assert.is(elf.fileOffsetOf(bss.address + BigInt(bss.size) - 1n), undefined);
  assert.is(elf.fileOffsetOf(0x7fff_0000_0000n), undefined);
  const anyFunction = elf.symbols('dynsym').find(isDefinedFunction)!;
  assert.type(elf.fileOffsetOf(anyFunction.value), 'number');
  elf.close();
});

test.run();
