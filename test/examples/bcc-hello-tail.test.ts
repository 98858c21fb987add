// examples/bcc-hello-tail.tsbpf: every syscall enters rawtracepoint:sys_enter and is dispatched by
// number to its case's program; numbers without a case fall through to @other. `timeout 5
// /bin/true` calls execve, timer_create and timer_settime, then its child calls execve.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callGetppid, self } from '../e2e/harness.js';
import { linesOf, mapEntries, runCommand, startExample } from './example-run.js';

function line(pid: number, comm: string, text: string): string {
  return `${String(pid).padEnd(7)} ${comm.padEnd(16)} ${text}`;
}

test('exec and timer syscalls run their cases, the quiet ones nothing, the rest are counted', async () => {
  const example = startExample('bcc-hello-tail.tsbpf');
  let child = 0;
  try {
    child = await runCommand('/usr/bin/timeout', ['5', '/bin/true']);
    callGetppid(5);
  } finally {
    await example.stop();
  }
  const output = example.output();
  assert.equal(linesOf(output, child), [
    line(child, self.comm, 'executes a program'),
    line(child, 'timeout', 'timer_create'),
    line(child, 'timeout', 'timer_settime'),
  ]);
  // timeout's own child, which runs /bin/true (other timeouts may run on the machine too).
  const grandchildren = [...output.matchAll(/^(\d+) +timeout +executes a program$/gm)].map((match) => Number(match[1])).filter((pid) => pid !== child);
  assert.ok(grandchildren.length >= 1, output);
  const other = mapEntries(output, 'other');
  assert.ok((other['110'] ?? 0) >= 5, `getppid falls through to @other: ${other['110']}`);
  for (const handled of [59, 322, 222, 223, 224, 225, 226, 0, 1, 3, 7, 202, 232, 281]) {
    assert.is(other[String(handled)], undefined, `syscall ${handled} has a case and never reaches @other`);
  }
});

test.run();
