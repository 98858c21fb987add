// Tracepoints the test fires itself: syscalls counted exactly, and `args.field` of every kind —
// integers of several widths, a user pointer read with str(), a __data_loc string, char[] arrays.
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { atExit, type Case } from '../case.js';
import { callGetppid, onlySelf, self } from '../harness.js';

/** A path no other process execs: a symlink to /bin/true in a directory named after this process. */
const execDirectory = `/tmp/tsbpf-e2e-${self.pid}`;
const execPath = `${execDirectory}/true`;
const missingPath = `/nonexistent-tsbpf-e2e-${self.pid}/file`;
const getppidNumber: Record<string, number> = { x64: 110, arm64: 173 };
const oomScoreAdjust = Number(readFileSync('/proc/self/oom_score_adj', 'utf8'));

function execOnce(): void {
  rmSync(execDirectory, { recursive: true, force: true });
  mkdirSync(execDirectory);
  try {
    symlinkSync('/bin/true', execPath);
    execFileSync(execPath);
  } finally {
    rmSync(execDirectory, { recursive: true, force: true });
  }
}

function openMissing(times: number): void {
  for (let index = 0; index < times; index++) {
    try {
      openSync(missingPath, 'r');
    } catch {
      // ENOENT is the point: the syscall happened.
    }
  }
}

/** Renames this process (task:task_rename fires) and back again. */
function renameSelf(name: string): void {
  writeFileSync('/proc/self/comm', name);
  writeFileSync('/proc/self/comm', self.comm);
}

export const tracepointCases: Case[] = [
  ...[1, 7, 100].map((times): Case => ({
    name: `sys_enter_getppid counted exactly ${times} times for ${times} calls`,
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @calls = count(); @[comm] = count(); }`,
    trigger: () => callGetppid(times),
    expect: atExit(`@[${self.comm}]: ${times}\n@calls: ${times}\n`),
  })),
  {
    name: 'a wildcard and a list of attach points fire once per matched tracepoint',
    program: `tracepoint:syscalls:sys_e*_getppid ${onlySelf} { @wild = count(); }`
      + ` tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:sys_exit_getppid ${onlySelf} { @listed = count(); }`,
    trigger: () => callGetppid(3),
    expect: atExit('@listed: 6\n@wild: 6\n'),
  },
  {
    name: 'integer fields: a signed long return value and a syscall number',
    program: `tracepoint:syscalls:sys_exit_getppid ${onlySelf} { @ret = args.ret; @nr = args.__syscall_nr == ${getppidNumber[process.arch] ?? -1}; }`
      + ` tracepoint:raw_syscalls:sys_enter /pid == ${self.pid} && args.id == ${getppidNumber[process.arch] ?? -1}/ { @raw = count(); }`,
    trigger: () => callGetppid(2),
    expect: atExit(`@nr: true\n@raw: 2\n@ret: ${process.ppid}\n`),
  },
  {
    name: 'a negative signed long field: sys_exit_openat returns -ENOENT',
    program: `tracepoint:syscalls:sys_exit_openat ${onlySelf} { printf("%d %d\\n", args.ret, args.ret < 0); @errors[args.ret] = count(); }`,
    trigger: () => openMissing(3),
    expect: `-2 1\n`.repeat(3) + atExit('@errors[-2]: 3\n'),
  },
  {
    name: 'a user pointer read with str() and str(p, n); an int field of a syscall tracepoint',
    program: `tracepoint:syscalls:sys_enter_openat ${onlySelf} { printf("%s|%s|%d\\n", str(args.filename), str(args.filename, 5), args.flags & 3);`
      + ' @[str(args.filename)] = count(); }',
    trigger: () => openMissing(2),
    expect: `${missingPath}|/non|0\n`.repeat(2) + atExit(`@[${missingPath}]: 2\n`),
  },
  {
    name: 'char[] fields and a short field of task:task_rename',
    program: `tracepoint:task:task_rename /args.pid == ${self.pid}/ { printf("%s -> %s (%d)\\n", args.oldcomm, args.newcomm, args.oom_score_adj);`
      + ' @renamed[args.newcomm] = ++@step; @same = args.oldcomm == comm; }',
    trigger: () => renameSelf('tsbpf-renamed'),
    expect: `${self.comm} -> tsbpf-renamed (${oomScoreAdjust})\ntsbpf-renamed -> ${self.comm} (${oomScoreAdjust})\n`
      + atExit(`@renamed[tsbpf-renamed]: 1\n@renamed[${self.comm}]: 2\n@same: true\n@step: 2\n`),
  },
  {
    name: 'a char[] field compared with a literal in a predicate (signal:signal_generate)',
    program: `tracepoint:signal:signal_generate /args.pid == ${self.pid} && args.comm == "${self.comm}"/ { printf("%d %s\\n", args.sig, args.comm); }`,
    trigger: () => process.kill(process.pid, 'SIGURG'),
    expect: `23 ${self.comm}\n${atExit()}`,
  },
  {
    name: 'a __data_loc string field (sched:sched_process_exec filename) in a predicate, printf, str() and a key',
    program: `tracepoint:sched:sched_process_exec /args.filename == "${execPath}"/ { printf("%s %d\\n", args.filename, args.pid == args.old_pid);`
      + ' @[str(args.filename)] = count(); @pids = args.pid > 0; }',
    trigger: execOnce,
    expect: `${execPath} 1\n${atExit(`@[${execPath}]: 1\n@pids: true\n`)}`,
  },
];
