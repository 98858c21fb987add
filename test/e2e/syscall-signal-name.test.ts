// syscall_name(n) and signal_name(n): numbers printed as bpftrace's tables name them, the argument
// taken as an int32; a number the kernel has no syscall for and a signal past 64 have bpftrace's texts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { atExit } from './case.js';
import { callGetppid, compileErrors, run } from './harness.js';

test('syscall_name(): names by number, x32 entries, int32 wrap-around and unknown numbers', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("%s|%s|%s|%s|%s|%s\\n", syscall_name(0), syscall_name(257), syscall_name(547), syscall_name(0x100000001), syscall_name(500), syscall_name(-1)); exit(); }');
  assert.is(stderr, '');
  assert.is(stdout, `read|openat|pwritev2|write|Unknown syscall|Unknown syscall\n${atExit()}`);
});

test('syscall_name() of the number a raw syscall tracepoint sees', async () => {
  const { stdout } = await run(`tracepoint:raw_syscalls:sys_enter /pid == ${process.pid} && args.id == 110/ { print(syscall_name(args.id)); @[syscall_name(args.id)] = count(); exit(); }`, {
    trigger: () => callGetppid(1),
    awaitExit: true,
  });
  assert.is(stdout, `getppid\n${atExit('@[getppid]: 1\n')}`);
});

test('signal_name(): strsignal\'s texts, real-time signals, and bpftrace\'s texts out of range', async () => {
  const { stdout } = await run('BEGIN { printf("%s|%s|%s|%s|%s|%s|%s|%s\\n", signal_name(2), signal_name(9), signal_name(31), signal_name(0), signal_name(32), signal_name(34), signal_name(64), signal_name(65)); print(signal_name(-15)); exit(); }');
  assert.is(stdout, `Interrupt|Killed|Bad system call|Unknown signal 0|Unknown signal 32|Real-time signal 0|Real-time signal 30|N/A\nN/A\n${atExit()}`);
});

test('-f json: strings in values, maps and keys', async () => {
  const { stdout } = await run('BEGIN { print(signal_name(15)); @s[syscall_name(59)] = signal_name(19); exit(); }', { format: 'json' });
  assert.equal(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown), [
    { type: 'value', data: 'Terminated' },
    { type: 'map', data: { '@s': { execve: 'Stopped (signal)' } } },
  ]);
});

test('each takes one integer', () => {
  assert.match(compileErrors('BEGIN { print(syscall_name("read")); }'), 'syscall_name() needs an integer here, not string[5]');
  assert.match(compileErrors('BEGIN { print(signal_name()); }'), 'signal_name() takes 1 argument, not 0');
  assert.match(compileErrors('BEGIN { printf("%d\\n", syscall_name(1)); }'), 'printf: %d needs an integer, but this is syscall_name');
});

test.run();
