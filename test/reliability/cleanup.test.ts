// Issue 9, part 4: every way a run ends — exit(), Ctrl-C, SIGTERM, SIGHUP, an error while running,
// the reader of stdout going away, SIGKILL — leaves no program, map or link in the kernel (checked
// against bpftool's lists by the ids the tsbpf process held), and prints the maps where it can.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCli, type RunningCli } from '../cli/cli-process.js';
import { heldObjects, remainingAfter, stackTrace, type HeldObjects } from './kernel-objects.js';
import { needs, tool } from '../support/skip.js';

/** Programs of every attach kind the machine has: perf-event tracepoint, timer, uprobe (libc), raw tracepoint. */
const busyScript = 'tracepoint:sched:sched_switch { @switches = count(); } interval:ms:20 { @ticks = count(); }'
  + ' uprobe:libc:getpid { @getpid = count(); } rawtracepoint:sys_enter { @syscalls = count(); }';
const busyProbeCount = 4;

/** Starts a run and returns it with what it holds once attached. */
async function attachedRun(args: readonly string[], probes: number): Promise<{ running: RunningCli; held: HeldObjects }> {
  const running = startCli(args);
  await running.waitFor(`Attached ${probes} probe`);
  const held = heldObjects(running.child.pid!);
  assert.ok(held.programs.length >= probes && held.maps.length > 0, `the run holds its programs and maps: ${JSON.stringify(held)}`);
  return { running, held };
}

/** Every test here needs bpftool: what the kernel still has is read from `bpftool … show` (a failing bpftool fails the test). */
const bpftool = tool('bpftool');

async function assertNothingLeft(held: HeldObjects): Promise<void> {
  assert.equal(await remainingAfter(held), [], 'the kernel still has objects of the finished run');
}

needs(test, 'exit() from a probe: exit code 0, the maps printed, nothing left in the kernel', [bpftool], async () => {
  const { running, held } = await attachedRun(['-e', `${busyScript} interval:ms:500 { exit(); }`], busyProbeCount + 1);
  assert.ok(held.perfEvents >= 2, 'tracepoint and timer perf events are open');
  const result = await running.result;
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\n\n(@getpid: [1-9]\d*\n)?@switches: [1-9]\d*\n@syscalls: [1-9]\d*\n@ticks: [1-9]\d*\n$/);
  await assertNothingLeft(held);
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  needs(test, `${signal}: exit code 0, the maps printed, nothing left in the kernel`, [bpftool], async () => {
    const { running, held } = await attachedRun(['-e', `${busyScript} END { printf("end\\n"); }`], busyProbeCount + 1);
    running.child.kill(signal);
    const result = await running.result;
    assert.is(result.signal, null, `ended by its own handler, not killed by ${signal}`);
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, /^end\n\n\n(@getpid: [1-9]\d*\n)?@switches: [1-9]\d*\n@syscalls: [1-9]\d*\n(@ticks: [1-9]\d*\n)?$/);
    await assertNothingLeft(held);
  });
}

needs(test, 'an error while running (output to a full device): one ERROR line, exit code 1, nothing left', [bpftool], async () => {
  const { running, held } = await attachedRun(['-o', '/dev/full', '-e', `${busyScript} interval:ms:200 { printf("to /dev/full\\n"); }`], busyProbeCount + 1);
  const result = await running.result;
  assert.is(result.code, 1);
  assert.match(result.stderr, /^ERROR: .*ENOSPC.*$/m);
  assert.not.match(result.stderr, stackTrace, 'no stack trace');
  await assertNothingLeft(held);
});

needs(test, 'the reader of stdout goes away (tsbpf … | head -1): the run ends quietly with code 0, nothing left', [bpftool], async () => {
  const running = startCli(['-e', `${busyScript} interval:ms:10 { printf("line %d\\n", @n++); }`]);
  await running.waitFor('line 0', 'stdout');
  const held = heldObjects(running.child.pid!);
  running.child.stdout!.destroy();
  const result = await running.result;
  assert.is(result.code, 0, result.stderr);
  assert.not.match(result.stderr, /ERROR|EPIPE/, result.stderr);
  assert.not.match(result.stderr, stackTrace);
  await assertNothingLeft(held);
});

needs(test, 'Ctrl-C during a flood of slow records (print of a full map per syscall): handled at once, the rest counted as lost', [bpftool], async () => {
  const program = 'config = { max_map_keys = 2000 } rawtracepoint:sys_enter { @seen[nsecs] = 1; print(@seen, 1); }';
  const { running, held } = await attachedRun(['-e', program], 1);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const signalled = Date.now();
  running.child.kill('SIGINT');
  const result = await running.result;
  const stopMs = Date.now() - signalled;
  assert.is(result.code, 0, result.stderr);
  assert.ok(stopMs < 20_000, `hang guard: still running ${stopMs} ms after Ctrl-C`);
  assert.match(result.stderr, /^Lost \d+ events$/m, 'records left unhandled are reported, not dropped silently');
  assert.match(result.stderr, /WARNING: map @seen is full \(2000 entries\)/);
  await assertNothingLeft(held);
});

needs(test, 'SIGKILL: the kernel frees everything when the process dies (links die with their fds)', [bpftool], async () => {
  const uprobeEvents = () => {
    try {
      return readFileSync('/sys/kernel/tracing/uprobe_events', 'utf8');
    } catch {
      return '';
    }
  };
  const eventsBefore = uprobeEvents();
  const { running, held } = await attachedRun(['-e', busyScript], busyProbeCount);
  running.child.kill('SIGKILL');
  const result = await running.result;
  assert.is(result.signal, 'SIGKILL');
  await assertNothingLeft(held);
  assert.is(uprobeEvents(), eventsBefore, 'no uprobe event was left registered in tracefs');
});

test.run();
