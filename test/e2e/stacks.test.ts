// kstack and ustack end to end: real stack-trace maps filled by bpf_get_stackid on real tracepoints,
// frames named by the session's default symbolizer and printed as bpftrace prints them. The
// oracles are independent of tsbpf: /proc/kallsyms for kernel frames, objdump's disassembly of the
// helper program for user frames (the return addresses are known instruction by instruction).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { callGetppid, self } from './harness.js';
import { runScript, stackTargetPath, startTarget } from './functions-support.js';
import { absent, cc, kallsymsAddresses, needs, tool } from '../support/skip.js';

const kallsyms = readFileSync('/proc/kallsyms', 'latin1');
const kernelAddresses = new Map<string, bigint>();
for (const match of kallsyms.matchAll(/^([0-9a-f]{16}) [tTwW] (\S+)/gm)) {
  if (!kernelAddresses.has(match[2]!)) kernelAddresses.set(match[2]!, BigInt(`0x${match[1]}`));
}
const objdump = tool('objdump');
const targetPath = absent([cc, objdump]) ? '' : stackTargetPath();

/** Frame lines of one stack as bpftrace prints it: "\n" then `indent + frame` lines. */
function framesOf(text: string, indent: string): string[] {
  assert.ok(text.startsWith('\n'), `a stack starts with a line break: ${JSON.stringify(text)}`);
  const lines = text.slice(1).split('\n');
  assert.is(lines.pop(), '', 'a stack ends with a line break');
  for (const line of lines) assert.ok(line.startsWith(indent), `frame ${JSON.stringify(line)} is indented by ${JSON.stringify(indent)}`);
  return lines.map((line) => line.slice(indent.length));
}

/** `name+offset` → [name, offset]. */
function splitFrame(frame: string): [string, number] {
  const match = /^(\S+)\+(\d+)$/.exec(frame);
  assert.ok(match, `frame ${JSON.stringify(frame)} is name+offset`);
  return [match![1]!, Number(match![2])];
}

needs(test, 'kstack on a tracepoint: kernel frames named from /proc/kallsyms, the same in printf and map keys, in every mode', [kallsymsAddresses], async () => {
  const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_getppid /tid == ${self.pid}/ {
    printf("%s", kstack); @[kstack] = count(); @perf[kstack(perf, 4)] = count(); @raw[kstack(raw, 4)] = count(); @two[kstack(2)] = count();
  }`, { trigger: () => callGetppid(3) });
  assert.is(stderr, '');
  // Three identical printf stacks ("\n" + one line per frame each time), two blank lines, the maps.
  const mapsStart = stdout.indexOf('\n\n@');
  const printed = stdout.slice(0, mapsStart);
  const maps = stdout.slice(mapsStart + 2);
  const one = printed.slice(0, printed.length / 3);
  assert.is(printed, one.repeat(3));
  const frames = framesOf(one, ' '.repeat(8));
  assert.ok(frames.length >= 2, `kernel stack ${JSON.stringify(frames)}`);
  for (const frame of frames) {
    const [name, offset] = splitFrame(frame);
    assert.ok(kernelAddresses.has(name), `${name} is a kernel text symbol`);
    assert.ok(offset < 0x10000, `${frame}: an offset inside the function`);
  }
  assert.ok(frames.some((frame) => /^do_syscall_64\+\d+$/.test(frame)), `the syscall entry is on the stack: ${frames.join(', ')}`);

  const stackKey = (lines: readonly string[], indent: string) => `\n${lines.map((line) => `${indent}${line}\n`).join('')}`;
  const perfMatch = /@perf\[((?:\n\t[^\n]*)+)\n\]: 3\n/.exec(maps);
  assert.ok(perfMatch, `a perf-mode key in ${JSON.stringify(maps)}`);
  const perfLines = perfMatch![1]!.slice(1).split('\n').map((line) => line.slice(1));
  assert.is(perfLines.length, Math.min(4, frames.length));
  perfLines.forEach((line, index) => {
    // perf mode: `\t<hex address> name+offset`, and the address is the symbol's plus the offset.
    const [address, frame] = line.split(' ');
    assert.is(frame, frames[index]);
    const [name, offset] = splitFrame(frame!);
    assert.is(BigInt(`0x${address}`), kernelAddresses.get(name)! + BigInt(offset), line);
  });
  // raw mode: the same addresses, bare.
  const rawLines = perfLines.map((line) => line.split(' ')[0]!);
  assert.is(maps, `@[${stackKey(frames, ' '.repeat(8))}]: 3\n`
    + `@perf[${stackKey(perfLines, '\t')}]: 3\n`
    + `@raw[${stackKey(rawLines, '')}]: 3\n`
    + `@two[${stackKey(frames.slice(0, 2), ' '.repeat(8))}]: 3\n`);
});

/** Offsets objdump gives for the helper: return addresses inside tsbpf_known_function and main. */
function expectedUserFrames(path: string): { known: number; main: number; knownAddress: bigint } {
  const listing = execFileSync('objdump', ['-d', '--no-show-raw-insn', path], { encoding: 'utf8' });
  const functionAt = (name: string) => BigInt(`0x${new RegExp(`^([0-9a-f]+) <${name}>:$`, 'm').exec(listing)![1]}`);
  const known = functionAt('tsbpf_known_function');
  const main = functionAt('main');
  const body = (name: string) => listing.slice(listing.indexOf(`<${name}>:`)).split('\n\n')[0]!;
  // The user ip at a syscall is the instruction after `syscall` (2 bytes); main's return address
  // follows the 5-byte call.
  const syscallAt = BigInt(`0x${/^\s*([0-9a-f]+):\s+syscall/m.exec(body('tsbpf_known_function'))![1]}`);
  const callAt = BigInt(`0x${/^\s*([0-9a-f]+):\s+call\s+[0-9a-f]+ <tsbpf_known_function>/m.exec(body('main'))![1]}`);
  return { known: Number(syscallAt + 2n - known), main: Number(callAt + 5n - main), knownAddress: known };
}

needs(test, 'ustack of the helper program: its own functions, resolved after it exited (the traced pid was read at start)', [cc, objdump], async () => {
  const expected = expectedUserFrames(targetPath);
  const target = startTarget(targetPath, ['getppid', '2']);
  const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_getppid /pid == ${target.pid}/ {
    @[ustack] = count(); @two[ustack(2)] = count(); @perf[ustack(perf, 2)] = count();
  }`, {
    tracedProcesses: [target.pid],
    trigger: async () => {
      target.release();
      assert.equal(await target.exited, { code: 0, signal: null });
    },
  });
  assert.is(stderr, '');
  const known = `tsbpf_known_function+${expected.known}`;
  const main = `main+${expected.main}`;
  const full = /^\n\n@\[\n((?: {8}[^\n]*\n)+)\]: 2\n/.exec(stdout);
  assert.ok(full, `a ustack key in ${JSON.stringify(stdout)}`);
  const frames = full![1]!.split('\n').slice(0, -1).map((line) => line.slice(8));
  // The helper's frames first; what follows (libc's start code) depends on the libc build.
  assert.equal(frames.slice(0, 2), [known, main]);
  assert.is(stdout.slice(full![0].length),
    `@perf[\n\t${hexOf(stdout, known)} ${known} (${targetPath})\n\t${hexOf(stdout, main)} ${main} (${targetPath})\n]: 2\n`
    + `@two[\n        ${known}\n        ${main}\n]: 2\n`);
});

/** The runtime address perf mode printed for a frame (PIE: only known once the helper ran). */
function hexOf(stdout: string, frame: string): string {
  const match = new RegExp(`\\t([0-9a-f]+) ${frame.replace('+', '\\+')} `).exec(stdout);
  assert.ok(match, `perf frame for ${frame}`);
  return match![1]!;
}

needs(test, 'usym() of a code address passed to a syscall: the function name, in printf, print() and maps', [cc, objdump], async () => {
  const target = startTarget(targetPath, ['address']);
  const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_write /pid == ${target.pid}/ {
    printf("%s\\n", usym(args.buf)); print(usym(args.buf)); @u = usym(args.buf); @keyed[usym(args.buf), 1] = count();
  }`, {
    tracedProcesses: [target.pid],
    trigger: async () => {
      target.release();
      await target.exited;
    },
  });
  assert.is(stderr, '');
  assert.is(stdout, 'tsbpf_known_function\ntsbpf_known_function\n\n\n@keyed[tsbpf_known_function, 1]: 1\n@u: tsbpf_known_function\n');
});

needs(test, 'a process traced once the session runs (traceProcess, as -c does after exec) resolves after it exits', [cc, objdump], async () => {
  const expected = expectedUserFrames(targetPath);
  const target = startTarget(targetPath, ['getppid', '1']);
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_getppid /pid == ${target.pid}/ { @[ustack(2)] = count(); }`, {
    onStart: (session) => session.traceProcess(target.pid),
    trigger: async () => {
      target.release();
      await target.exited;
    },
  });
  assert.is(stdout, `\n\n@[\n        tsbpf_known_function+${expected.known}\n        main+${expected.main}\n]: 1\n`);
});

needs(test, 'ustack of a process gone before it was ever seen (a map printed at exit): frames named from the uprobe\'s binary', [cc, objdump], async () => {
  const expected = expectedUserFrames(targetPath);
  const target = startTarget(targetPath, ['getppid', '1']);
  // No traced pid: nothing reads the process's memory map while it lives.
  const { stdout, stderr } = await runScript(`uprobe:${targetPath}:tsbpf_known_function { @[ustack(2)] = count(); @perf[ustack(perf, 3)] = count(); }`, {
    trigger: async () => {
      target.release();
      assert.equal(await target.exited, { code: 0, signal: null });
    },
  });
  assert.is(stderr, '');
  // A uprobe at the function's entry: its first instruction, then main's call of it.
  const known = 'tsbpf_known_function+0';
  const main = `main+${expected.main}`;
  const maps = /^\n\n@\[\n {8}([^\n]*)\n {8}([^\n]*)\n\]: 1\n@perf\[\n((?:\t[^\n]*\n)+)\]: 1\n$/.exec(stdout);
  assert.ok(maps, `two maps in ${JSON.stringify(stdout)}`);
  assert.equal([maps![1], maps![2]], [known, main]);
  const perf = maps![3]!.split('\n').slice(0, -1).map((line) => line.slice(1));
  assert.equal(perf.slice(0, 2), [`${hexOf(stdout, known)} ${known} (${targetPath})`, `${hexOf(stdout, main)} ${main} (${targetPath})`]);
  // Frames in other files (libc's start code) have no binary to be named from.
  for (const line of perf.slice(2)) assert.match(line, /^([0-9a-f]+) 0x\1 \(\[unknown\]\)$/);
});

needs(test, 'ksym() and kaddr(): a kernel function by name and back, as text in every output', [kallsymsAddresses], async () => {
  const { stdout } = await runScript('BEGIN { printf("%s\\n", ksym(kaddr("do_sys_openat2") + 5)); @k[ksym(kaddr("vfs_read"))] = count(); printf("%d\\n", kaddr("vfs_read") == 0x' + kernelAddresses.get('vfs_read')!.toString(16) + '); exit(); }');
  assert.is(stdout, 'do_sys_openat2\n1\n\n\n@k[vfs_read]: 1\n');
});

test.run();
