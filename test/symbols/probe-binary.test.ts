// User stacks of a process that is gone before it was ever seen (no memory map to read): the frames
// are named from the binary of the probe that took them. The oracle for where the fixture's functions
// are is the fixture itself (it prints their addresses) and the kernel's /proc/PID/maps while it lives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readProcessMaps, Symbolizer } from '../../src/symbols/index.js';
import type { StackType } from '../../src/model/symbol-resolver.js';
import { buildFixture } from '../elf/tools.js';
import { cc, needs } from '../support/skip.js';

const userStack = (mode: StackType['mode'] = 'bpftrace'): StackType => ({ kind: 'stack', space: 'user', limit: 127, mode });
const hex = (address: bigint) => `0x${address.toString(16)}`;

interface ExitedFixture {
  readonly pid: number;
  /** tsbpf_leaf, tsbpf_middle and main, where the process had them. */
  readonly addresses: readonly [bigint, bigint, bigint];
  /** The file offset of tsbpf_leaf (what a uprobe on it is placed at), from the kernel's map. */
  readonly leafOffset: number;
  /** An address in the process's libc. */
  readonly libcAddress: bigint;
}

/** Runs the fixture in `wait` mode, reads what it and its map say, and lets it exit. */
async function runFixture(path: string): Promise<ExitedFixture> {
  const child: ChildProcess = spawn(path, ['wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    child.on('error', reject);
  });
  const addresses = line.split(' ').map((text) => BigInt(text)) as unknown as [bigint, bigint, bigint];
  const rows = readFileSync(`/proc/${child.pid}/maps`, 'latin1').split('\n').map((row) => row.split(/\s+/));
  const containing = (address: bigint) => rows.find(([range]) => {
    const [start, end] = (range ?? '').split('-').map((text) => BigInt(`0x${text || '0'}`));
    return address >= start! && address < end!;
  });
  const leafRow = containing(addresses[0])!;
  const leafOffset = Number(addresses[0] - BigInt(`0x${leafRow[0]!.split('-')[0]}`) + BigInt(`0x${leafRow[2]}`));
  const libcRow = rows.find((row) => /\/libc\.so\.6$/.test(row[5] ?? '') && row[1]!.includes('x'))!;
  const libcAddress = BigInt(`0x${libcRow[0]!.split('-')[0]}`) + 0x10n;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.stdin!.end();
  await exited;
  assert.is(readProcessMaps(child.pid!), undefined, 'the process is gone');
  return { pid: child.pid!, addresses, leafOffset, libcAddress };
}

needs(test, 'a PIE: frames named from the probe\'s binary, placed by the innermost frame (the probed instruction)', [cc], async () => {
  const { path } = buildFixture();
  const { pid, addresses: [leaf, middle, main], leafOffset, libcAddress } = await runFixture(path);
  const stack = [leaf, middle + 38n, main + 4n, libcAddress];
  const symbolizer = new Symbolizer({ readStack: () => stack, userCodeFiles: [{ path, entryOffset: leafOffset }] });
  assert.equal(symbolizer.stackFrames(userStack(), 1, pid, 1).map((frame) => frame.symbol), ['tsbpf_leaf+0', 'tsbpf_middle+38', 'main+4', hex(libcAddress)]);
  assert.equal(symbolizer.stackFrames(userStack('perf'), 1, pid, 1).map((frame) => frame.symbol).slice(0, 2), [`tsbpf_leaf+0 (${path})`, `tsbpf_middle+38 (${path})`]);
  assert.equal(symbolizer.stackFrames(userStack(), 1, pid, 0).map((frame) => frame.symbol), stack.map(hex), 'a value from no single-binary probe');
  // usym() values have no innermost frame: they take the placement a stack of the process showed.
  assert.is(symbolizer.userSymbolName(pid, middle + 2n, 1), 'tsbpf_middle');
  assert.is(new Symbolizer({ userCodeFiles: [{ path, entryOffset: leafOffset }] }).userSymbolName(pid, middle, 1), hex(middle), 'nothing placed it');
  // An innermost frame that is not the probed instruction places nothing: no wrong names.
  const misplaced = new Symbolizer({ readStack: () => stack.slice(1), userCodeFiles: [{ path, entryOffset: leafOffset }] });
  assert.equal(misplaced.stackFrames(userStack(), 1, pid, 1).map((frame) => frame.symbol), stack.slice(1).map(hex));
});

needs(test, 'a fixed-address executable and a return probe (no probed instruction): frames named at link addresses', [cc], async () => {
  const { path } = buildFixture({ pie: false });
  const { pid, addresses: [, middle, main] } = await runFixture(path);
  const symbolizer = new Symbolizer({ readStack: () => [middle + 38n, main + 4n], userCodeFiles: [{ path }] });
  assert.equal(symbolizer.stackFrames(userStack(), 1, pid, 1).map((frame) => frame.symbol), ['tsbpf_middle+38', 'main+4']);
  assert.is(symbolizer.userSymbolName(pid, main + 1n, 1), 'main');
});

test.run();
