// User-space symbolization: this Node process's own libc, libc's debug file, and a live fixture
// process that prints its own function addresses, before and after it exits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { ElfFile, findDebugFile } from '../../src/elf/index.js';
import { readProcessMaps, stackAddresses, Symbolizer, type MemoryMapping } from '../../src/symbols/index.js';
import type { StackType } from '../../src/model/symbol-resolver.js';
import { buildFixture, readelfSymbols, run } from '../elf/tools.js';
import { cc, file, kallsymsAddresses, needs, tool } from '../support/skip.js';

const userStack = (mode: StackType['mode'] = 'bpftrace', limit = 127): StackType => ({ kind: 'stack', space: 'user', limit, mode });
const ownMaps = readProcessMaps('self')!;
const libcMappings = ownMaps.filter((mapping) => /\/libc\.so\.6$/.test(mapping.path));
const nm = tool('nm');
const readelf = tool('readelf');

/** libc6-dbg's file for this process's libc, by the build id readelf reports (not tsbpf's reader). */
const libcDebugFile = (() => {
  const buildId = readelf.present && libcMappings.length > 0 ? /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', libcMappings[0]!.path]))?.[1] : undefined;
  const path = buildId ? `/usr/lib/debug/.build-id/${buildId.slice(0, 2)}/${buildId.slice(2)}.debug` : '/usr/lib/debug/.build-id (libc has no build id)';
  return file(path, "libc's detached debug symbols, libc6-dbg");
})();

/** Where the byte at `fileOffset` of a mapped file sits in this process. */
function runtimeAddress(mappings: readonly MemoryMapping[], fileOffset: number): bigint {
  const mapping = mappings.find((candidate) => BigInt(fileOffset) >= candidate.offset && BigInt(fileOffset) < candidate.offset + (candidate.end - candidate.start));
  assert.ok(mapping, `file offset 0x${fileOffset.toString(16)} is mapped`);
  return mapping!.start + BigInt(fileOffset) - mapping!.offset;
}

needs(test, 'an address inside this process\'s libc resolves to the function nm names there', [nm], () => {
  assert.ok(libcMappings.length > 0, 'node maps libc');
  const path = libcMappings[0]!.path;
  const elf = ElfFile.open(path);
  const symbolizer = new Symbolizer();
  // getppid, qsort and fopen sit at addresses no other exported name shares.
  const nmLines = run('nm', ['-D', '--defined-only', path]).split('\n');
  for (const name of ['getppid', 'qsort', 'fopen']) {
    const line = nmLines.find((candidate) => new RegExp(` [TW] ${name}@`).test(candidate))!;
    const value = BigInt(`0x${line.split(' ')[0]}`);
    const address = runtimeAddress(libcMappings, elf.fileOffsetOf(value)!);
    assert.is(symbolizer.userSymbolName(process.pid, address), name);
    assert.is(symbolizer.frameText(userStack(), address + 7n, process.pid), `${name}+7`);
    assert.is(symbolizer.frameText(userStack('perf'), address + 7n, process.pid), `${name}+7 (${path})`);
  }
  elf.close();
});

test('aliases at one address print the public name: malloc, not __libc_malloc or __GI___libc_malloc', () => {
  const path = libcMappings[0]!.path;
  const elf = ElfFile.open(path);
  const malloc = elf.symbols('dynsym').find((symbol) => symbol.name === 'malloc')!;
  const address = runtimeAddress(libcMappings, elf.fileOffsetOf(malloc.value)!);
  assert.is(new Symbolizer().userSymbolName(process.pid, address + 1n), 'malloc');
  elf.close();
});

needs(test, 'libc\'s debug file (libc6-dbg) names local functions .dynsym lacks', [readelf, libcDebugFile], () => {
  const path = libcMappings[0]!.path;
  const elf = ElfFile.open(path);
  const debugPath = findDebugFile(elf);
  assert.ok(debugPath, 'the debug file is found');
  assert.is(debugPath, `/usr/lib/debug/.build-id/${elf.buildId()!.slice(0, 2)}/${elf.buildId()!.slice(2)}.debug`);
  const local = readelfSymbols(debugPath!, 'symtab').find((symbol) => symbol.name === '__libc_start_call_main');
  assert.ok(local, 'the libc debug file has __libc_start_call_main (glibc >= 2.34)');
  if (!local) return;
  assert.ok(!elf.symbols('dynsym').some((symbol) => symbol.name === '__libc_start_call_main'), 'not exported');
  const address = runtimeAddress(libcMappings, elf.fileOffsetOf(local.value)!);
  assert.is(new Symbolizer().frameText(userStack(), address + 122n, process.pid), '__libc_start_call_main+122');
  elf.close();
});

/** Starts the fixture in `wait` mode; resolves with its pid and the addresses it printed. */
function startFixture(path: string): Promise<{ child: ChildProcess; addresses: bigint[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve({ child, addresses: output.trim().split(' ').map((text) => BigInt(text)) });
    });
    child.on('error', reject);
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.on('exit', () => resolve());
  });
}

needs(test, 'a live process: its functions resolve, and still do after it exits (maps cached at first use)', [cc], async () => {
  const fixture = buildFixture();
  const { child, addresses } = await startFixture(fixture.path);
  const [leaf, middle, main] = addresses as [bigint, bigint, bigint];
  const symbolizer = new Symbolizer({ defaultPid: child.pid });
  const pid = child.pid!;
  assert.ok(symbolizer.process(pid).snapshot(), 'maps read while alive');
  assert.is(symbolizer.frameText(userStack(), leaf, pid), 'tsbpf_leaf+0');
  assert.is(symbolizer.frameText(userStack(), middle + 38n, pid), 'tsbpf_middle+38');
  assert.is(symbolizer.frameText(userStack('perf'), main + 4n, pid), `main+4 (${fixture.path})`);
  assert.is(symbolizer.symbolName('user', leaf + 3n), 'tsbpf_leaf', 'usym() of the default pid');
  child.stdin!.end();
  await exited(child);
  assert.is(readProcessMaps(pid), undefined, 'the process is gone');
  assert.is(symbolizer.frameText(userStack(), middle + 1n, pid), 'tsbpf_middle+1');
  // A symbolizer that first hears of the pid after the exit can only print addresses.
  const late = new Symbolizer();
  assert.is(late.frameText(userStack(), middle, pid), `0x${middle.toString(16)}`);
  assert.is(late.frameText(userStack('perf'), middle, pid), `0x${middle.toString(16)} ([unknown])`);
  assert.is(late.userSymbolName(pid, middle), `0x${middle.toString(16)}`);
});

needs(test, 'stack ids become frames: innermost first, cut at the first zero and at the limit', [cc], async () => {
  const fixture = buildFixture();
  const { child, addresses } = await startFixture(fixture.path);
  const [leaf, middle, main] = addresses as [bigint, bigint, bigint];
  const stored = new Map<number, bigint[]>([[7, [leaf + 4n, middle + 38n, main + 140n, 0n, 0n]]]);
  const symbolizer = new Symbolizer({ readStack: (_type, stackId) => stored.get(stackId) });
  const pid = child.pid!;
  const frames = symbolizer.stackFrames(userStack(), 7, pid);
  assert.equal(frames.map((frame) => frame.symbol), ['tsbpf_leaf+4', 'tsbpf_middle+38', 'main+140']);
  assert.equal(frames.map((frame) => frame.address), [leaf + 4n, middle + 38n, main + 140n]);
  assert.equal(symbolizer.stackFrames(userStack('bpftrace', 2), 7, pid).map((frame) => frame.symbol), ['tsbpf_leaf+4', 'tsbpf_middle+38']);
  assert.equal(symbolizer.stackFrames(userStack('raw'), 7, pid).map((frame) => frame.symbol), [leaf + 4n, middle + 38n, main + 140n].map((address) => `0x${address.toString(16)}`));
  assert.equal(symbolizer.stackFrames(userStack(), -14, pid), [], 'an error id (-EFAULT) has no frames');
  assert.equal(symbolizer.stackFrames(userStack(), 8, pid), [], 'an id not in the map');
  child.stdin!.end();
  await exited(child);
});

test('stackAddresses reads a stack map value: little-endian u64s up to the first zero', () => {
  const value = new Uint8Array(40);
  const view = new DataView(value.buffer);
  view.setBigUint64(0, 0xffffffff816b4af5n, true);
  view.setBigUint64(8, 0x7f0000001234n, true);
  view.setBigUint64(24, 0x99n, true); // after the terminating zero: ignored
  assert.equal(stackAddresses(value), [0xffffffff816b4af5n, 0x7f0000001234n]);
  assert.equal(stackAddresses(new Uint8Array(0)), []);
});

test('a process already gone at first use prints hex addresses', () => {
  const done = spawnSync('true');
  assert.is(done.status, 0);
  const symbolizer = new Symbolizer();
  assert.is(symbolizer.process(done.pid!).snapshot(), false);
  assert.is(symbolizer.frameText(userStack(), 0x55e92b674169n, done.pid!), '0x55e92b674169');
});

test('JIT code in anonymous memory is named from /tmp/perf-PID.map', () => {
  const perfMapPath = `/tmp/perf-${process.pid}.map`;
  // A file left by an earlier process with this pid is stale: set aside, put back afterwards.
  const stale = existsSync(perfMapPath) ? readFileSync(perfMapPath) : undefined;
  const anonymous = ownMaps.find((mapping) => mapping.path === '' && mapping.end - mapping.start >= 0x1000n);
  assert.ok(anonymous, 'node has anonymous mappings');
  const start = anonymous!.start + 0x100n;
  writeFileSync(perfMapPath, `${start.toString(16)} 40 LazyCompile:*tsbpfJitted test.js:1\n${(start + 0x40n).toString(16)} 10 next\n`);
  try {
    const symbolizer = new Symbolizer();
    assert.is(symbolizer.frameText(userStack(), start + 0x18n, process.pid), 'LazyCompile:*tsbpfJitted test.js:1+24');
    assert.is(symbolizer.frameText(userStack('perf'), start + 0x41n, process.pid), `next+1 (${perfMapPath})`);
    assert.is(symbolizer.frameText(userStack(), start + 0x60n, process.pid), `0x${(start + 0x60n).toString(16)}`);
  } finally {
    if (stale) writeFileSync(perfMapPath, stale);
    else unlinkSync(perfMapPath);
  }
});

needs(test, 'kernel stacks through the symbolizer: name+offset in every mode but raw', [kallsymsAddresses], () => {
  const symbolizer = new Symbolizer({ readStack: () => [] });
  const address = symbolizer.kernelSymbols().addressOf('do_sys_openat2');
  assert.ok(address !== undefined, '/proc/kallsyms has do_sys_openat2');
  if (address === undefined) return;
  const kernelStack = (mode: StackType['mode']): StackType => ({ kind: 'stack', space: 'kernel', limit: 127, mode });
  assert.is(symbolizer.frameText(kernelStack('bpftrace'), address + 5n, 0), 'do_sys_openat2+5');
  assert.is(symbolizer.frameText(kernelStack('perf'), address + 5n, 0), 'do_sys_openat2+5');
  assert.is(symbolizer.frameText(kernelStack('raw'), address + 5n, 0), `0x${(address + 5n).toString(16)}`);
  assert.is(symbolizer.symbolName('kernel', address + 5n), 'do_sys_openat2');
  assert.is(symbolizer.symbolName('user', 0x1234n), undefined, 'usym without a known process');
});

test.run();
