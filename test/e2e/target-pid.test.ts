// -p PID limits every kind of probe to that process, as in bpftrace: tracepoints by a check at the
// program's start, software and profile probes by opening their perf events for the process alone.
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callGetppid, run, self } from './harness.js';

test('a tracepoint counts only the target\'s syscalls, not a child\'s nor the machine\'s', async () => {
  const result = await run('tracepoint:syscalls:sys_enter_getppid { @[pid] = count(); }', {
    targetPid: self.pid,
    trigger: () => {
      callGetppid(3);
      spawnSync(process.execPath, ['-e', 'for (let i = 0; i < 5; i++) process.ppid;']);
    },
  });
  assert.is(result.stdout, `\n\n@[${self.pid}]: 3\n`);
});

/** A process that keeps a CPU busy for `milliseconds`. */
function spinner(milliseconds: number) {
  return spawn(process.execPath, ['-e', `const end = Date.now() + ${milliseconds}; while (Date.now() < end) {}`], { stdio: 'ignore' });
}

for (const probe of ['software:cpu-clock:1000000', 'profile:hz:997']) {
  test(`${probe} samples only the target process`, async () => {
    const busy = spinner(3000);
    const other = spinner(3000);
    try {
      const result = await run(`${probe} { @[pid] = count(); }`, { targetPid: busy.pid!, trigger: () => sleep(500) });
      const keys = [...result.stdout.matchAll(/^@\[(\d+)\]: (\d+)$/gm)].map((match) => [Number(match[1]), Number(match[2])] as const);
      assert.equal(keys.map(([pid]) => pid), [busy.pid], result.stdout);
      assert.ok(keys[0]![1] > 10, `only ${keys[0]![1]} samples of a busy process in 500 ms`);
    } finally {
      busy.kill();
      other.kill();
    }
  });
}

test.run();
