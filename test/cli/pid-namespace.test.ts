// tsbpf in a pid namespace of its own (`unshare --pid --mount-proc`, as in a container), and tsbpf in
// the initial namespace tracing a process inside another: pid and tid are the ids tsbpf's own
// namespace gives (what the shell's $!, -p and cpid say there), pid(init) the initial namespace's, and
// user stacks are named through the /proc tsbpf sees. Real namespaces, the real CLI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { cliPath } from './cli-process.js';
import { stackTargetPath } from '../e2e/functions-support.js';
import { cc, feature, needs, tool } from '../support/skip.js';

const run = promisify(execFile);
const unshare = tool('unshare');
const root = feature('root (pid namespaces, uprobes)', process.getuid?.() === 0);
const target = cc.present ? stackTargetPath() : '';
const probe = `uprobe:${target}:tsbpf_known_function`;

/** Runs `script` under sh in a new pid namespace with /proc remounted; $1 is the target, $2 $3 run tsbpf. */
async function inNamespace(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('unshare', ['--fork', '--pid', '--mount-proc', 'sh', '-c', script, 'sh', target, process.execPath, cliPath, ...args], { timeout: 30_000 });
  return stdout;
}

/** `ids A B …` → the numbers. */
function ids(stdout: string): number[] {
  const match = /^ids ([\d ]+)$/m.exec(stdout);
  assert.ok(match, `an ids line in ${JSON.stringify(stdout)}`);
  return match![1]!.split(' ').map(Number);
}

/** A perf-mode frame in function `name` of the target. */
function inTarget(name: string): RegExp {
  return new RegExp(`^${name}\\+\\d+ \\(${target.replace(/[.+]/g, '\\$&')}\\)$`);
}

/** The frames of a perf-mode stack printed by print(): `name+offset (file)` each. */
function perfFrames(stdout: string): string[] {
  return [...stdout.matchAll(/^\t[0-9a-f]+ (.*)$/gm)].map((match) => match[1]!);
}

needs(test, 'tsbpf in its own pid namespace: pid/tid are that namespace\'s ($!), pid(init) is not; ustack named through its /proc', [root, unshare, cc], async () => {
  const stdout = await inNamespace(
    '"$1" loop & echo "target $!"; "$2" "$3" -e "$4"; status=$?; kill $!; exit $status',
    `${probe} { printf("ids %d %d %d %d %d %d\\n", pid, pid(curr_ns), tid, tid(curr_ns), pid(init), tid(init)); print(ustack(perf, 4)); exit(); }`,
  );
  const shellPid = Number(/^target (\d+)$/m.exec(stdout)?.[1]);
  const [pid, currentPid, tid, currentTid, initPid, initTid] = ids(stdout);
  assert.equal([pid, currentPid, tid, currentTid], [shellPid, shellPid, shellPid, shellPid]);
  assert.ok(shellPid < 100, `a namespace's own small pid: ${shellPid}`);
  assert.ok(initPid !== pid && initTid === initPid, `the initial namespace numbers it otherwise: ${initPid}`);
  const frames = perfFrames(stdout);
  assert.is(frames[0], `tsbpf_known_function+0 (${target})`);
  assert.match(frames[1]!, inTarget('tsbpf_loop'));
  assert.match(frames[2]!, inTarget('main'));
  // Named through the process's memory map: libc's frame too (a probe's binary names only its own).
  assert.match(frames[3]!, /^\S+\+\d+ \(\/\S*libc\.so\.6\)$/);
});

needs(test, 'tsbpf in its own pid namespace: -p and -c name processes as that namespace does', [root, unshare, cc], async () => {
  // A guard ends the run if the filter never lets the probe through.
  const filtered = await inNamespace(
    '"$1" loop & echo "target $!"; "$2" "$3" -p $! -e "$4"; status=$?; kill $!; exit $status',
    'tracepoint:syscalls:sys_enter_getppid { printf("ids %d\\n", pid); exit(); } interval:s:10 { exit(); }',
  );
  assert.equal(ids(filtered), [Number(/^target (\d+)$/m.exec(filtered)?.[1])]);
  const child = await inNamespace('"$2" "$3" -c "$1 loop" -e "$4"', `${probe} { printf("ids %d %d %d\\n", pid, cpid, pid(init)); exit(); }`);
  const [pid, cpid, initPid] = ids(child);
  assert.is(pid, cpid);
  assert.ok(initPid !== pid, `the initial namespace numbers the child otherwise: ${initPid}`);
});

const initialNamespace = feature('tests running in the initial pid namespace', (() => {
  try {
    return statSync('/proc/self/ns/pid').ino === 0xeffffffc;
  } catch {
    return false;
  }
})());

needs(test, 'tsbpf in the initial namespace, the traced process in another: pid is the initial namespace\'s, and its ustack is named', [root, unshare, cc, initialNamespace], async () => {
  const outer = spawn('unshare', ['--fork', '--pid', '--mount-proc', '--kill-child', target, 'loop'], { stdio: 'ignore' });
  try {
    // The target is unshare's child: its pid as this namespace numbers it.
    let inner: number | undefined;
    for (let attempt = 0; attempt < 100 && !inner; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      inner = Number(readFileSync(`/proc/${outer.pid}/task/${outer.pid}/children`, 'utf8').trim().split(' ')[0]) || undefined;
    }
    assert.ok(inner, 'the target started');
    assert.match(readFileSync(`/proc/${inner}/status`, 'utf8'), new RegExp(`^NSpid:\\t${inner}\\t1$`, 'm'), 'the target is pid 1 of its own namespace');
    const { stdout } = await run(process.execPath, [cliPath, '-e', `${probe} { printf("ids %d %d %d %d\\n", pid, pid(curr_ns), pid(init), tid); print(ustack(perf, 3)); exit(); }`], { timeout: 30_000 });
    assert.equal(ids(stdout), [inner!, inner!, inner!, inner!]);
    const frames = perfFrames(stdout);
    assert.is(frames[0], `tsbpf_known_function+0 (${target})`);
    assert.match(frames[1]!, inTarget('tsbpf_loop'));
    assert.match(frames[2]!, inTarget('main'));
  } finally {
    outer.kill('SIGKILL');
  }
});

test.run();
