// A Host that answers from a recording (host/recording.ts) instead of the machine: compile() then
// runs with no tracefs, no kernel BTF file, no kallsyms and no BPF at all. It knows exactly what the
// recorded compiles asked; any other question is an error naming it, never a guess.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BtfError, parseBtf, type BtfReader } from '../btf/index.js';
import { ElfError, ElfFile, type ElfErrorKind } from '../elf/index.js';
import type { ByteSource } from '../elf/file-bytes.js';
import { TracefsError } from '../loader/tracefs.js';
import type { Host } from '../model/host.js';

/** A thrown error as data: enough to throw the same class with the same message again. */
export type RecordedError =
  | { readonly class: 'TracefsError' | 'BtfError' | 'Error'; readonly message: string; readonly code?: string }
  | { readonly class: 'ElfError'; readonly kind: ElfErrorKind; readonly path: string; readonly detail: string };

export type RecordedAnswer = { readonly value: unknown } | { readonly error: RecordedError };

/** The byte ranges of one ELF file that were read, base64, and its size. */
export interface RecordedFile {
  readonly size: number;
  readonly ranges: readonly (readonly [offset: number, base64: string])[];
}

export interface HostRecord {
  readonly version: 1;
  /** Question (method and arguments, `:`-joined) → answer. */
  readonly answers: Readonly<Record<string, RecordedAnswer>>;
  /** The kernel BTF subset (host/btf-subset.ts), base64; absent when no question needed it. */
  readonly btf?: string;
  readonly elfFiles: Readonly<Record<string, RecordedFile>>;
}

/** A fixture file as written by writeHostRecord: gzip-compressed JSON. */
export function readHostRecord(path: string): HostRecord {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'), reviveBigInt) as HostRecord;
}

export function fixtureHost(record: HostRecord): Host {
  let btf: BtfReader | undefined;
  const answer = <T>(question: string): T => {
    const found = record.answers[question];
    if (!found) throw new Error(`the fixture host has no answer recorded for ${question}`);
    if ('error' in found) throw rebuild(found.error);
    return found.value as T;
  };
  return {
    tracepoints: () => answer('tracepoints'),
    tracepointFields: (category, name) => answer(`tracepointFields:${category}:${name}`),
    kernelBtf: () => {
      if (!answer<boolean>('kernelBtf')) return undefined;
      btf ??= parseBtf(Buffer.from(record.btf ?? '', 'base64'));
      return btf;
    },
    kernelFunctions: () => answer('kernelFunctions'),
    kernelSymbolAddress: (name) => answer(`kernelSymbolAddress:${name}`),
    possibleCpuCount: () => answer('possibleCpuCount'),
    onlineCpus: () => answer('onlineCpus'),
    userTarget: (target, pid) => answer(`userTarget:${target}:${pid ?? ''}`),
    userTargets: (pattern, pid) => answer(`userTargets:${pattern}:${pid ?? ''}`),
    processExecutable: (pid) => answer(`processExecutable:${pid}`),
    cgroupId: (path) => answer(`cgroupId:${path}`),
    openElf: (path) => {
      answer(`openElf:${path}`);
      const file = record.elfFiles[path];
      if (!file) throw new Error(`the fixture host has no bytes recorded for ${path}`);
      return ElfFile.fromSource(recordedBytes(path, file), path);
    },
    dynamicPmu: (name) => answer(`dynamicPmu:${name}`),
    kprobeEventsFile: () => answer('kprobeEventsFile'),
    hasHardwarePmu: () => answer('hasHardwarePmu'),
    trampolineSupport: () => answer('trampolineSupport'),
    pidNamespace: () => answer('pidNamespace'),
    uprobeMulti: () => answer('uprobeMulti'),
  };
}

function recordedBytes(path: string, file: RecordedFile): ByteSource {
  const ranges = file.ranges.map(([offset, base64]) => ({ offset, bytes: Buffer.from(base64, 'base64') }));
  return {
    size: file.size,
    read(offset, length) {
      const range = ranges.find((candidate) => offset >= candidate.offset && offset + length <= candidate.offset + candidate.bytes.length);
      if (!range) throw new Error(`the fixture host did not record bytes ${offset}+${length} of ${path}`);
      return range.bytes.subarray(offset - range.offset, offset - range.offset + length);
    },
    close() {},
  };
}

function rebuild(error: RecordedError): Error {
  switch (error.class) {
    case 'ElfError': return new ElfError(error.kind, error.path, error.detail);
    case 'TracefsError': return new TracefsError(error.message);
    case 'BtfError': return new BtfError(error.message);
    case 'Error': return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
  }
}

/** JSON has no bigint: kallsyms addresses travel as `{ "bigint": "0x…" }`. */
function reviveBigInt(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'bigint' in value && typeof value.bigint === 'string') return BigInt(value.bigint);
  return value;
}
