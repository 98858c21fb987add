// ncpus: the possible CPUs of the machine compiled for (the host's), as a constant, read without
// parentheses or with them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { possibleCpuCount } from '../../src/loader/cpus.js';
import { liveHost } from '../../src/host/live.js';
import type { Host } from '../../src/model/host.js';
import { atExit } from './case.js';
import { compileErrors, run } from './harness.js';

test('ncpus is this machine\'s possible CPU count, in a program and in a map', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("%d %d\\n", ncpus, ncpus()); @n = ncpus; exit(); }');
  assert.is(stderr, '');
  const cpus = possibleCpuCount();
  assert.is(stdout, `${cpus} ${cpus}\n${atExit(`@n: ${cpus}\n`)}`);
});

test('the count is the host\'s, compiled into the program', () => {
  const live = liveHost();
  const withCpus = (count: number): Host => ({ ...live, possibleCpuCount: () => count });
  const bytes = (count: number) => Buffer.from(compile('BEGIN { @n = ncpus; }', { host: withCpus(count) }).script!.programs[0]!.assembled.bytes).toString('hex');
  assert.is.not(bytes(3), bytes(5));
  assert.is(bytes(3), bytes(3));
});

test('with arguments, ncpus does not compile', () => {
  assert.match(compileErrors('BEGIN { printf("%d\\n", ncpus(1)); }'), 'ncpus() takes 0 arguments, not 1');
});

test.run();
