// usermode: 1 when the probe interrupted user code (the saved CS register's privilege level is 3), read
// from the registers where the context has them; a constant where it has none, as bpftrace folds it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { needs } from '../support/skip.js';
import { buildTarget, runCalls, targetNeeds } from '../providers/target.js';
import { atExit } from './case.js';
import { callGetppid, compileErrors, onlySelf, run } from './harness.js';

test('BEGIN and END run from userspace: usermode is 1 (with or without parentheses)', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("%d %d\\n", usermode, usermode()); exit(); } END { print(usermode); }');
  assert.is(stderr, '');
  assert.is(stdout, `1 1\n1\n${atExit()}`);
});

test('a tracepoint has no interrupted registers: usermode is 0, and it is a u8 in a map', async () => {
  const { stdout } = await run(`tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @m = usermode; exit(); }`, { trigger: () => callGetppid(1), awaitExit: true });
  assert.is(stdout, atExit('@m: 0\n'));
});

needs(test, 'a uprobe fires in user code: usermode is 1', targetNeeds, async () => {
  const target = buildTarget('O0');
  const { stdout } = await run(`uprobe:${target}:tsbpf_add { @[usermode] = count(); }`, { trigger: () => runCalls(target, 2) });
  assert.is(stdout, atExit('@[1]: 2\n'));
});

test('a context switch happens in the kernel: a perf event\'s registers say usermode 0', async () => {
  const { stdout } = await run(`software:context-switches:1 ${onlySelf} { print(usermode); exit(); }`, {
    trigger: () => new Promise((resolve) => setTimeout(resolve, 20)),
    awaitExit: true,
  });
  assert.is(stdout, `0\n${atExit()}`);
});

test('usermode takes no arguments', () => {
  assert.match(compileErrors('BEGIN { print(usermode(1)); }'), 'usermode() takes 0 arguments, not 1');
});

test.run();
