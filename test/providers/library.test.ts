// tsbpf as a library: the README's embedding example is run as written (its import pointed at this
// build), and Session.readMap() is checked on its own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { compile, run } from '../../src/index.js';
import { callGetppid, self } from '../e2e/harness.js';

const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const libraryUrl = pathToFileURL(fileURLToPath(new URL('../../src/index.js', import.meta.url))).href;

test('the README embedding example runs and prints what it says', () => {
  const readme = readFileSync(readmePath, 'utf8');
  const block = /## Embedding\n[\s\S]*?```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md has an "## Embedding" section with a ```js block');
  const code = block![1]!;
  assert.ok(code.includes("from 'tsbpf'"), 'the example imports the package by name');
  assert.ok(code.trim().split('\n').length <= 14, 'the example stays short');
  const file = join(mkdtempSync(join(tmpdir(), 'tsbpf-readme-')), 'example.mjs');
  writeFileSync(file, code.replace("from 'tsbpf'", `from '${libraryUrl}'`));
  const result = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  assert.is(result.stderr, '');
  assert.is(result.status, 0);
  assert.is(result.stdout, `1 program, 0 diagnostics\n${`getppid from ${result.pid}\n`.repeat(3)}@calls = 3\n`);
});

test('compile() needs no kernel objects and reports errors as diagnostics', () => {
  const result = compile('BEGIN { @x = nope; }');
  assert.is(result.script, undefined);
  assert.equal(result.diagnostics.map((diagnostic) => diagnostic.message), ['unknown identifier: nope']);
});

test('Session.readMap reads a map while the session runs, by script name', async () => {
  const session = run(`tracepoint:syscalls:sys_enter_getppid /pid == ${self.pid}/ { @calls[tid] = count(); @ = count(); }`, { output: null });
  try {
    callGetppid(2);
    const calls = session.readMap('@calls');
    assert.is(calls.name, '@calls');
    assert.equal(calls.entries.map((entry) => entry.value), [{ kind: 'count', value: 2n }]);
    assert.equal(session.readMap('@').entries.map((entry) => entry.value), [{ kind: 'count', value: 2n }]);
    assert.throws(() => session.readMap('@missing'), /the script has no map @missing/);
  } finally {
    await session.stop();
  }
  assert.throws(() => session.readMap('@calls'), /stopped/);
});

test.run();
