// tracefs: format-file parsing on text from this kernel, and live ids/formats from the mount.
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseTracefsRoot, listTracepoints, parseTracepointFormat, readTracepointFormat, tracefsRoot, TRACEFS_MISSING_MESSAGE, TracefsError, tracepointId } from '../../src/loader/tracefs.js';

const schedProcessExec = `name: sched_process_exec
ID: 365
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;
\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;
\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;

print fmt: "filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid
`;

const sysEnterOpenat = `name: sys_enter_openat
ID: 782
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;
\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;
\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;

print fmt: "dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))
`;

test('format: common fields, __data_loc strings, print fmt', () => {
  const format = parseTracepointFormat(schedProcessExec);
  assert.is(format.name, 'sched_process_exec');
  assert.is(format.id, 365);
  assert.equal(format.fields.map((field) => [field.name, field.common]), [
    ['common_type', true], ['common_flags', true], ['common_preempt_count', true], ['common_pid', true],
    ['filename', false], ['pid', false], ['old_pid', false],
  ]);
  assert.equal(format.fields[4], {
    name: 'filename', type: 'char', declaration: '__data_loc char[] filename', offset: 8, size: 4, signed: false,
    isDataLoc: true, isRelativeLoc: false, common: false,
  });
  assert.equal(format.fields[3], {
    name: 'common_pid', type: 'int', declaration: 'int common_pid', offset: 4, size: 4, signed: true, isDataLoc: false, isRelativeLoc: false, common: true,
  });
  assert.match(format.printFormat, /^"filename=%s pid=%d/);
});

test('format: pointers, widened syscall arguments, fixed arrays and __rel_loc', () => {
  const openat = parseTracepointFormat(sysEnterOpenat);
  const filename = openat.fields.find((field) => field.name === 'filename')!;
  assert.is(filename.type, 'const char *');
  assert.is(filename.offset, 24);
  assert.is(filename.size, 8);
  assert.is(openat.fields.find((field) => field.name === 'mode')!.type, 'umode_t');
  const switchLike = parseTracepointFormat('format:\n\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n\tfield:__rel_loc char[] name;\toffset:24;\tsize:4;\tsigned:0;\n');
  assert.equal(switchLike.fields.map(({ name, type, arrayLength, isDataLoc, isRelativeLoc }) => ({ name, type, arrayLength, isDataLoc, isRelativeLoc })), [
    { name: 'prev_comm', type: 'char', arrayLength: 16, isDataLoc: false, isRelativeLoc: false },
    { name: 'name', type: 'char', arrayLength: undefined, isDataLoc: true, isRelativeLoc: true },
  ]);
});

test('live tracefs: root, the getppid tracepoint id and format, the event list', () => {
  // The root is where /proc/self/mounts says tracefs is mounted (or debugfs's tracing directory).
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' '));
  const candidates = [
    ...mounts.filter((fields) => fields[2] === 'tracefs').map((fields) => fields[1]!),
    ...mounts.filter((fields) => fields[2] === 'debugfs').map((fields) => `${fields[1]}/tracing`),
  ].filter((path) => existsSync(`${path}/events`));
  assert.ok(candidates.includes(tracefsRoot()), `${tracefsRoot()} is one of ${candidates.join(', ')}`);
  const id = tracepointId('syscalls', 'sys_enter_getppid');
  assert.ok(Number.isInteger(id) && id > 0);
  const format = readTracepointFormat('syscalls', 'sys_enter_getppid');
  assert.is(format.id, id);
  assert.equal(format.fields.filter((field) => !field.common).map((field) => [field.name, field.offset, field.size, field.signed]), [['__syscall_nr', 8, 4, true]]);
  const all = listTracepoints();
  assert.ok(all.some((event) => event.category === 'sched' && event.name === 'sched_switch'));
});

test('tracefs root: prefers /sys/kernel/tracing, falls back to debugfs, and is undefined when absent', () => {
  const everywhere = () => true;
  assert.is(chooseTracefsRoot(['/sys/kernel/debug/tracing', '/sys/kernel/tracing'], everywhere), '/sys/kernel/tracing');
  assert.is(chooseTracefsRoot(['/mnt/trace'], (path) => path === '/mnt/trace'), '/mnt/trace');
  assert.is(chooseTracefsRoot([], (path) => path === '/sys/kernel/debug/tracing'), '/sys/kernel/debug/tracing');
  assert.is(chooseTracefsRoot([], () => false), undefined);
  assert.match(TRACEFS_MISSING_MESSAGE, /mount -t tracefs nodev \/sys\/kernel\/tracing/);
});

test('missing tracepoints and bad names are TracefsErrors', () => {
  assert.throws(() => tracepointId('nosuchcategory', 'nosuchevent'), (error: unknown) => error instanceof TracefsError && /not found: nosuchcategory:nosuchevent/.test((error as Error).message));
  assert.throws(() => tracepointId('../..', 'x'), (error: unknown) => error instanceof TracefsError && /invalid tracepoint name/.test((error as Error).message));
});

test.run();
