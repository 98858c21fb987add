// Headers, sections, segments and notes of real files, checked against readelf.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElfError, ElfFile, ElfType, SegmentType } from '../../src/elf/index.js';
import { bashPath, libcPath, readelfSegments, run } from './tools.js';
import { needs, tool } from '../support/skip.js';

const readelf = tool('readelf');

function readelfSections(path: string): { name: string; address: bigint; offset: number; size: number }[] {
  const sections = [];
  for (const line of run('readelf', ['-SW', path]).split('\n')) {
    const match = /^\s+\[\s*(\d+)\]\s+(\S*)\s+\S+\s+([0-9a-f]{16})\s+([0-9a-f]+)\s+([0-9a-f]+)\s/.exec(line);
    if (match) sections.push({ name: match[2]!, address: BigInt(`0x${match[3]}`), offset: parseInt(match[4]!, 16), size: parseInt(match[5]!, 16) });
  }
  return sections;
}

for (const path of [bashPath, libcPath]) {
  needs(test, `${path}: sections match readelf -S`, [readelf], () => {
    const elf = ElfFile.open(path);
    const expected = readelfSections(path);
    assert.is(elf.sections.length, expected.length);
    for (const [index, section] of expected.entries()) {
      const actual = elf.sections[index]!;
      // readelf cuts long names without -W; with -W it prints them whole.
      assert.is(actual.name, section.name, `section ${index}`);
      assert.is(actual.address, section.address, section.name);
      assert.is(actual.offset, section.offset, section.name);
      assert.is(actual.size, section.size, section.name);
    }
    elf.close();
  });

  needs(test, `${path}: program headers match readelf -l`, [readelf], () => {
    const elf = ElfFile.open(path);
    const expected = readelfSegments(path);
    assert.is(elf.segments.length, expected.length);
    for (const [index, segment] of expected.entries()) {
      const actual = elf.segments[index]!;
      assert.is(actual.offset, segment.offset);
      assert.is(actual.virtualAddress, segment.virtualAddress);
      assert.is(actual.fileSize, segment.fileSize);
      assert.is(actual.memorySize, segment.memorySize);
      if (segment.type === 'LOAD') assert.is(actual.type, SegmentType.Load);
    }
    elf.close();
  });

  needs(test, `${path}: build id matches readelf -n`, [readelf], () => {
    const expected = /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', path]))?.[1];
    const elf = ElfFile.open(path);
    assert.is(elf.buildId(), expected);
    elf.close();
  });
}

test('libc is a shared object for x86-64', () => {
  const elf = ElfFile.open(libcPath);
  assert.is(elf.header.type, ElfType.SharedObject);
  assert.is(elf.header.machine, process.arch === 'x64' ? 62 : 183);
  elf.close();
});

function expectElfError(action: () => unknown, kind: ElfError['kind']): ElfError {
  try {
    action();
  } catch (error) {
    assert.instance(error, ElfError);
    assert.is((error as ElfError).kind, kind);
    return error as ElfError;
  }
  assert.unreachable(`expected an ElfError of kind ${kind}`);
  throw new Error('unreachable');
}

test('a missing file is unreadable, with the path in the message', () => {
  const error = expectElfError(() => ElfFile.open('/nonexistent/tsbpf-elf'), 'unreadable');
  assert.match(error.message, '/nonexistent/tsbpf-elf: no such file');
});

test('a shell script is not an ELF file', () => {
  expectElfError(() => ElfFile.open('/etc/passwd'), 'not-elf');
});

test('a 32-bit ELF is refused as unsupported', () => {
  const bytes = new Uint8Array(readFileSync(bashPath).subarray(0, 64));
  bytes[4] = 1; // ELFCLASS32
  expectElfError(() => ElfFile.fromBytes(bytes), 'unsupported');
});

test('a file cut short after its header is malformed, not a crash', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-elf-'));
  const path = join(directory, 'truncated');
  writeFileSync(path, readFileSync(bashPath).subarray(0, 4096));
  expectElfError(() => ElfFile.open(path), 'malformed');
});

test('section bytes are the file bytes at the section offset', () => {
  const elf = ElfFile.open(bashPath);
  const interp = elf.section('.interp')!;
  const text = Buffer.from(elf.sectionBytes(interp)).toString('latin1');
  assert.match(text, /^\/lib64\/ld-linux-x86-64\.so\.2\0$/);
  assert.is(elf.sectionBytes(interp), elf.sectionBytes(interp), 'kept after the first read');
  elf.close();
});

test.run();
