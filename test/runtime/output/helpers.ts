// Shared by the output tests: recorded bpftrace output, value builders, and the C reference program.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linearBucketIndex, log2BucketIndex } from '../../../src/runtime/output/histogram.js';
import type { MapDump, MapEntry, MapValue, Value } from '../../../src/runtime/output/values.js';

// Compiled tests live in dist/test/runtime/output; the recordings stay in the source tree.
const testRoot = fileURLToPath(new URL('../../../../test/runtime/', import.meta.url));

/** What bpftrace 0.17 printed on stdout for fixture `name` (`.txt` text, `.json` with -f json). */
export function recorded(name: string, extension: 'txt' | 'json'): string {
  return readFileSync(join(testRoot, 'fixtures', 'bpftrace-0.17', `${name}.${extension}`), 'utf8');
}

/** The program that produced fixture `name`, from programs.tsv. */
export function recordedProgram(name: string): string {
  const text = readFileSync(join(testRoot, 'fixtures', 'bpftrace-0.17', 'programs.tsv'), 'utf8');
  const line = text.split('\n').find((row) => row.startsWith(`${name}\t`));
  if (!line) throw new Error(`no program named ${name}`);
  return line.slice(name.length + 1);
}

/** The text after 0.17's `Attaching N probe(s)...` banner, which it printed on stdout. */
export function afterBanner(text: string): string {
  const match = /^Attaching \d+ probes?\.\.\.\n/.exec(text);
  if (!match) throw new Error(`no banner in ${JSON.stringify(text.slice(0, 40))}`);
  return text.slice(match[0].length);
}

export const int = (value: bigint | number): Value => ({ kind: 'integer', value: BigInt(value), signed: true, width: 8 });
export const str = (value: string): Value => ({ kind: 'string', value });
export const tup = (...items: Value[]): Value => ({ kind: 'tuple', items });

export function histBuckets(values: readonly (bigint | number)[], bits = 0): bigint[] {
  const buckets: bigint[] = [];
  for (const value of values) {
    const index = log2BucketIndex(BigInt(value), bits);
    while (buckets.length <= index) buckets.push(0n);
    buckets[index]! += 1n;
  }
  return buckets;
}

export function lhistBuckets(values: readonly (bigint | number)[], min: number, max: number, step: number): bigint[] {
  const buckets = new Array<bigint>(Math.floor((max - min) / step) + 2).fill(0n);
  for (const value of values) buckets[linearBucketIndex(BigInt(value), BigInt(min), BigInt(max), BigInt(step))]! += 1n;
  return buckets;
}

export const hist = (values: readonly (bigint | number)[], bits = 0): MapValue => ({ kind: 'hist', buckets: histBuckets(values, bits), bits });
export const lhist = (values: readonly (bigint | number)[], min: number, max: number, step: number): MapValue => ({
  kind: 'lhist',
  buckets: lhistBuckets(values, min, max, step),
  min: BigInt(min),
  max: BigInt(max),
  step: BigInt(step),
});
export const count = (value: number): MapValue => ({ kind: 'count', value: BigInt(value) });
export const sum = (value: number): MapValue => ({ kind: 'sum', value: BigInt(value) });
export const scalar = (value: Value): MapValue => ({ kind: 'scalar', value });

/** avg()/stats() over these samples, as the per-CPU {total, count} pairs sum up. */
export function averageOf(kind: 'avg' | 'stats', samples: readonly number[]): MapValue {
  return { kind, total: BigInt(samples.reduce((total, sample) => total + sample, 0)), count: BigInt(samples.length) };
}

export function map(name: string, ...entries: [Value[] | undefined, MapValue][]): MapDump {
  return { name, entries: entries.map(([key, value]): MapEntry => ({ key, value })) };
}

let compiled: string | undefined;

/**
 * Runs test/runtime/csnprintf/csnprintf.c (compiled with `cc` on first use) on `lines` and returns
 * its decoded results; `undefined` where C's strftime returned 0.
 */
export function runC(lines: readonly string[], env: Record<string, string> = {}): (string | undefined)[] {
  if (!compiled) {
    const directory = mkdtempSync(join(tmpdir(), 'tsbpf-csnprintf-'));
    const binary = join(directory, 'csnprintf');
    const build = spawnSync('cc', ['-O1', '-w', '-o', binary, join(testRoot, 'csnprintf', 'csnprintf.c')], { encoding: 'utf8' });
    if (build.error || build.status !== 0) throw new Error(`cc failed: ${build.error?.message ?? build.stderr}`);
    compiled = binary;
  }
  const run = spawnSync(compiled, [], { input: `${lines.join('\n')}\n`, encoding: 'utf8', env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`csnprintf failed: ${run.stderr}`);
  const results = run.stdout.split('\n').slice(0, -1);
  if (results.length !== lines.length) throw new Error(`csnprintf answered ${results.length} of ${lines.length} lines`);
  return results.map((line) => (line === '-' ? undefined : Buffer.from(line.slice(1), 'hex').toString('utf8')));
}

/** `h` + hex of the UTF-8 bytes: how csnprintf takes text fields. */
export function hexField(text: string): string {
  return `h${Buffer.from(text, 'utf8').toString('hex')}`;
}
