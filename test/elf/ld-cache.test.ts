// /etc/ld.so.cache against ldconfig -p, and hand-built caches in both layouts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { findInLdCache, parseLdCache, type LdCacheEntry } from '../../src/elf/index.js';
import { run } from './tools.js';
import { file, needs, tool } from '../support/skip.js';


needs(test, 'the system cache has what ldconfig -p lists, in the same order', [file('/etc/ld.so.cache', 'the dynamic linker cache'), tool('ldconfig')], () => {
  const entries = parseLdCache(readFileSync('/etc/ld.so.cache'));
  assert.ok(entries, 'parsed');
  const listed = [...run('ldconfig', ['-p']).matchAll(/^\t(\S+) \(([^)]*)\) => (\S+)$/gm)];
  assert.is(entries!.length, listed.length);
  for (const [index, [, name, flags, path]] of listed.entries()) {
    assert.is(entries![index]!.name, name);
    assert.is(entries![index]!.path, path);
    if (flags === 'libc6,x86-64') assert.is(entries![index]!.flags, 0x0303, name);
  }
});

/** A cache in the current layout: header, entries, then the strings they point at. */
function buildCache(entries: readonly { name: string; path: string; flags: number; hwcap?: bigint }[], legacyPrefix = false): Uint8Array {
  const headerSize = 48;
  const tableSize = headerSize + entries.length * 24;
  const strings: number[] = [];
  const stringOffset = (text: string): number => {
    const offset = tableSize + strings.length;
    strings.push(...Buffer.from(`${text}\0`, 'latin1'));
    return offset;
  };
  const offsets = entries.map((entry) => ({ name: stringOffset(entry.name), path: stringOffset(entry.path) }));
  const table = new Uint8Array(tableSize + strings.length);
  const view = new DataView(table.buffer);
  table.set(Buffer.from('glibc-ld.so.cache1.1', 'latin1'));
  view.setUint32(20, entries.length, true);
  view.setUint32(24, strings.length, true);
  for (const [index, entry] of entries.entries()) {
    const base = headerSize + index * 24;
    view.setInt32(base, entry.flags, true);
    view.setUint32(base + 4, offsets[index]!.name, true);
    view.setUint32(base + 8, offsets[index]!.path, true);
    view.setBigUint64(base + 16, entry.hwcap ?? 0n, true);
  }
  table.set(strings, tableSize);
  if (!legacyPrefix) return table;
  // ld.so-1.7.0 with one 12-byte entry: 16 + 12 = 28, aligned to 32.
  const legacy = new Uint8Array(32);
  legacy.set(Buffer.from('ld.so-1.7.0', 'latin1'));
  new DataView(legacy.buffer).setUint32(12, 1, true);
  const combined = new Uint8Array(legacy.length + table.length);
  combined.set(legacy);
  combined.set(table, legacy.length);
  return combined;
}

const sample = [
  { name: 'libfoo.so.2', path: '/opt/arm/libfoo.so.2', flags: 0x0a03 },
  { name: 'libfoo.so.2', path: '/usr/lib/libfoo.so.2', flags: 0x0303 },
  { name: 'libc.so.6', path: '/usr/lib/glibc-hwcaps/x86-64-v3/libc.so.6', flags: 0x0303, hwcap: 1n << 62n },
  { name: 'libc.so.6', path: '/usr/lib/libc.so.6', flags: 0x0303 },
  { name: 'libcap.so.2', path: '/usr/lib/libcap.so.2', flags: 0x0303 },
];

test('a hand-built cache parses, alone or after a legacy table', () => {
  for (const legacy of [false, true]) {
    const entries = parseLdCache(buildCache(sample, legacy));
    assert.equal(entries?.map((entry) => [entry.name, entry.path, entry.flags]), sample.map((entry) => [entry.name, entry.path, entry.flags]), `legacy prefix ${legacy}`);
    assert.is(entries![2]!.hwcap, 1n << 62n);
  }
});

test('garbage and truncated caches are undefined, not a crash', () => {
  assert.is(parseLdCache(Buffer.from('not a cache at all, definitely not')), undefined);
  const whole = buildCache(sample);
  assert.is(parseLdCache(whole.subarray(0, 60)), undefined);
});

test('lookup: exact soname, stem, bare name; this architecture only; plain before hwcaps builds', () => {
  const entries = parseLdCache(buildCache(sample)) as LdCacheEntry[];
  const x86 = 0x0303;
  assert.is(findInLdCache('libc.so.6', entries, x86), '/usr/lib/libc.so.6');
  assert.is(findInLdCache('libc', entries, x86), '/usr/lib/libc.so.6');
  assert.is(findInLdCache('c', entries, x86), '/usr/lib/libc.so.6');
  assert.is(findInLdCache('libcap', entries, x86), '/usr/lib/libcap.so.2');
  assert.is(findInLdCache('libfoo', entries, x86), '/usr/lib/libfoo.so.2');
  assert.is(findInLdCache('libfoo', entries, 0x0a03), '/opt/arm/libfoo.so.2');
  assert.is(findInLdCache('libca', entries, x86), undefined, 'a prefix of a name is not a match');
});

test.run();
