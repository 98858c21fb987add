// cat() of a file that cannot be read says so as bpftrace does, on stderr, and the run goes on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../cli/cli-process.js';

test('text: an ERROR line with the C library\'s words, then the next cat() prints its file', async () => {
  const result = await runCli(['-q', '-e', 'BEGIN { cat("/does/not/exist/file"); cat("/proc/sys/kernel/ostype"); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stderr, "ERROR: failed to open file '/does/not/exist/file' (No such file or directory)\n");
  assert.is(result.stdout, 'Linux\n\n\n');
});

test('JSON: a runtime_error message', async () => {
  const result = await runCli(['-q', '-f', 'json', '-e', 'BEGIN { cat("/does/not/exist/file"); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout.split('\n')[0]!), { type: 'runtime_error', msg: "failed to open file '/does/not/exist/file' (No such file or directory)" });
});

test.run();
