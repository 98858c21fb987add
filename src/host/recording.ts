// A Host that asks another (normally liveHost()) and writes down every question and answer, thrown
// errors included, plus the bytes read from ELF files and the BTF types decoded: a fixture host
// (host/fixture.ts) replays the record where there is no tracefs, BTF or BPF. Record one host over
// a whole corpus of scripts; writeHostRecord stores it gzip-compressed.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { BtfError, type BtfReader } from '../btf/index.js';
import { ElfError, ElfFile } from '../elf/index.js';
import { FileBytes, type ByteSource } from '../elf/file-bytes.js';
import { TracefsError } from '../loader/tracefs.js';
import type { Host } from '../model/host.js';
import { btfSubset } from './btf-subset.js';
import type { HostRecord, RecordedAnswer, RecordedError, RecordedFile } from './fixture.js';
import { liveHost } from './live.js';

export interface RecordingHost {
  readonly host: Host;
  /** What was asked so far, ready to serialize. */
  record(): HostRecord;
}

export function recordingHost(inner: Host = liveHost()): RecordingHost {
  const answers: Record<string, RecordedAnswer> = {};
  const reads = new Map<string, { size: number; ranges: Map<number, Uint8Array> }>();
  let btf: { reader: BtfReader; blob: Uint8Array } | undefined;
  const ask = <T>(question: string, compute: () => T, stored: (value: T) => unknown = (value) => value): T => {
    try {
      const value = compute();
      answers[question] = { value: stored(value) };
      return value;
    } catch (error) {
      answers[question] = { error: recordedError(error) };
      throw error;
    }
  };
  const host: Host = {
    tracepoints: () => ask('tracepoints', () => inner.tracepoints()),
    tracepointFields: (category, name) => ask(`tracepointFields:${category}:${name}`, () => inner.tracepointFields(category, name)),
    kernelBtf: () => {
      const reader = ask('kernelBtf', () => inner.kernelBtf(), (value) => value !== undefined);
      if (reader && !btf) btf = { reader, blob: reader.blob };
      return reader;
    },
    kernelFunctions: () => ask('kernelFunctions', () => inner.kernelFunctions()),
    kernelSymbolAddress: (name) => ask(`kernelSymbolAddress:${name}`, () => inner.kernelSymbolAddress(name)),
    possibleCpuCount: () => ask('possibleCpuCount', () => inner.possibleCpuCount()),
    onlineCpus: () => ask('onlineCpus', () => inner.onlineCpus()),
    userTarget: (target, pid) => ask(`userTarget:${target}:${pid ?? ''}`, () => inner.userTarget(target, pid)),
    userTargets: (pattern, pid) => ask(`userTargets:${pattern}:${pid ?? ''}`, () => inner.userTargets(pattern, pid)),
    processExecutable: (pid) => ask(`processExecutable:${pid}`, () => inner.processExecutable(pid)),
    cgroupId: (path) => ask(`cgroupId:${path}`, () => inner.cgroupId(path)),
    openElf: (path) => {
      ask(`openElf:${path}`, () => inner.openElf(path).close(), () => true);
      let file = reads.get(path);
      const source = new FileBytes(path);
      if (!file) reads.set(path, file = { size: source.size, ranges: new Map() });
      return ElfFile.fromSource(recordingBytes(source, file.ranges), path);
    },
    dynamicPmu: (name) => ask(`dynamicPmu:${name}`, () => inner.dynamicPmu(name)),
    kprobeEventsFile: () => ask('kprobeEventsFile', () => inner.kprobeEventsFile()),
    hasHardwarePmu: () => ask('hasHardwarePmu', () => inner.hasHardwarePmu()),
    trampolineSupport: (btfId) => ask('trampolineSupport', () => inner.trampolineSupport(btfId)),
    pidNamespace: () => ask('pidNamespace', () => inner.pidNamespace()),
    uprobeMulti: () => ask('uprobeMulti', () => inner.uprobeMulti()),
  };
  return {
    host,
    record: () => ({
      version: 1,
      answers: { ...answers },
      ...(btf ? { btf: Buffer.from(btfSubset(btf.blob, new Set(btf.reader.decodedIds()))).toString('base64') } : {}),
      elfFiles: Object.fromEntries([...reads].map(([path, file]) => [path, recordedFile(file.size, file.ranges)])),
    }),
  };
}

export function writeHostRecord(path: string, record: HostRecord): void {
  const json = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? { bigint: `0x${value.toString(16)}` } : value));
  writeFileSync(path, gzipSync(json, { level: 9 }));
}

function recordingBytes(source: ByteSource, ranges: Map<number, Uint8Array>): ByteSource {
  return {
    size: source.size,
    read(offset, length) {
      const bytes = source.read(offset, length);
      const known = ranges.get(offset);
      if (!known || known.length < length) ranges.set(offset, bytes.slice());
      return bytes;
    },
    close: () => source.close(),
  };
}

/** Overlapping reads merged, so that any read inside a recorded one is answered. */
function recordedFile(size: number, ranges: ReadonlyMap<number, Uint8Array>): RecordedFile {
  const merged: { offset: number; bytes: Uint8Array }[] = [];
  for (const [offset, bytes] of [...ranges].sort(([left], [right]) => left - right)) {
    const last = merged.at(-1);
    if (last && offset <= last.offset + last.bytes.length) {
      const end = Math.max(last.offset + last.bytes.length, offset + bytes.length);
      const joined = new Uint8Array(end - last.offset);
      joined.set(last.bytes);
      joined.set(bytes, offset - last.offset);
      last.bytes = joined;
    } else {
      merged.push({ offset, bytes });
    }
  }
  return { size, ranges: merged.map(({ offset, bytes }) => [offset, Buffer.from(bytes).toString('base64')] as const) };
}

function recordedError(error: unknown): RecordedError {
  if (error instanceof ElfError) return { class: 'ElfError', kind: error.kind, path: error.path, detail: error.detail };
  if (error instanceof TracefsError) return { class: 'TracefsError', message: error.message };
  if (error instanceof BtfError) return { class: 'BtfError', message: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  return { class: 'Error', message: (error as Error).message, ...(code === undefined ? {} : { code }) };
}
