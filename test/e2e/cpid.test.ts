// cpid: the -c command's pid, as the program sees it; an error without -c.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/cli-process.js';

test('with -c, cpid is the pid of the command: the pid it reports for itself, its one exit_group', async () => {
  // -c splits at spaces without shell quoting (as bpftrace), so the shell line is a script file.
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-cpid-'));
  const script = join(directory, 'report-pid');
  writeFileSync(script, '#!/bin/sh\necho $$\n');
  chmodSync(script, 0o755);
  const result = await runCli(['-q', '-c', script, '-e',
    'BEGIN { printf("%d\\n", cpid); } tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { @exits = count(); }']);
  rmSync(directory, { recursive: true, force: true });
  assert.is(result.code, 0, result.stderr);
  const [announced, reported, ...rest] = result.stdout.split('\n');
  assert.match(announced!, /^\d+$/);
  assert.is(announced, reported, 'BEGIN printed the pid the command reports for itself');
  assert.is(rest.join('\n'), '\n\n@exits: 1\n');
});

test('without -c, cpid is an error at its use', async () => {
  const result = await runCli(['-e', 'BEGIN { printf("%d\\n", cpid); exit(); }']);
  assert.is(result.code, 1);
  assert.match(result.stderr, /^stdin:1:24-28: ERROR: cpid cannot be used without a child command\n/);
});

test.run();
