// uprobe target resolution on this machine: paths, $PATH, ld.so.cache, library directories, -p.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { realpathSync } from 'node:fs';
import { resolveTarget } from '../../src/elf/index.js';
import { run } from './tools.js';
import { needs, tool, x86_64 } from '../support/skip.js';

const ldconfig = tool('ldconfig');

/** The x86-64 libc.so.6 that `ldconfig -p` lists (it must list one where ldconfig exists on x86-64). */
function libcFromLdconfig(): string {
  const listed = /\tlibc\.so\.6 \(libc6,x86-64\) => (\S+)/.exec(run('ldconfig', ['-p']))?.[1];
  if (!listed) throw new Error('ldconfig -p lists no x86-64 libc.so.6');
  return listed;
}

needs(test, 'libc, libc.so.6 and c all resolve to the libc ldconfig lists, through the cache', [ldconfig, x86_64], () => {
  for (const target of ['libc', 'libc.so.6', 'c']) {
    assert.equal(resolveTarget(target, { searchPath: '' }), { kind: 'found', path: libcFromLdconfig(), via: 'ld-cache' }, target);
  }
});

test('a program name is found in $PATH first', () => {
  const expected = run('sh', ['-c', 'command -v bash']).trim();
  assert.equal(resolveTarget('bash'), { kind: 'found', path: expected, via: 'search-path' });
  assert.equal(resolveTarget('bash', { searchPath: '/nonexistent:/bin' }), { kind: 'found', path: '/bin/bash', via: 'search-path' });
});

test('anything with a slash is a path, relative ones against cwd', () => {
  assert.equal(resolveTarget('/bin/bash'), { kind: 'found', path: '/bin/bash', via: 'path' });
  assert.equal(resolveTarget('./bash', { cwd: '/bin' }), { kind: 'found', path: '/bin/bash', via: 'path' });
  const missing = resolveTarget('/nonexistent/prog');
  assert.equal(missing, { kind: 'not-found', target: '/nonexistent/prog', message: '/nonexistent/prog: no such file' });
});

test('without a cache, libraries are found in the standard directories (the soname, not a linker script)', () => {
  const result = resolveTarget('libc', { searchPath: '', ldCachePath: '/nonexistent/ld.so.cache' });
  assert.is(result.kind, 'found');
  if (result.kind !== 'found') return;
  assert.is(result.via, 'library-directory');
  assert.match(result.path, /\/libc\.so\.6$/);
  if (ldconfig.present && x86_64.present) assert.is(realpathSync(result.path), realpathSync(libcFromLdconfig()));
});

test('with a pid, the library that process has mapped wins', () => {
  const result = resolveTarget('libc', { pid: process.pid, searchPath: '' });
  assert.is(result.kind, 'found');
  if (result.kind !== 'found') return;
  assert.is(result.via, 'process');
  const mapped = run('sh', ['-c', `grep -m1 -o '/[^ ]*libc\\.so\\.6' /proc/${process.pid}/maps`]).trim();
  assert.is(result.path, mapped);
});

test('an unknown name is not found, with a message saying where it looked', () => {
  const result = resolveTarget('tsbpf-no-such-library', { searchPath: '/bin' });
  assert.is(result.kind, 'not-found');
  assert.match(result.kind === 'not-found' ? result.message : '', "not found in $PATH, /etc/ld.so.cache or the library directories");
});

test.run();
