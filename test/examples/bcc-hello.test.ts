// The BCC introduction's hello programs (examples/bcc-hello*.tsbpf): each runs against the real
// kernel while the test starts programs, and the lines for those processes are checked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { self } from '../e2e/harness.js';
import { linesOf, runCommand, startExample, testUid } from './example-run.js';

const tracefs = '/sys/kernel/tracing';

test('bcc-hello: debugf() puts "Hello World!" in the kernel trace buffer for each exec, and prints nothing itself', async () => {
  const example = startExample('bcc-hello.tsbpf');
  const pids: number[] = [];
  try {
    for (let index = 0; index < 3; index++) pids.push(await runCommand('/bin/true'));
  } finally {
    assert.is(await example.stop(), '\n\n');
  }
  // The kernel trace buffer is the whole machine's: only the lines of this test's own pids count, and
  // the test waits for them to show (a line can reach `trace` after the exec returned) instead of
  // reading once. `trace` shows the buffer without consuming it (trace_pipe would take others' lines).
  const lineOf = (pid: number) => new RegExp(`-${pid}\\s+\\[\\d+\\] \\S+\\s+[\\d.]+: bpf_trace_printk: Hello World!$`, 'm');
  let trace = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    trace = readFileSync(`${tracefs}/trace`, 'utf8');
    if (pids.every((pid) => lineOf(pid).test(trace))) break;
    await sleep(50); // hang guard: 5 s in all
  }
  for (const pid of pids) {
    assert.match(trace, lineOf(pid), `no line for pid ${pid}`);
  }
});

test('bcc-hello-printf: one line per exec, with the pid and name of the process that called exec', async () => {
  const example = startExample('bcc-hello-printf.tsbpf');
  let pids: number[] = [];
  try {
    pids = [await runCommand('/bin/true'), await runCommand('/bin/true')];
  } finally {
    await example.stop();
  }
  for (const pid of pids) {
    // The forked child still has this process's name when it calls execve.
    assert.equal(linesOf(example.output(), pid), [`${String(pid).padEnd(7)} ${self.comm.padEnd(16)} Hello World!`]);
  }
  assert.ok(example.output().endsWith('\n\n\n'), 'no maps at exit');
});

test('bcc-hello-buffer: a header, then a record per exec with pid, uid, command and a message for root or others', async () => {
  const example = startExample('bcc-hello-buffer.tsbpf');
  let root = 0;
  let other = 0;
  try {
    root = await runCommand('/bin/true');
    other = await runCommand('/bin/true', [], { uid: testUid.first });
  } finally {
    await example.stop();
  }
  const output = example.output();
  assert.ok(output.startsWith('PID     UID     COMM             MESSAGE\n'), output.slice(0, 200));
  assert.equal(linesOf(output, root), [`${String(root).padEnd(7)} ${'0'.padEnd(7)} ${self.comm.padEnd(16)} Hey root!`]);
  assert.equal(linesOf(output, other), [`${String(other).padEnd(7)} ${String(testUid.first).padEnd(7)} ${self.comm.padEnd(16)} Hello World`]);
});

test.run();
