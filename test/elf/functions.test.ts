// Function listing for uprobe wildcards: bash (dynamic symbols only) against nm, and the fixture.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile, matchFunctions } from '../../src/elf/index.js';
import { globToRegExp } from '../../src/btf/glob.js';
import { bashPath, buildFixture, run } from './tools.js';
import { cc, needs, tool } from '../support/skip.js';

const nm = tool('nm');

function nmFunctions(path: string, dynamic: boolean): Map<string, bigint> {
  const functions = new Map<string, bigint>();
  for (const line of run('nm', [...(dynamic ? ['-D'] : []), '--defined-only', path]).split('\n')) {
    const match = /^([0-9a-f]+) ([TtWiI]) ([^@]+)/.exec(line);
    if (match && !functions.has(match[3]!)) functions.set(match[3]!, BigInt(`0x${match[1]}`));
  }
  return functions;
}

needs(test, 'uprobe:/bin/bash:read* lists what nm -D lists, sorted, each once', [nm], () => {
  const elf = ElfFile.open(bashPath);
  const pattern = globToRegExp('read*');
  const expected = [...nmFunctions(bashPath, true)].filter(([name]) => pattern.test(name)).sort(([a], [b]) => (a < b ? -1 : 1));
  const matches = matchFunctions(elf, 'read*');
  assert.ok(expected.length >= 5);
  assert.equal(matches.map((target) => target.name), expected.map(([name]) => name));
  for (const [index, target] of matches.entries()) {
    assert.is(target.address, expected[index]![1], target.name);
    assert.is(target.fileOffset, elf.fileOffsetOf(target.address));
  }
  elf.close();
});

test('an exact name is one target; an unknown one none', () => {
  const elf = ElfFile.open(bashPath);
  assert.equal(matchFunctions(elf, 'readline').map((target) => target.name), ['readline']);
  assert.equal(matchFunctions(elf, 'tsbpf_no_such_function'), []);
  assert.equal(matchFunctions(elf, 'tsbpf_no_such_*'), []);
  elf.close();
});

needs(test, 'the fixture: static functions are targets too; ? and [] globs', [nm, cc], () => {
  const fixture = buildFixture();
  const elf = ElfFile.open(fixture.path);
  const names = matchFunctions(elf, 'tsbpf_*').map((target) => target.name);
  assert.equal(names, ['tsbpf_gated', 'tsbpf_leaf', 'tsbpf_middle', 'tsbpf_static_helper']);
  assert.equal(matchFunctions(elf, 'tsbpf_l??f').map((target) => target.name), ['tsbpf_leaf']);
  assert.equal(matchFunctions(elf, 'tsbpf_[lm]*').map((target) => target.name), ['tsbpf_leaf', 'tsbpf_middle']);
  const all = nmFunctions(fixture.path, false);
  for (const target of matchFunctions(elf, '*')) assert.is(target.address, all.get(target.name), target.name);
  elf.close();
});

test.run();
