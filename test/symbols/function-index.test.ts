// Address → function inside one file: the fixture's functions against readelf, edge by edge.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile } from '../../src/elf/index.js';
import { FunctionIndex } from '../../src/symbols/index.js';
import { buildFixture, libcPath, readelfSymbols } from '../elf/tools.js';
import { cc, needs, tool } from '../support/skip.js';

needs(test, 'every function of the fixture: first byte, last byte, and one past the end', [tool('readelf'), cc], () => {
  const fixture = buildFixture();
  const elf = ElfFile.open(fixture.path);
  const index = FunctionIndex.build([elf]);
  const functions = readelfSymbols(fixture.path, 'symtab').filter((symbol) => symbol.type === 'FUNC' && symbol.section !== 'UND' && symbol.size > 0);
  assert.ok(functions.length >= 5);
  const starts = new Set(functions.map((symbol) => symbol.value));
  for (const symbol of functions) {
    const start = Number(symbol.value);
    assert.equal(index.lookup(start), { name: symbol.name, offset: 0 }, symbol.name);
    assert.equal(index.lookup(start + symbol.size - 1), { name: symbol.name, offset: symbol.size - 1 }, symbol.name);
    // Past the end is padding (no function) or the next function, never this one.
    const after = index.lookup(start + symbol.size);
    if (after) assert.ok(starts.has(BigInt(start + symbol.size)) && after.offset === 0, `${symbol.name} end`);
  }
  assert.is(index.lookup(0), undefined);
  assert.is(index.lookup(0x7fff_ffff_0000), undefined);
  elf.close();
});

test('libc: built from .dynsym alone, every exported function resolves to a name at its address', () => {
  const elf = ElfFile.open(libcPath);
  const index = FunctionIndex.build([elf]);
  const namesAt = new Map<bigint, Set<string>>();
  for (const symbol of elf.symbols('dynsym')) {
    if (symbol.type !== 'function' || symbol.sectionIndex === 0) continue;
    const names = namesAt.get(symbol.value) ?? new Set();
    names.add(symbol.name);
    namesAt.set(symbol.value, names);
  }
  for (const [address, names] of namesAt) {
    const found = index.lookup(Number(address));
    assert.ok(found && names.has(found.name) && found.offset === 0, `0x${address.toString(16)}: ${found?.name} not in ${[...names]}`);
  }
  elf.close();
});

test.run();
