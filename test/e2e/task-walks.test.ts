// ppid, pcomm, leader_tid and leader_comm (today's bpftrace stdlib macros over a task): the current
// task's, and of a task passed in, checked against /proc. BEGIN runs in this test's own thread; the
// tracepoint case sees a child this test starts (so its parent is this process).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { self } from './harness.js';
import { runScript } from './functions-support.js';

const commOf = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

test('bare and called, of curtask: the parent\'s pid and name, the group leader\'s tid and name', async () => {
  const { stdout } = await runScript('BEGIN { printf("%d %s %d %s|%d %s %d %s\\n", ppid, pcomm, leader_tid, leader_comm, ppid(), pcomm(), leader_tid(), leader_comm()); exit(); }');
  const line = `${process.ppid} ${commOf(process.ppid)} ${self.pid} ${self.comm}`;
  assert.is(stdout.split('\n')[0], `${line}|${line}`);
});

test('of a task passed in, as map keys and values: a child\'s parent is this process', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_execve /ppid == ${self.pid}/ {
    @[pcomm, leader_comm] = ppid; @grand = ppid(curtask->real_parent); @leader = leader_tid(curtask) == pid;
  }`, { trigger: () => execFileSync('/bin/true') });
  assert.is(stdout, `\n\n@[${self.comm}, ${self.comm}]: ${self.pid}\n@grand: ${process.ppid}\n@leader: true\n`);
});

test('misuse: a task argument that is no pointer, too many arguments', async () => {
  const { compileErrors } = await import('./harness.js');
  assert.is(compileErrors('BEGIN { print(ppid(1)); }'), [
    'test.bt:1:20-21: ERROR: ppid() needs a struct task_struct *, not int64',
    'BEGIN { print(ppid(1)); }',
    '                   ~',
    '',
  ].join('\n'));
  assert.match(compileErrors('BEGIN { print(pcomm(curtask, 1)); }'), /pcomm\(\) takes 0 to 1 argument, not 2/);
});

test.run();
