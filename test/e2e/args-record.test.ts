// `args` as a whole value in a tracepoint: the record after the common fields, printed, kept in a map
// and a variable as bpftrace prints a struct; checked against each field read on its own and against
// values known here (the syscall's number, a child's pid).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { self } from './harness.js';
import { compileErrors } from './harness.js';
import { runScript } from './functions-support.js';

test('print(args) of sys_enter_openat: every field as args.<field> reads it; __syscall_nr is openat\'s', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ {
    print(args);
    printf("{ .__syscall_nr = %ld, .dfd = %ld, .filename = %p, .flags = %ld, .mode = %ld }\\n", args.__syscall_nr, args.dfd, args.filename, args.flags, args.mode);
    $a = args; @a = $a;
  }`, { trigger: () => closeSync(openSync('/etc/hostname', 'r')) });
  const [whole, fields] = stdout.split('\n');
  assert.is(whole, fields);
  assert.ok(whole!.startsWith('{ .__syscall_nr = 257, '), whole);
  assert.ok(stdout.endsWith(`@a: ${whole}\n`), stdout);
});

test('a record with a variable-length field: the fixed fields (sched_process_exec: a child\'s pid twice)', async () => {
  let child = 0;
  const { stdout } = await runScript('tracepoint:sched:sched_process_exec /comm == "true"/ { @[args] = count(); }', {
    trigger: () => {
      child = spawn('/bin/true').pid!;
      execFileSync('/bin/sleep', ['0.2']);
    },
  });
  assert.ok(stdout.includes(`@[{ .pid = ${child}, .old_pid = ${child} }]: 1`), stdout);
});

test('args is a tracepoint\'s record only', () => {
  assert.match(compileErrors('BEGIN { print(args); }'), /args must be followed by a field/);
});

test.run();
