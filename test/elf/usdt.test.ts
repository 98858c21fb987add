// USDT notes: the fixture's probes (arguments, semaphore), python3.11's and libstdc++'s against
// readelf -n, and the .stapsdt.base adjustment on a relocated copy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ElfFile, parseUsdtArguments, readUsdtProbes, type UsdtProbe } from '../../src/elf/index.js';
import { buildFixture, python311Path, readelfSegments, run } from './tools.js';
import { cc, file, needs, sdtHeader, tool } from '../support/skip.js';

const readelf = tool('readelf');
const libstdcxxPath = '/lib/x86_64-linux-gnu/libstdc++.so.6';

interface ReadelfProbe { provider: string; name: string; address: bigint; base: bigint; semaphore: bigint; arguments: string }

function readelfProbes(path: string): ReadelfProbe[] {
  const probes: ReadelfProbe[] = [];
  const pattern = /Provider: (\S+)\s+Name: (\S+)\s+Location: 0x([0-9a-f]+), Base: 0x([0-9a-f]+), Semaphore: 0x([0-9a-f]+)\s+Arguments: ?(.*)/g;
  for (const match of run('readelf', ['-n', path]).matchAll(pattern)) {
    probes.push({ provider: match[1]!, name: match[2]!, address: BigInt(`0x${match[3]}`), base: BigInt(`0x${match[4]}`), semaphore: BigInt(`0x${match[5]}`), arguments: match[6]!.trim() });
  }
  return probes;
}

function expectedOffset(path: string, address: bigint): number | undefined {
  const load = readelfSegments(path).find((segment) => segment.type === 'LOAD' && address >= segment.virtualAddress && address < segment.virtualAddress + BigInt(segment.fileSize));
  return load && load.offset + Number(address - load.virtualAddress);
}

function compareWithReadelf(path: string): UsdtProbe[] {
  const elf = ElfFile.open(path);
  const probes = readUsdtProbes(elf);
  elf.close();
  const expected = readelfProbes(path);
  assert.is(probes.length, expected.length);
  for (const [index, probe] of expected.entries()) {
    const actual = probes[index]!;
    const label = `${probe.provider}:${probe.name}`;
    assert.is(actual.provider, probe.provider, label);
    assert.is(actual.name, probe.name, label);
    // readelf prints the recorded values; these files were not relocated, so no adjustment applies.
    assert.is(actual.address, probe.address, label);
    assert.is(actual.base, probe.base, label);
    assert.is(actual.semaphoreAddress, probe.semaphore, label);
    assert.is(actual.argumentSpec, probe.arguments, label);
    assert.is(actual.fileOffset, expectedOffset(path, probe.address), label);
    assert.is(actual.semaphoreOffset, probe.semaphore === 0n ? undefined : expectedOffset(path, probe.semaphore), label);
    const parsed = parseUsdtArguments(actual.argumentSpec);
    assert.ok(parsed.ok, `${label}: ${parsed.ok ? '' : parsed.message}`);
  }
  return probes;
}

needs(test, 'the fixture: four probes, their argument specs, and the one semaphore', [readelf, sdtHeader, cc], () => {
  const fixture = buildFixture();
  const probes = compareWithReadelf(fixture.path);
  assert.equal(probes.map((probe) => `${probe.provider}:${probe.name}`), ['tsbpf:two_args', 'tsbpf:no_args', 'tsbpf:constant', 'tsbpf:gated']);
  const byName = new Map(probes.map((probe) => [probe.name, probe]));
  assert.is(byName.get('no_args')!.argumentSpec, '');
  assert.is(byName.get('no_args')!.semaphoreOffset, undefined);
  const constant = parseUsdtArguments(byName.get('constant')!.argumentSpec);
  assert.equal(constant.ok && constant.arguments.map((argument) => argument.location), [{ kind: 'constant', value: 42n }]);
  const twoArgs = parseUsdtArguments(byName.get('two_args')!.argumentSpec);
  assert.equal(twoArgs.ok && twoArgs.arguments.map((argument) => [argument.size, argument.signed]), [[4, true], [8, true]]);
  // -O0 keeps both arguments in the frame: memory operands off %rbp.
  assert.ok(twoArgs.ok && twoArgs.arguments.every((argument) => argument.location.kind === 'memory' && argument.location.base === 'rbp'));
  // The semaphore is the u16 at the start of .probes.
  const elf = ElfFile.open(fixture.path);
  const probesSection = elf.section('.probes')!;
  assert.is(byName.get('gated')!.semaphoreAddress, probesSection.address);
  assert.is(byName.get('gated')!.semaphoreOffset, probesSection.offset);
  elf.close();
});

needs(test, 'the probe address is a nop the uprobe lands on: the byte at its file offset is 0x90', [sdtHeader, cc], () => {
  const fixture = buildFixture();
  const bytes = readFileSync(fixture.path);
  const elf = ElfFile.open(fixture.path);
  for (const probe of readUsdtProbes(elf)) assert.is(bytes[probe.fileOffset!], 0x90, probe.name);
  elf.close();
});

needs(test, 'relocated .stapsdt.base moves every pc and semaphore by the same amount', [sdtHeader, cc], () => {
  const fixture = buildFixture();
  const bytes = new Uint8Array(readFileSync(fixture.path));
  const original = ElfFile.fromBytes(bytes.slice());
  const base = original.section('.stapsdt.base')!;
  const view = new DataView(bytes.buffer);
  const headerOffset = original.header.sectionHeaderOffset + base.index * 64 + 16; // sh_addr
  view.setBigUint64(headerOffset, base.address + 0x2000n, true);
  const moved = readUsdtProbes(ElfFile.fromBytes(bytes));
  const before = readUsdtProbes(original);
  for (const [index, probe] of moved.entries()) {
    assert.is(probe.address, before[index]!.address + 0x2000n, probe.name);
    const semaphore = before[index]!.semaphoreAddress;
    assert.is(probe.semaphoreAddress, semaphore === 0n ? 0n : semaphore + 0x2000n, probe.name);
  }
});

needs(test, 'python3.11: every probe matches readelf -n, all with semaphores', [readelf, file(python311Path, 'python3.11, a binary with USDT semaphores')], () => {
  const probes = compareWithReadelf(python311Path);
  assert.ok(probes.length >= 8, `${probes.length} probes`);
  assert.ok(probes.some((probe) => probe.name === 'function__entry'));
  assert.ok(probes.every((probe) => probe.semaphoreOffset !== undefined));
});

needs(test, 'libstdc++: probes without semaphores', [readelf, file(libstdcxxPath, 'libstdc++6, a library with USDT probes')], () => {
  const probes = compareWithReadelf(libstdcxxPath);
  assert.ok(probes.length > 0);
  assert.ok(probes.every((probe) => probe.semaphoreAddress === 0n && probe.semaphoreOffset === undefined));
});

test('a file without USDT notes has no probes', () => {
  const elf = ElfFile.open('/bin/bash');
  assert.equal(readUsdtProbes(elf), []);
  elf.close();
});

test.run();
