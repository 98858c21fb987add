// Symbol tables against readelf and nm: every libc function, a sample of bash, versions, and a
// program compiled here with its static function.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile, isDefinedFunction, versionedName, type ElfSymbol } from '../../src/elf/index.js';
import { splitVersionedName } from '../../src/elf/versions.js';
import { bashPath, buildFixture, libcPath, readelfSymbols, run } from './tools.js';
import { cc, needs, tool } from '../support/skip.js';

const readelf = tool('readelf');
const nm = tool('nm');

const readelfTypes: Record<string, ElfSymbol['type']> = { FUNC: 'function', IFUNC: 'ifunc', OBJECT: 'object', NOTYPE: 'none', TLS: 'tls', SECTION: 'section', FILE: 'file' };

needs(test, 'libc: every defined function in .dynsym matches readelf (name@version, address, size, type, binding)', [readelf], () => {
  const expected = readelfSymbols(libcPath, 'dynsym').filter((symbol) => (symbol.type === 'FUNC' || symbol.type === 'IFUNC') && symbol.section !== 'UND');
  const elf = ElfFile.open(libcPath);
  const actual = elf.symbols('dynsym').filter(isDefinedFunction);
  assert.ok(expected.length > 2000, `libc has thousands of functions (${expected.length})`);
  assert.is(actual.length, expected.length);
  const byName = new Map(actual.map((symbol) => [versionedName(symbol), symbol]));
  for (const symbol of expected) {
    const found = byName.get(symbol.name);
    assert.ok(found, `${symbol.name} is missing`);
    assert.is(found!.value, symbol.value, symbol.name);
    assert.is(found!.size, symbol.size, symbol.name);
    assert.is(found!.type, readelfTypes[symbol.type], symbol.name);
    assert.is(found!.binding.toUpperCase(), symbol.binding, symbol.name);
  }
  elf.close();
});

needs(test, 'libc: the whole .dynsym, imports included, has readelf\'s names in order', [readelf], () => {
  const expected = readelfSymbols(libcPath, 'dynsym').map((symbol) => symbol.name);
  const elf = ElfFile.open(libcPath);
  const actual = elf.symbols('dynsym').map(versionedName).filter((name) => name !== '');
  assert.equal(actual, expected);
  elf.close();
});

test('versioned names: malloc@@GLIBC_2.2.5 is malloc, memcpy has an old and a default version', () => {
  const elf = ElfFile.open(libcPath);
  const malloc = elf.symbols('dynsym').filter((symbol) => symbol.name === 'malloc');
  assert.is(malloc.length, 1);
  assert.equal(malloc[0]!.version, { name: 'GLIBC_2.2.5', isDefault: true });
  const memcpy = elf.symbols('dynsym').filter((symbol) => symbol.name === 'memcpy').map(versionedName).sort();
  assert.equal(memcpy, ['memcpy@@GLIBC_2.14', 'memcpy@GLIBC_2.2.5']);
  elf.close();
});

needs(test, 'bash: defined dynamic symbols match nm -D (name, address, function or not)', [nm], () => {
  const elf = ElfFile.open(bashPath);
  const ours = new Map(elf.symbols('dynsym').filter((symbol) => symbol.sectionIndex !== 0).map((symbol) => [versionedName(symbol), symbol]));
  let compared = 0;
  for (const line of run('nm', ['-D', '--defined-only', bashPath]).split('\n')) {
    const match = /^([0-9a-f]+) (\w) (.+)$/.exec(line);
    if (!match) continue;
    const symbol = ours.get(match[3]!);
    assert.ok(symbol, `${match[3]} is missing`);
    assert.is(symbol!.value, BigInt(`0x${match[1]}`), match[3]);
    assert.is(isDefinedFunction(symbol!), match[2]!.toUpperCase() === 'T' || match[2] === 'i', match[3]);
    compared++;
  }
  assert.ok(compared > 1000, `compared ${compared} symbols`);
  assert.is(ours.get('readline')?.type, 'function');
  elf.close();
});

needs(test, 'a program built here: its functions, the static one local, match readelf --syms', [readelf, cc], () => {
  const fixture = buildFixture();
  const elf = ElfFile.open(fixture.path);
  const functions = new Map(elf.symbols('symtab').filter(isDefinedFunction).map((symbol) => [symbol.name, symbol]));
  for (const name of ['main', 'tsbpf_leaf', 'tsbpf_middle', 'tsbpf_static_helper', 'tsbpf_gated']) assert.ok(functions.has(name), name);
  assert.is(functions.get('tsbpf_static_helper')!.binding, 'local');
  assert.is(functions.get('tsbpf_leaf')!.binding, 'global');
  const expected = readelfSymbols(fixture.path, 'symtab').filter((symbol) => symbol.type === 'FUNC' && symbol.section !== 'UND');
  assert.is(functions.size, expected.length);
  for (const symbol of expected) {
    assert.is(functions.get(symbol.name)?.value, symbol.value, symbol.name);
    assert.is(functions.get(symbol.name)?.size, symbol.size, symbol.name);
  }
  // The imports keep their versions in .symtab's strings (`printf@GLIBC_2.2.5`); the name is split.
  const printf = elf.symbols('symtab').find((symbol) => symbol.name === 'printf');
  assert.is(printf?.version?.name, 'GLIBC_2.2.5');
  assert.is(printf?.sectionIndex, 0);
  elf.close();
});

test('splitVersionedName: @@ is the default version, @ a hidden one, names without @ untouched', () => {
  assert.equal(splitVersionedName('malloc@@GLIBC_2.2.5'), { name: 'malloc', version: { name: 'GLIBC_2.2.5', isDefault: true } });
  assert.equal(splitVersionedName('memcpy@GLIBC_2.2.5'), { name: 'memcpy', version: { name: 'GLIBC_2.2.5', isDefault: false } });
  assert.equal(splitVersionedName('plain'), { name: 'plain', version: undefined });
  assert.equal(splitVersionedName('trailing@'), { name: 'trailing@', version: undefined });
});

test('a stripped table is empty, not an error: libc has no .symtab', () => {
  const elf = ElfFile.open(libcPath);
  assert.is(elf.section('.symtab'), undefined);
  assert.equal(elf.symbols('symtab'), []);
  elf.close();
});

test.run();
