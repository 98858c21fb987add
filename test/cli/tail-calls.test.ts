// `-d asm`, `-v` and `-d verifier` for programs entered by tail calls: dispatch cases and routed
// syscall tracepoints have no attach point of their own, so the dumps name their program array,
// their indices there and the program calling them; the caller lists what each array holds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './cli-process.js';

const dispatchProgram = 'BEGIN { dispatch (2) { 1: { printf("one\\n"); } 2, 3: { dispatch (1) { 1: { exit(); } } } } exit(); }';

/** `-d asm` output split into its programs: header lines (up to the listing) by program name. */
function asmSections(stdout: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  for (const block of stdout.split('\n\n').filter((text) => text.trim() !== '')) {
    const lines = block.split('\n');
    const name = /^; program (\S+):/.exec(lines[1] ?? '')?.[1];
    assert.ok(name, `no program line in:\n${block}`);
    sections.set(name!, lines);
  }
  return sections;
}

test('-d asm: each case program names its array, indices and caller; the caller lists the array', async () => {
  const result = await runCli(['-d', 'asm', '--dry-run', '-e', dispatchProgram]);
  assert.is(result.code, 0, result.stderr);
  const sections = asmSections(result.stdout);
  assert.equal([...sections.keys()].sort(), ['BEGIN', 'tail0_0', 'tail0_1', 'tail1_0']);
  assert.is(sections.get('tail0_0')![0], 'tail call: tsbpf_tail0[1] from BEGIN');
  assert.is(sections.get('tail0_1')![0], 'tail call: tsbpf_tail0[2, 3] from BEGIN');
  assert.is(sections.get('tail0_1')![2], '; tail calls through tsbpf_tail1: tail1_0 at 1');
  assert.is(sections.get('tail1_0')![0], 'tail call: tsbpf_tail1[1] from tail0_1');
  const begin = sections.get('BEGIN')!;
  assert.is(begin[0], 'BEGIN');
  assert.is(begin[2], '; tail calls through tsbpf_tail0: tail0_0 at 1; tail0_1 at 2, 3');
  // The listing itself: the array is loaded and bpf_tail_call made.
  assert.ok(begin.some((line) => /r2 = map\[fd:\d+ name:tsbpf_tail0\]/.test(line)), begin.join('\n'));
  assert.ok(begin.some((line) => line.includes('call bpf_tail_call#12')), begin.join('\n'));
  assert.not.ok(sections.get('tail0_0')!.some((line) => line.startsWith('; tail calls')));
});

test('-v reports every tail-called program as the kernel verified it, and what each array holds', async () => {
  const result = await runCli(['-v', '--dry-run', '-e', dispatchProgram]);
  assert.is(result.code, 0, result.stderr);
  const headers = result.stderr.split('\n').filter((line) => line.startsWith('Program ') || line.startsWith('  tail calls'));
  assert.equal(headers.sort(), [
    '  tail calls through tsbpf_tail0: tail0_0 at 1; tail0_1 at 2, 3',
    '  tail calls through tsbpf_tail1: tail1_0 at 1',
    'Program BEGIN (BEGIN)',
    'Program tail0_0 (tail call: tsbpf_tail0[1] from BEGIN)',
    'Program tail0_1 (tail call: tsbpf_tail0[2, 3] from BEGIN)',
    'Program tail1_0 (tail call: tsbpf_tail1[1] from tail0_1)',
  ]);
  // Loaded for real: the kernel reports sizes for all four.
  const statistics = [...result.stderr.matchAll(/^ {2}\d+ instructions, xlated (\d+) bytes, jited (\d+) bytes, verified (\d+) insns/gm)];
  assert.is(statistics.length, 4, result.stderr);
  for (const match of statistics) assert.ok(Number(match[1]) > 0 && Number(match[3]) > 0, match[0]);
});

test('-v with routed syscall tracepoints: each names its tracepoint and syscall number, the dispatcher its array', async () => {
  const names = ['getppid', 'getpid', 'getuid', 'getgid', 'gettid', 'umask', 'kill', 'newuname'];
  const program = `${names.map((name) => `tracepoint:syscalls:sys_enter_${name}`).join(',')} { @ = count(); }`;
  const result = await runCli(['-v', '--dry-run', '-e', program]);
  assert.is(result.code, 0, result.stderr);
  const headers = result.stderr.split('\n').filter((line) => line.startsWith('Program ') || line.startsWith('  tail calls'));
  const numbers = [110, 39, 102, 104, 186, 95, 62, 63];
  assert.is(headers.length, names.length + 2, result.stderr);
  names.forEach((name, index) => {
    const pattern = `^Program \\S+ \\(tracepoint:syscalls:sys_enter_${name}, tail call: tsbpf_sysin0\\[${numbers[index]}\\] from sys_enter_route\\)$`;
    assert.match(headers[index]!, new RegExp(pattern));
  });
  assert.is(headers[names.length], 'Program sys_enter_route (tracepoint:raw_syscalls:sys_enter)');
  assert.match(headers[names.length + 1]!, new RegExp(`^ {2}tail calls through tsbpf_sysin0: ${numbers.map((number) => `\\S+ at ${number}`).join('; ')}$`));
});

test('-d verifier headers name tail-called programs the same way', async () => {
  const result = await runCli(['-d', 'verifier', '--dry-run', '-e', dispatchProgram]);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /^BPF verifier log for tail0_1 \(tail call: tsbpf_tail0\[2, 3\] from BEGIN\):$/m);
  assert.match(result.stdout, /^BPF verifier log for BEGIN \(BEGIN\):$/m);
});

test.run();
