// The CLI and other processes, against the real kernel: -c (the command runs only once the probes
// are attached, and its exit ends the run), -p (the target's exit ends the run), signals (Ctrl-C
// prints the maps and leaves no BPF program behind), and --dry-run / -v (loaded, never attached).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli, startCli } from './cli-process.js';
import { needs, tool } from '../support/skip.js';

const testPid = process.pid;

/** The ids of the BPF programs `pid` holds open, from /proc/PID/fdinfo. */
function heldProgramIds(pid: number): number[] {
  const ids: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:bpf-prog') continue;
    const match = /^prog_id:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    if (match) ids.push(Number(match[1]));
  }
  return ids;
}

/** Program ids the kernel still has, from bpftool (a failing bpftool fails the test). */
function loadedProgramIds(): Set<number> {
  const programs = JSON.parse(execFileSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { id: number }[];
  return new Set(programs.map((program) => program.id));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Processes whose command line contains `marker` (other than ones we know about). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

needs(test, 'SIGINT during a run prints the maps, exits 0, and leaves no BPF program behind', [tool('bpftool')], async () => {
  const running = startCli(['-e', `tracepoint:syscalls:sys_enter_getppid /pid == ${testPid}/ { @calls = count(); }`]);
  await running.waitFor('Attached 1 probe');
  const ids = heldProgramIds(running.child.pid!);
  assert.ok(ids.length >= 1, 'the running CLI holds its program');
  for (let call = 0; call < 10; call++) void process.ppid;
  running.child.kill('SIGINT');
  const result = await running.result;
  assert.is(result.signal, null, 'ended by its own handler, not killed by the signal');
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, '\n\n@calls: 10\n');
  const before = loadedProgramIds();
  let remaining = ids.filter((id) => before.has(id));
  // Programs are freed after an RCU grace period once their last reference is gone.
  for (let attempt = 0; attempt < 30 && remaining.length > 0; attempt++) {
    await sleep(100);
    const now = loadedProgramIds();
    remaining = ids.filter((id) => now.has(id));
  }
  assert.equal(remaining, [], 'the programs are gone');
});

test('SIGTERM ends a run the same way', async () => {
  const running = startCli(['-e', 'BEGIN { @started = 1; } interval:s:30 { exit(); }']);
  await running.waitFor('Attached 2 probes');
  running.child.kill('SIGTERM');
  const result = await running.result;
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, '\n\n@started: 1\n');
});

test('-c runs the command only after the probes are attached, and the run ends when it exits', async () => {
  // The command is a copy of true under a name no other process on the machine has, so the probe
  // counts this test's exec only.
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-c-'));
  const command = join(directory, `tsbpft${process.pid}`.slice(0, 15));
  copyFileSync('/bin/true', command);
  chmodSync(command, 0o755);
  const result = await runCli(['-c', command, '-e', `tracepoint:sched:sched_process_exec /comm == "${basename(command)}"/ { @execs = count(); }`]);
  rmSync(directory, { recursive: true, force: true });
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, '\n\n@execs: 1\n', 'the exec of the command was seen, so it came after attach');
});

test('-c passes arguments as written, quotes included (as bpftrace), shares stdout, and a missing command is an error', async () => {
  const result = await runCli(['-c', "/bin/echo 'A'  b", '-e', 'BEGIN { printf("attached\\n"); } tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args.argv, ","); }']);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /attached\n/);
  assert.match(result.stdout, /^\/bin\/echo,'A',b$/m, 'the probe saw the quotes in argv');
  assert.match(result.stdout, /^'A' b$/m, 'echo printed its arguments with the quotes');
  const missing = await runCli(['-c', 'no-such-command-tsbpf', '-e', 'BEGIN { exit(); }']);
  assert.is(missing.code, 1);
  assert.is(missing.stderr, "ERROR: failed to run 'no-such-command-tsbpf': command not found in PATH\n");
});

test('-c: a run that ends first (exit()) terminates the command', async () => {
  // The command would sleep for an hour: the run returning at all shows it did not wait (the hang
  // guard is the generous timeout below, not a speed claim).
  const marker = '3141.59';
  const result = await runCli(['-c', `sleep ${marker}`, '-e', 'BEGIN { exit(); }'], { timeoutMs: 60_000 });
  assert.is(result.code, 0, result.stderr);
  let left = processesWith(marker);
  for (let attempt = 0; attempt < 20 && left.length > 0; attempt++) {
    await sleep(50);
    left = processesWith(marker);
  }
  assert.equal(left, [], 'the command is gone');
});

test('-p: the run ends when the target process exits', async () => {
  const target = spawn('sleep', ['1'], { stdio: 'ignore' });
  let targetExitedAt = 0;
  target.on('exit', () => {
    targetExitedAt = Date.now();
  });
  const result = await runCli(['-p', String(target.pid), '-e', 'interval:ms:50 { @ticks = count(); }']);
  const endedAt = Date.now();
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\n\n@ticks: [1-9]\d*\n$/);
  assert.ok(targetExitedAt > 0 && endedAt >= targetExitedAt, 'ended after the target');
});

test('-p with a process that does not exist is an error, exit code 1', async () => {
  const gone = spawn('true', { stdio: 'ignore' });
  await new Promise((resolve) => gone.on('exit', resolve));
  const result = await runCli(['-p', String(gone.pid), '-e', 'BEGIN { exit(); }']);
  assert.is(result.code, 1);
  assert.is(result.stderr, `ERROR: process ${gone.pid} does not exist\n`);
});

test('--dry-run loads every program into the verifier but attaches and runs nothing', async () => {
  const program = `tracepoint:syscalls:sys_enter_getppid /pid == ${testPid}/ { printf("hit\\n"); } BEGIN { printf("begin\\n"); }`;
  const running = startCli(['--dry-run', '-v', '-e', program]);
  for (let call = 0; call < 50; call++) void process.ppid;
  const result = await running.result;
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, '', 'BEGIN did not run, the tracepoint did not fire');
  assert.not.match(result.stderr, /Attached/);
  // Sizes the kernel reports: the programs were really loaded.
  const statistics = [...result.stderr.matchAll(/^ {2}\d+ instructions, xlated (\d+) bytes, jited (\d+) bytes, verified (\d+) insns/gm)];
  assert.is(statistics.length, 2, result.stderr);
  for (const match of statistics) assert.ok(Number(match[1]) > 0 && Number(match[2]) > 0 && Number(match[3]) > 0, match[0]);
  assert.match(result.stderr, /^Program sys_enter_getpp\S* \(tracepoint:syscalls:sys_enter_getppid\)$/m);
  assert.match(result.stderr, /^Program BEGIN \(BEGIN\)$/m);
});

test('-v before a real run prints the statistics, then the run goes ahead', async () => {
  const result = await runCli(['-v', '-e', 'BEGIN { printf("ran\\n"); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, 'ran\n\n\n');
  assert.match(result.stderr, /^Program BEGIN \(BEGIN\)\n {2}\d+ instructions, xlated \d+ bytes, jited \d+ bytes, verified \d+ insns, stack \d+ bytes\n/);
  assert.match(result.stderr, /processed \d+ insns/);
  assert.match(result.stderr, /Attached 1 probe\n$/);
});

test('-d verifier prints the kernel\'s log for each program', async () => {
  const result = await runCli(['-d', 'verifier', '--dry-run', '-e', 'BEGIN { @x = 1; }']);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /^BPF verifier log for BEGIN \(BEGIN\):\n/);
  assert.match(result.stdout, /call bpf_map_update_elem#2/);
  assert.match(result.stdout, /processed \d+ insns \(limit \d+\)/);
});

test.run();
