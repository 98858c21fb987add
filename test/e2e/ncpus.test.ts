// ncpus: the possible CPUs, as a constant the compiler takes from its configuration (this machine's
// by default), read without parentheses or with them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { check } from '../../src/check/checker.js';
import { functionTable } from '../../src/functions/index.js';
import { possibleCpuCount } from '../../src/loader/cpus.js';
import { parse } from '../../src/parser/parse.js';
import { atExit } from './case.js';
import { compileErrors, run } from './harness.js';

test('ncpus is this machine\'s possible CPU count, in a program and in a map', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("%d %d\\n", ncpus, ncpus()); @n = ncpus; exit(); }');
  assert.is(stderr, '');
  const cpus = possibleCpuCount();
  assert.is(stdout, `${cpus} ${cpus}\n${atExit(`@n: ${cpus}\n`)}`);
});

test('the count is the configuration\'s, compiled into the program', () => {
  const bytes = (cpuCount: number) => Buffer.from(compile('BEGIN { @n = ncpus; }', { cpuCount }).script!.programs[0]!.assembled.bytes).toString('hex');
  assert.is.not(bytes(3), bytes(5));
  assert.is(bytes(3), bytes(3));
});

test('without a CPU count, or with arguments, ncpus does not compile', () => {
  const unknown = check(parse('BEGIN { printf("%d\\n", ncpus); }', 'test.bt').program!, functionTable, {});
  assert.equal(unknown.diagnostics.map((diagnostic) => diagnostic.message), ['ncpus: the CPU count of the machine is not known to this compilation']);
  assert.match(compileErrors('BEGIN { printf("%d\\n", ncpus(1)); }'), 'ncpus() takes 0 arguments, not 1');
});

test.run();
