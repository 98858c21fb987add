// probetype, is_err() and has_cpid() as today's bpftrace defines them: the probe's kind (`special`
// for begin/end), whether a value is an ERR_PTR (-1 … -4095 as a 64-bit value), whether -c gave a
// child.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync } from 'node:fs';
import { self } from './harness.js';
import { runScript } from './functions-support.js';
import { runCli } from '../cli/cli-process.js';

test('probetype: special, tracepoint, interval; bare and called, as a map key', async () => {
  const { stdout } = await runScript(`BEGIN { printf("%s %s\\n", probetype, probetype()); }
    tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ { @[probetype] = count(); }
    interval:ms:100 { @i[probetype()] = 1; exit(); }`, {
    trigger: () => closeSync(openSync('/etc/hostname', 'r')), awaitExit: true,
  });
  assert.is(stdout, 'special special\n\n\n@[tracepoint]: 1\n@i[interval]: 1\n');
});

test('is_err(): true for -1 … -4095 as 64-bit values, false around them and for real pointers', async () => {
  const { stdout } = await runScript('BEGIN { $e = (struct task_struct *)-12; printf("%d %d %d %d %d %d %d\\n", is_err(0), is_err(-1), is_err(-4095), is_err(-4096), is_err(0xfffffffffffff001), is_err($e), is_err(curtask)); exit(); }');
  assert.is(stdout.split('\n')[0], '0 1 1 0 1 1 0');
});

test('has_cpid(): true with -c, false without', async () => {
  const without = await runCli(['-e', 'BEGIN { printf("%d\\n", has_cpid()); exit(); }']);
  assert.is(without.stdout.split('\n')[0], '0', without.stderr);
  const withChild = await runCli(['-c', '/bin/sleep 0.3', '-e', 'BEGIN { printf("%d\\n", has_cpid()); exit(); }']);
  assert.is(withChild.stdout.split('\n')[0], '1', withChild.stderr);
});

test.run();
