// Builtin variables, asserted against what the test process knows about itself.
import { readFileSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as assert from 'uvu/assert';
import { possibleCpuCount } from '../../../src/loader/cpus.js';
import { atExit, matchAll, type Case } from '../case.js';
import { callGetppid, onlySelf, self } from '../harness.js';

const loadedAtNs = process.hrtime.bigint();

/** The cgroup v2 id of this process: the inode of its directory in the unified hierarchy. */
function ownCgroupId(): bigint {
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((entry) => entry.startsWith('0::'))!;
  const mount = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((entry) => entry.split(' ')).find((fields) => fields[2] === 'cgroup2')![1]!;
  return statSync(`${mount}${line.slice(3)}`, { bigint: true }).ino;
}

/** One getppid call from a worker thread (its own tid, same pid); waits for it synchronously. */
function getppidFromAnotherThread(): void {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const source = 'const { workerData } = require("node:worker_threads"); void process.ppid; Atomics.store(workerData, 0, 1); Atomics.notify(workerData, 0);';
  const worker = new Worker(source, { eval: true, workerData: done });
  Atomics.wait(done, 0, 0, 20_000);
  void worker.terminate();
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const builtinCases: Case[] = [
  {
    name: 'pid and tid are this process and its main thread',
    program: 'BEGIN { printf("%d %d %d\\n", pid, tid, pid() == pid); exit(); }',
    expect: `${self.pid} ${self.pid} 1\n${atExit()}`,
  },
  {
    name: 'tid tells threads apart: a worker thread has its own tid and the same pid',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @sameAsPid[tid == pid] = count(); }`,
    trigger: () => {
      getppidFromAnotherThread();
      callGetppid(2);
    },
    expect: atExit('@sameAsPid[false]: 1\n@sameAsPid[true]: 2\n'),
  },
  {
    name: 'uid and gid are this process\'s ids',
    program: 'BEGIN { printf("%d %d\\n", uid, gid); exit(); }',
    expect: `${self.uid} ${self.gid}\n${atExit()}`,
  },
  {
    name: 'comm is the process name from /proc/self/comm',
    program: 'BEGIN { printf("[%s]\\n", comm); @[comm] = count(); exit(); }',
    expect: `[${self.comm}]\n${atExit(`@[${self.comm}]: 1\n`)}`,
  },
  {
    name: 'cpu is below the number of possible CPUs',
    program: `BEGIN { printf("%d\\n", cpu < ${possibleCpuCount()}); exit(); }`,
    expect: `1\n${atExit()}`,
  },
  {
    name: 'nsecs is CLOCK_MONOTONIC, between the test\'s own readings, and does not go back',
    program: 'BEGIN { $a = nsecs; $b = nsecs; printf("%llu %d\\n", $a, $b >= $a); exit(); }',
    expect: (stdout) => {
      const now = process.hrtime.bigint();
      const [value] = matchAll(stdout, /(\d+) 1\n\n\n/);
      assert.ok(BigInt(value!) > loadedAtNs && BigInt(value!) < now, `nsecs ${value} is not between ${loadedAtNs} and ${now}`);
    },
  },
  {
    name: 'elapsed counts from the session start',
    program: 'BEGIN { printf("%d %d\\n", elapsed > 0, elapsed < 1000000000); }'
      + ` tracepoint:syscalls:sys_enter_getppid ${onlySelf} { printf("%d\\n", elapsed >= 50000000); }`,
    trigger: () => {
      sleepMs(60);
      callGetppid(1);
    },
    expect: `1 1\n1\n${atExit()}`,
  },
  {
    name: 'rand gives different zero-extended 32-bit values',
    program: 'BEGIN { $negative = 0; unroll(32) { if ((int64)rand < 0) { $negative++; } }'
      + ' printf("%d %d\\n", $negative, rand != rand || rand != rand); exit(); }',
    expect: `0 1\n${atExit()}`,
  },
  {
    name: 'cgroup is the id of this process\'s cgroup v2',
    program: 'BEGIN { printf("%llu\\n", cgroup); exit(); }',
    expect: `${ownCgroupId()}\n${atExit()}`,
  },
  {
    name: 'curtask is the same kernel task_struct address in BEGIN and in a tracepoint of this thread',
    program: 'BEGIN { @task = curtask; printf("%d\\n", curtask >= 0xffff800000000000); }'
      + ` tracepoint:syscalls:sys_enter_getppid ${onlySelf} { printf("%d\\n", curtask == @task); }`,
    trigger: () => callGetppid(2),
    expect: (stdout) => {
      // A pointer (struct task_struct *) prints in hex, as in bpftrace.
      const [address] = matchAll(stdout, /1\n1\n1\n\n\n@task: 0x([0-9a-f]+)\n/);
      assert.ok(BigInt(`0x${address!}`) >= 0xffff800000000000n);
    },
  },
];
