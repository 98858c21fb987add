// cpid: the -c command's pid, as the program sees it; an error without -c.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../cli/cli-process.js';

test('with -c, cpid is the pid of the command: the pid it reports for itself, its one exit_group', async () => {
  const result = await runCli(['-q', '-c', "sh -c 'echo $$'", '-e',
    'BEGIN { printf("%d\\n", cpid); } tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { @exits = count(); }']);
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
