// Map decoding without a kernel: raw [key, value] bytes laid out as the compiler lays them out (per-CPU
// slots, hist keys with a trailing bucket index), checked against bpftrace 0.17's own JSON output for
// the same script (test/runtime/fixtures/bpftrace-0.17, recorded by record.sh).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { MapType } from '../../src/bpf/uapi.generated.js';
import { s32, s64, stringType, tupleLayout, u32, u64, type Type } from '../../src/model/types.js';
import type { MapDescription, MapValueKind } from '../../src/model/artifact.js';
import type { MapEntry } from '../../src/loader/maps.js';
import { decodeMapEntries } from '../../src/runtime/map-reader.js';
import { jsonMap } from '../../src/runtime/output/json.js';
import type { MapDump } from '../../src/runtime/output/values.js';
import { linearBucketIndex, log2BucketIndex } from '../../src/runtime/output/histogram.js';

const fixtures = new URL('../../../test/runtime/fixtures/bpftrace-0.17/', import.meta.url);

/** The line of bpftrace's JSON output for map `name` in fixture `program`, re-serialized. */
function bpftraceJson(program: string, name: string): string {
  const lines = readFileSync(new URL(`${program}.json`, fixtures), 'utf8').split('\n');
  const line = lines.find((text) => text.includes(`"${name}":`));
  if (!line) throw new Error(`no ${name} in ${program}.json`);
  return canonical(line);
}

/**
 * Spacing between JSON tokens is the output module's business (0.17 and today's bpftrace differ);
 * values and the order of keys and entries are what the map reader decides.
 */
function canonical(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

function jsonOf(dump: MapDump): string {
  return canonical(jsonMap(dump));
}

function describe(scriptName: string, value: MapValueKind, options: { keyType?: Type; keySize?: number; valueSize: number; perCpu: boolean; mapType?: number }): MapDescription {
  const keySize = options.keySize ?? (options.keyType ? size(options.keyType) : 8);
  return {
    name: `AT_${scriptName.slice(1)}`, role: 'user', scriptName, mapType: options.mapType ?? (options.perCpu ? MapType.PERCPU_HASH : MapType.HASH),
    keySize, valueSize: options.valueSize, maxEntries: 64, flags: 0, keyType: options.keyType, value, perCpu: options.perCpu,
  };
}

function size(type: Type): number {
  return type.kind === 'tuple' ? tupleLayout(type.elements).size : type.kind === 'integer' ? type.bits / 8 : type.kind === 'string' ? type.size : 8;
}

/** Little-endian 64-bit words. */
function words(...values: bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setBigUint64(index * 8, BigInt.asUintN(64, value), true));
  return bytes;
}

/** Bytes of a tuple/integer/string key, written field by field at the tuple's C offsets. */
function key(type: Type, values: readonly (bigint | string)[], trailingBucket?: number): Uint8Array {
  const elements = type.kind === 'tuple' ? type.elements : [type];
  const { offsets, size: keySize } = tupleLayout(elements);
  const bytes = new Uint8Array(keySize + (trailingBucket === undefined ? 0 : 8));
  const view = new DataView(bytes.buffer);
  elements.forEach((element, index) => {
    const value = values[index]!;
    if (typeof value === 'string') bytes.set(new TextEncoder().encode(value), offsets[index]!);
    else if (element.kind === 'integer' && element.bits === 64) view.setBigUint64(offsets[index]!, BigInt.asUintN(64, value), true);
    else if (element.kind === 'integer' && element.bits === 32) view.setUint32(offsets[index]!, Number(BigInt.asUintN(32, value)), true);
  });
  if (trailingBucket !== undefined) view.setBigUint64(keySize, BigInt(trailingBucket), true);
  return bytes;
}

const zeroKey = words(0n);

test('keyless aggregates combine their per-CPU slots like bpftrace (aggregates fixture)', () => {
  const cpus = 3;
  const cases: [MapDescription, MapEntry[]][] = [
    // avg(5), avg(10), avg(20) spread over two CPUs: { total, count } per CPU.
    [describe('@av', { kind: 'avg', signed: true }, { valueSize: 16, perCpu: true }), [[zeroKey, words(5n, 1n, 30n, 2n, 0n, 0n)]]],
    // The keyless count is a PERCPU_ARRAY with a u32 key.
    [describe('@cnt', { kind: 'count' }, { keySize: 4, valueSize: 8, perCpu: true, mapType: MapType.PERCPU_ARRAY }), [[new Uint8Array(4), words(1n, 1n, 0n)]]],
    // max/min: { value, isSet }; CPU 2 never saw a value and must not count (100 for max, 0 for min).
    [describe('@ma', { kind: 'max', signed: true }, { valueSize: 16, perCpu: true }), [[zeroKey, words(7n, 1n, 9n, 1n, 100n, 0n)]]],
    [describe('@mi', { kind: 'min', signed: true }, { valueSize: 16, perCpu: true }), [[zeroKey, words(7n, 1n, 3n, 1n, 0n, 0n)]]],
    [describe('@st', { kind: 'stats', signed: true }, { valueSize: 16, perCpu: true }), [[zeroKey, words(2n, 1n, 12n, 1n, 0n, 0n)]]],
    // sum(10) on one CPU and sum(-25) on another: a signed 64-bit total.
    [describe('@su', { kind: 'sum', signed: true }, { valueSize: 8, perCpu: true }), [[zeroKey, words(10n, -25n, 0n)]]],
  ];
  for (const [description, entries] of cases) {
    const dump = decodeMapEntries(description, entries, cpus);
    assert.is(jsonOf(dump), bpftraceJson('aggregates', description.scriptName!), description.scriptName);
  }
});

test('signed min and avg stay negative (negative_aggregates fixture)', () => {
  const minimum = describe('@mi', { kind: 'min', signed: true }, { valueSize: 16, perCpu: true });
  assert.is(jsonOf(decodeMapEntries(minimum, [[zeroKey, words(-3n, 1n, -10n, 1n)]], 2)), bpftraceJson('negative_aggregates', '@mi'));
  const average = describe('@av', { kind: 'avg', signed: true }, { valueSize: 16, perCpu: true });
  assert.is(jsonOf(decodeMapEntries(average, [[zeroKey, words(-5n, 1n, -10n, 1n)]], 2)), bpftraceJson('negative_aggregates', '@av'));
});

test('an unsigned count wraps at 64 bits and a missing entry list gives an empty map', () => {
  const counter = describe('@c', { kind: 'count' }, { keyType: u32, valueSize: 8, perCpu: true });
  const dump = decodeMapEntries(counter, [[key(u32, [7n]), words(0xffffffffffffffffn, 2n)]], 2);
  assert.equal(dump.entries, [{ key: [{ kind: 'integer', value: 7n, signed: false, width: 4 }], value: { kind: 'count', value: 1n } }]);
  assert.equal(decodeMapEntries(counter, [], 2), { name: '@c', entries: [] });
});

test('hist entries regroup by user key, summing CPUs, in bucket order, keys in the order of their bytes as bpftrace gathers them (hist_keyed fixture)', () => {
  const keyType: Type = { kind: 'tuple', elements: [stringType(8), s64] };
  const description = describe('@h', { kind: 'hist', bits: 0 }, { keySize: size(keyType) + 8, keyType, valueSize: 8, perCpu: true });
  const bucket = (value: bigint) => log2BucketIndex(value, 0);
  // (user key, value, count on CPU 0, count on CPU 1), in a scrambled kernel order.
  const hits: [[string, bigint], bigint, bigint, bigint][] = [
    [['c', 3n], 64n, 1n, 0n],
    [['b', 2n], 2n, 1n, 1n], // hist(2) and hist(3) share the [2, 4) bucket, one on each CPU
    [['a', 1n], 7n, 0n, 1n],
    [['c', 3n], 1n, 1n, 0n],
    [['b', 2n], 100n, 0n, 1n],
    [['c', 3n], 0n, 0n, 1n],
    [['c', 3n], 9n, 1n, 0n],
  ];
  const entries: MapEntry[] = hits.map(([user, value, cpu0, cpu1]) => [key(keyType, user, bucket(value)), words(cpu0, cpu1)]);
  const dump = decodeMapEntries(description, entries, 2);
  assert.equal(dump.entries.map((entry) => entry.key!.map((part) => (part.kind === 'string' ? part.value : part.kind === 'integer' ? part.value : '?'))), [['a', 1n], ['b', 2n], ['c', 3n]]);
  assert.is(jsonOf(dump), bpftraceJson('hist_keyed', '@h'));
});

test('lhist entries regroup by key (lhist_keyed fixture)', () => {
  const description = describe('@l', { kind: 'lhist', min: 0n, max: 100n, step: 10n }, { keySize: 16, keyType: s64, valueSize: 8, perCpu: true });
  const bucket = (value: bigint) => linearBucketIndex(value, 0n, 100n, 10n);
  const entries: MapEntry[] = [
    [key(s64, [1n], bucket(5n)), words(1n, 0n)],
    [key(s64, [3n], bucket(1000n)), words(0n, 1n)],
    [key(s64, [2n], bucket(15n)), words(1n, 0n)],
    [key(s64, [2n], bucket(25n)), words(0n, 1n)],
  ];
  assert.is(jsonOf(decodeMapEntries(description, entries, 2)), bpftraceJson('lhist_keyed', '@l'));
});

test('a bucket index beyond the histogram is an error, not a huge allocation', () => {
  const description = describe('@h', { kind: 'hist', bits: 0 }, { keySize: 8, valueSize: 8, perCpu: false });
  assert.throws(() => decodeMapEntries(description, [[words(1n << 40n), words(1n)]], 1), /bucket index \d+ is beyond/);
});

test('tuple keys with strings and scalar values (tuple_keys fixture)', () => {
  const countKey: Type = { kind: 'tuple', elements: [stringType(16), s64] };
  const counts = describe('@cnt', { kind: 'count' }, { keyType: countKey, valueSize: 8, perCpu: true });
  const countEntries: MapEntry[] = [
    [key(countKey, ['x', 1n]), words(1n, 1n)],
    [key(countKey, ['bpftrace', 7123n]), words(0n, 1n)],
  ];
  assert.is(jsonOf(decodeMapEntries(counts, countEntries, 2)), bpftraceJson('tuple_keys', '@cnt'));
  const pairKey: Type = { kind: 'tuple', elements: [s64, s64] };
  const pairs = describe('@pair', { kind: 'scalar', type: s64 }, { keyType: pairKey, valueSize: 8, perCpu: false });
  const pairEntries: MapEntry[] = [
    [key(pairKey, [1n, -2n]), words(11n)],
    [key(pairKey, [0n, 5n]), words(9n)],
    [key(pairKey, [1n, 2n]), words(10n)],
  ];
  assert.is(jsonOf(decodeMapEntries(pairs, pairEntries, 1)), bpftraceJson('tuple_keys', '@pair'));
});

test('scalar values by type: strings, 64-bit -1, a 32-bit negative (scalars fixture)', () => {
  const text = new Uint8Array(64);
  text.set(new TextEncoder().encode('hello world'));
  const cases: [MapDescription, Uint8Array][] = [
    [describe('@s', { kind: 'scalar', type: stringType(64) }, { valueSize: 64, perCpu: false }), text],
    [describe('@big', { kind: 'scalar', type: s64 }, { valueSize: 8, perCpu: false }), words(0xffffffffffffffffn)],
    [describe('@neg', { kind: 'scalar', type: s32 }, { valueSize: 4, perCpu: false }), new Uint8Array([0xfd, 0xff, 0xff, 0xff])],
    [describe('@a', { kind: 'scalar', type: u64 }, { valueSize: 8, perCpu: false }), words(1n)],
  ];
  for (const [description, value] of cases) {
    assert.is(jsonOf(decodeMapEntries(description, [[zeroKey, value]], 1)), bpftraceJson('scalars', description.scriptName!), description.scriptName);
  }
});

test('a map without a value description is refused', () => {
  const description: MapDescription = { name: 'ringbuf', role: 'ring-buffer', mapType: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0, perCpu: false };
  assert.throws(() => decodeMapEntries(description, [], 1), /no value description/);
});

test.run();
