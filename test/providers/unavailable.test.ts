// Probe types this kernel cannot attach are compile errors at the attach point, with the nearest
// tracepoint as the hint; the CLI prints them and exits 1 without a stack trace. Each test first checks
// that the kernel really lacks the feature (on a kernel that has it, the error would be wrong).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cliPath } from '../cli/cli-process.js';
import { compileErrors } from '../e2e/harness.js';
import { feature, kernelHasKprobes, needs } from '../support/skip.js';
import { kernelLoadsFentry, machineCountsCycles } from '../support/kernel-probes.js';

// The tests are about kernels that LACK these features: on a kernel that has one, its test is skipped.
// Decided by the test support's own probes, not by tsbpf's kernel-support module under test.
const withoutKprobes = feature('a kernel without kprobes (CONFIG_KPROBES off), whose error is tested', !kernelHasKprobes);
const withoutTrampolines = feature('a kernel that refuses fentry trampolines, whose error is tested', !kernelLoadsFentry());
const withoutPmu = feature('a machine without hardware counters, whose error is tested', !machineCountsCycles());
const kprobeMessage = 'this kernel cannot attach kprobes: it has no kprobe PMU and no tracefs kprobe_events (it was built without CONFIG_KPROBES)';

needs(test, 'kprobe and kretprobe: the kernel has no kprobes, the hint names the nearest tracepoint', [withoutKprobes], () => {
  assert.is(compileErrors('kprobe:do_sys_open { @ = count(); }'),
    `test.bt:1:1-19: ERROR: kprobe:do_sys_open: ${kprobeMessage}\nkprobe:do_sys_open { @ = count(); }\n~~~~~~~~~~~~~~~~~~\nHINT: the nearest tracepoint is tracepoint:syscalls:sys_enter_openat\n`);
  assert.is(compileErrors('kretprobe:vfs_read { }'),
    `test.bt:1:1-19: ERROR: kretprobe:vfs_read: ${kprobeMessage}\nkretprobe:vfs_read { }\n~~~~~~~~~~~~~~~~~~\nHINT: the nearest tracepoint is tracepoint:syscalls:sys_exit_read\n`);
  assert.match(compileErrors('kprobe:__x64_sys_getppid { }'), 'HINT: the nearest tracepoint is tracepoint:syscalls:sys_enter_getppid\n');
  assert.match(compileErrors('kprobe:wake_up_new_task { }'), 'HINT: the nearest tracepoint is tracepoint:sched:sched_wakeup_new\n');
  assert.match(compileErrors('kprobe:tsbpf_unknown_function { }'), "HINT: look for a tracepoint instead: tsbpf -l 'tracepoint:*tsbpf_unknown_function*'\n");
});

needs(test, 'fentry and fexit: the kernel refuses trampolines', [withoutTrampolines], () => {
  assert.is(compileErrors('fentry:vfs_read { }'),
    'test.bt:1:1-16: ERROR: fentry:vfs_read: this kernel cannot attach fentry/fexit probes: it refuses BPF trampoline programs (loading one fails with EPERM)\n'
    + 'fentry:vfs_read { }\n~~~~~~~~~~~~~~~\nHINT: the nearest tracepoint is tracepoint:syscalls:sys_enter_read\n');
  assert.match(compileErrors('kretfunc:do_sys_openat2 { }'), 'HINT: the nearest tracepoint is tracepoint:syscalls:sys_exit_openat\n');
});

test('fentry on a function BTF does not describe is an error whatever the kernel', () => {
  assert.match(compileErrors('fentry:tsbpf_no_such_function { }'), 'ERROR: kernel function not found in BTF: tsbpf_no_such_function\n');
  assert.match(compileErrors('fexit:tsbpf_no_such_* { }'), 'ERROR: no kernel function in BTF matches fexit:tsbpf_no_such_*\n');
});

needs(test, 'hardware events without a hardware PMU', [withoutPmu], () => {
  assert.is(compileErrors('hardware:cycles:1000 { }'),
    'test.bt:1:1-21: ERROR: hardware:cycles:1000: this machine has no hardware performance counters (no CPU PMU under /sys/bus/event_source/devices; virtual machines often have none)\n'
    + 'hardware:cycles:1000 { }\n~~~~~~~~~~~~~~~~~~~~\nHINT: count with a software event instead, e.g. software:cpu-clock or profile:hz:99\n');
});

test('unknown software and hardware events', () => {
  assert.match(compileErrors('software:no-such-event { }'), "ERROR: unknown software event 'no-such-event'\n");
  assert.match(compileErrors('hardware:no-such-event { }'), "ERROR: unknown hardware event 'no-such-event'\n");
});

test('a tracepoint wildcard that matches nothing names the pattern', () => {
  assert.is(compileErrors('tracepoint:syscalls:sys_enter_tsbpf* { }'),
    "test.bt:1:1-37: ERROR: no tracepoint matches tracepoint:syscalls:sys_enter_tsbpf*\ntracepoint:syscalls:sys_enter_tsbpf* { }\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\nHINT: list them with: tsbpf -l 'tracepoint:syscalls:*'\n");
});

needs(test, 'the CLI prints the kprobe error and exits 1, without a stack trace', [withoutKprobes], () => {
  const result = spawnSync(process.execPath, [cliPath, '-e', 'kprobe:vfs_read { @ = count(); }'], { encoding: 'utf8' });
  assert.is(result.status, 1);
  assert.is(result.stdout, '');
  assert.is(result.stderr,
    `stdin:1:1-16: ERROR: kprobe:vfs_read: ${kprobeMessage}\nkprobe:vfs_read { @ = count(); }\n~~~~~~~~~~~~~~~\nHINT: the nearest tracepoint is tracepoint:syscalls:sys_enter_read\n`);
});

test.run();
