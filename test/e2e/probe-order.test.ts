// The order probes run in, as in bpftrace: BEGIN before any other probe is attached, and probes on one
// place in the order the script declares them (uprobes are attached last first, since the kernel runs
// the last one attached first).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { needs } from '../support/skip.js';
import { buildTarget, runCalls, targetNeeds } from '../providers/target.js';
import { atExit } from './case.js';
import { callGetppid, onlySelf, run } from './harness.js';

test('BEGIN runs before the other probes are attached: none of them sees its state unset', async () => {
  // raw_syscalls:sys_enter fires for every syscall on the machine, the BEGIN test run's own bpf() among
  // them when BEGIN ran after attaching.
  const result = await run(`BEGIN { @ready = 1; } tracepoint:raw_syscalls:sys_enter /@ready == 0/ { @early[1] = count(); }`
    + ` tracepoint:syscalls:sys_enter_getppid ${onlySelf} { exit(); }`, { trigger: () => callGetppid(1), awaitExit: true });
  assert.is(result.stdout, atExit('@ready: 1\n'));
});

needs(test, 'two uprobes on one function run in the order the script declares them', targetNeeds, async () => {
  const target = buildTarget('O0');
  const result = await run(`uprobe:${target}:tsbpf_add { printf("first"); } uprobe:${target}:tsbpf_add { printf(" second\\n"); }`
    + ` uretprobe:${target}:tsbpf_add { printf("one"); } uretprobe:${target}:tsbpf_add { printf(" two\\n"); }`, { trigger: () => runCalls(target, 2) });
  assert.is(result.stdout, 'first second\none two\nfirst second\none two\n\n\n');
});

test.run();
