// `-l` and `-lv` against this machine's tracefs and BTF: the expected lines are read here straight
// from tracefs (available_events, format files) and, when bpftrace is installed, compared with what
// `bpftrace -l` prints for the same search.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lines, runCli } from './cli-process.js';
import { anyFile, kernelBtf, kernelHasKprobes, machineHasHardwarePmu, needs, tool } from '../support/skip.js';
import { kernelLoadsFentry } from '../support/kernel-probes.js';
import { buildTarget, usdtTargetNeeds } from '../providers/target.js';

const tracefs = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'].find((path) => existsSync(join(path, 'available_events')));

function availableTracepoints(): string[] {
  return readFileSync(join(tracefs!, 'available_events'), 'utf8').split('\n').filter((line) => line !== '');
}

/** The non-common fields of a format file, as `bpftrace -lv` prints them. */
function formatFields(category: string, event: string): string[] {
  const text = readFileSync(join(tracefs!, 'events', category, event, 'format'), 'utf8');
  const body = text.slice(text.indexOf('\n\n') + 2);
  return [...body.matchAll(/^\tfield:([^;]*);/gm)].map((match) => match[1]!);
}

/** `bpftrace ARGS` stdout (a failing bpftrace throws, and fails the test). */
function bpftraceList(args: string[]): string {
  return execFileSync('bpftrace', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
}

const haveTracefs = anyFile(['/sys/kernel/tracing/available_events', '/sys/kernel/debug/tracing/available_events'], 'tracefs (available_events)');
const bpftrace = tool('bpftrace');

const byteOrder = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

needs(test, '-l with a tracepoint glob prints exactly the matching tracefs events, sorted', [haveTracefs], async () => {
  const expected = availableTracepoints()
    .filter((name) => /^syscalls:sys_enter_open/.test(name))
    .map((name) => `tracepoint:${name}`)
    .sort(byteOrder);
  assert.ok(expected.length > 0, 'this kernel has sys_enter_open* tracepoints');
  const result = await runCli(['-l', 'tracepoint:syscalls:sys_enter_open*']);
  assert.is(result.code, 0, result.stderr);
  assert.equal(lines(result.stdout), expected);
  const short = await runCli(['-l', 't:syscalls:sys_enter_open*']);
  assert.is(short.stdout, result.stdout, 'the t: alias lists the same');
});

needs(test, '-l prints what bpftrace -l prints', [haveTracefs, bpftrace], async () => {
  const result = await runCli(['-l', 'tracepoint:syscalls:sys_enter_open*']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, bpftraceList(['-l', 'tracepoint:syscalls:sys_enter_open*']), 'same as bpftrace -l');
});

needs(test, '-lv prints each tracepoint\'s fields from its format file, indented four spaces', [haveTracefs], async () => {
  const result = await runCli(['-lv', 'tracepoint:sched:sched_process_exec']);
  assert.is(result.code, 0, result.stderr);
  const expected = ['tracepoint:sched:sched_process_exec', ...formatFields('sched', 'sched_process_exec').map((field) => `    ${field}`)];
  assert.equal(lines(result.stdout), expected);
  assert.ok(expected.includes('    __data_loc char[] filename'), 'data_loc fields keep their tracefs spelling');

  const several = await runCli(['-l', '-v', 'tracepoint:syscalls:sys_enter_openat*']);
  assert.match(several.stdout, /^tracepoint:syscalls:sys_enter_openat\n {4}int __syscall_nr\n {4}int dfd\n {4}const char \* filename\n/);
});

needs(test, '-lv prints what bpftrace -lv prints', [haveTracefs, bpftrace], async () => {
  const several = await runCli(['-l', '-v', 'tracepoint:syscalls:sys_enter_openat*']);
  assert.is(several.code, 0, several.stderr);
  assert.is(several.stdout, bpftraceList(['-lv', 'tracepoint:syscalls:sys_enter_openat*']), 'same as bpftrace -lv');
});

test('-l lists BEGIN/END, software events and timer units', async () => {
  const begin = await runCli(['-l', 'BEGIN']);
  assert.equal(lines(begin.stdout), ['BEGIN']);
  const software = await runCli(['-l', 'software:*']);
  assert.is(software.code, 0);
  assert.ok(lines(software.stdout).includes('software:cpu-clock:'));
  assert.ok(lines(software.stdout).includes('software:page-faults:'));
  assert.ok(lines(software.stdout).every((line) => /^software:[a-z-]+:$/.test(line)), software.stdout);
  const short = await runCli(['-l', 's:cpu*']);
  assert.equal(lines(short.stdout), ['software:cpu-clock:', 'software:cpu-migrations:', 'software:cpu:']);
  const interval = await runCli(['-l', 'interval:*']);
  assert.equal(lines(interval.stdout), ['interval:hz:', 'interval:ms:', 'interval:s:', 'interval:us:']);
});

needs(test, '-l rawtracepoint lists the kernel\'s btf_trace_ typedefs, -lv their named arguments', [kernelBtf], async () => {
  const result = await runCli(['-lv', 'rawtracepoint:sched_switch']);
  assert.is(result.code, 0, result.stderr);
  const [line, ...args] = lines(result.stdout);
  assert.is(line, 'rawtracepoint:sched_switch');
  assert.ok(args.some((argument) => argument === '    struct task_struct * prev'), result.stdout);
  assert.ok(args.some((argument) => argument === '    struct task_struct * next'), result.stdout);
  const all = await runCli(['-l', 'rt:sys_*']);
  assert.ok(lines(all.stdout).includes('rawtracepoint:sys_enter'));
  assert.ok(lines(all.stdout).includes('rawtracepoint:sys_exit'));
});

// Which answer is right is decided by the test support's own probes of the kernel, not by tsbpf.
test('kprobe listings: the functions where the kernel has kprobes, else why they are empty', async () => {
  const kprobe = await runCli(['-l', 'kprobe:vfs_read']);
  assert.is(kprobe.code, 0);
  if (kernelHasKprobes) {
    assert.is(kprobe.stdout, 'kprobe:vfs_read\n', kprobe.stderr);
  } else {
    assert.is(kprobe.stdout, '');
    assert.match(kprobe.stderr, /^WARNING: kprobe probes are unavailable on this kernel/);
  }
});

needs(test, 'kfunc listings: the function where the kernel loads trampolines, else why it is empty', [kernelBtf], async () => {
  const kfunc = await runCli(['-l', 'kfunc:vfs_read']);
  assert.is(kfunc.code, 0);
  if (kernelLoadsFentry()) {
    assert.is(kfunc.stdout, 'fentry:vfs_read\n', kfunc.stderr);
  } else {
    assert.is(kfunc.stdout, '');
    assert.match(kfunc.stderr, /^WARNING: fentry \(kfunc\) probes are unavailable on this kernel: /);
  }
});

test('-l hardware:* lists the events bpftrace lists on every machine, with a note where none can count', async () => {
  const result = await runCli(['-l', 'hardware:*']);
  assert.is(result.code, 0);
  assert.equal(lines(result.stdout), ['backend-stalls', 'branch-instructions', 'branch-misses', 'branches', 'bus-cycles', 'cache-misses',
    'cache-references', 'cpu-cycles', 'cycles', 'frontend-stalls', 'instructions', 'ref-cycles'].map((event) => `hardware:${event}:`));
  // Whether this machine counts is decided by the test support's own probe, not by tsbpf's.
  if (machineHasHardwarePmu) assert.is(result.stderr, '');
  else assert.match(result.stderr, /^WARNING: hardware probes cannot attach here: this machine has no hardware performance counters/);
});

test('-l with a program lists what its attach points match; -l with a script file too', async () => {
  const result = await runCli(['-l', '-e', 'tracepoint:syscalls:sys_enter_openat* { exit(); } BEGIN { }']);
  assert.is(result.code, 0, result.stderr);
  assert.equal(lines(result.stdout), ['BEGIN', 'tracepoint:syscalls:sys_enter_openat', 'tracepoint:syscalls:sys_enter_openat2']);
  const path = join(mkdtempSync(join(tmpdir(), 'tsbpf-list-')), 'probes.bt');
  writeFileSync(path, 'tracepoint:sched:sched_switch { }\n');
  const fromFile = await runCli(['-l', path]);
  assert.equal(lines(fromFile.stdout), ['tracepoint:sched:sched_switch']);
});

needs(test, '-l uprobe:BINARY:GLOB lists the binary\'s defined functions (as nm reads them), with its full path', [...usdtTargetNeeds, tool('nm')], async () => {
  const target = buildTarget('O0');
  const functions = new Set(execFileSync('nm', ['--defined-only', target], { encoding: 'utf8' }).split('\n')
    .map((line) => line.split(' ')).filter((fields) => fields[1] === 'T' || fields[1] === 't').map((fields) => fields[2]!));
  const result = await runCli(['-l', `uprobe:${target}:*`]);
  assert.is(result.code, 0, result.stderr);
  assert.equal(lines(result.stdout), [...functions].sort(byteOrder).map((name) => `uprobe:${target}:${name}`));
  const some = await runCli(['-l', `uretprobe:${target}:tsbpf_*`]);
  assert.equal(lines(some.stdout), [...functions].filter((name) => name.startsWith('tsbpf_')).sort(byteOrder).map((name) => `uretprobe:${target}:${name}`));
  const none = await runCli(['-l', 'uprobe']);
  assert.match(none.stderr, /-l lists uprobe probes of a binary: name it, as in -l 'uprobe:\/bin\/bash:\*'/);
});

needs(test, '-l usdt:BINARY:* lists its USDT notes as provider:name (as readelf -n reads them)', [...usdtTargetNeeds, tool('readelf')], async () => {
  const target = buildTarget('O0');
  const notes = execFileSync('readelf', ['-n', target], { encoding: 'utf8' });
  const expected = [...notes.matchAll(/Provider: (\S+)\n\s+Name: (\S+)/g)].map((match) => `usdt:${target}:${match[1]}:${match[2]}`);
  assert.ok(expected.length > 0, 'the test program has USDT notes');
  const result = await runCli(['-l', `usdt:${target}:*`]);
  assert.equal(lines(result.stdout), [...new Set(expected)].sort(byteOrder));
});

test('-l with an unknown provider is an error with a hint, exit code 1', async () => {
  const result = await runCli(['-l', 'sched:*']);
  assert.is(result.code, 1);
  assert.is(result.stderr, "ERROR: unknown probe type 'sched' in 'sched:*'\nHINT: did you mean 'tracepoint:sched:*'?\n");
});

test.run();
