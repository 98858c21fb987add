// Maps against the real kernel: create, round-trip, iterate, batch, per-CPU split.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MapType } from '../../src/bpf/uapi.generated.js';
import { createMap, splitPerCpu } from '../../src/loader/maps.js';
import { possibleCpuCount } from '../../src/loader/cpus.js';
import { SyscallError } from '../../src/loader/native.js';
import { UpdateFlags } from '../../src/loader/attr/map-elem.js';

const u32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);
const u64 = (value: bigint) => new Uint8Array(new BigUint64Array([value]).buffer);
const readU64 = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);

test('hash map: update, lookup, missing key, delete, NOEXIST flag', () => {
  const map = createMap({ name: '@hash test', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 16 });
  try {
    assert.is(map.name, '_hash_test');
    assert.is(map.lookup(u32(1)), undefined);
    map.update(u32(1), u64(0x1122334455667788n));
    assert.is(readU64(map.lookup(u32(1))!), 0x1122334455667788n);
    assert.throws(() => map.update(u32(1), u64(5n), UpdateFlags.NOEXIST), (error: unknown) => error instanceof SyscallError && error.code === 'EEXIST');
    assert.ok(map.delete(u32(1)));
    assert.not.ok(map.delete(u32(1)));
    assert.is(map.lookup(u32(1)), undefined);
    const info = map.info();
    assert.is(info.type, MapType.HASH);
    assert.is(info.keySize, 4);
    assert.is(info.maxEntries, 16);
    assert.is(info.name, '_hash_test');
  } finally {
    map.close();
  }
});

test('hash map: keys(), entries() and lookupBatch() see exactly the stored entries', () => {
  const map = createMap({ name: 'iter', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 1024 });
  try {
    assert.equal([...map.keys()], []);
    assert.equal(map.lookupBatch(), []);
    for (let index = 0; index < 600; index++) map.update(u32(index), u64(BigInt(index * 3)));
    const keys = [...map.keys()].map((key) => new DataView(key.buffer).getUint32(0, true)).sort((a, b) => a - b);
    assert.equal(keys, Array.from({ length: 600 }, (_, index) => index));
    const fromIteration = new Map([...map.entries()].map(([key, value]) => [new DataView(key.buffer).getUint32(0, true), readU64(value)]));
    const fromBatch = new Map(map.lookupBatch(64).map(([key, value]) => [new DataView(key.buffer).getUint32(0, true), readU64(value)]));
    assert.is(fromBatch.size, 600);
    assert.equal(fromBatch, fromIteration);
    assert.is(fromBatch.get(599), 1797n);
  } finally {
    map.close();
  }
});

test('array map: every index exists, zero-initialized; out of range fails', () => {
  const map = createMap({ name: 'array', type: MapType.ARRAY, keySize: 4, valueSize: 12, maxEntries: 4 });
  try {
    assert.equal(map.lookup(u32(3)), new Uint8Array(12));
    map.update(u32(2), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    assert.equal([...map.lookup(u32(2))!], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.is(map.lookup(u32(4)), undefined);
    assert.is([...map.keys()].length, 4);
    const batch = map.lookupBatch(3);
    assert.is(batch.length, 4);
    assert.equal([...batch[2]![1]], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.throws(() => map.update(u32(1), new Uint8Array(8)), /expected 12/);
  } finally {
    map.close();
  }
});

test('per-CPU hash: value size rounds to 8 per possible CPU and splits per CPU', () => {
  const cpus = possibleCpuCount();
  const map = createMap({ name: 'pcpu_hash', type: MapType.PERCPU_HASH, keySize: 8, valueSize: 4, maxEntries: 8 });
  try {
    assert.is(map.userValueSize, 8 * cpus);
    const values = Array.from({ length: cpus }, (_, cpu) => u32(100 + cpu));
    map.update(u64(7n), values);
    const perCpu = map.lookupPerCpu(u64(7n))!;
    assert.is(perCpu.length, cpus);
    perCpu.forEach((value, cpu) => assert.is(new DataView(value.buffer, value.byteOffset, 4).getUint32(0, true), 100 + cpu));
    const [[, batchValue]] = map.lookupBatch();
    assert.equal(splitPerCpu(batchValue!, 4).map((value) => value[0]), perCpu.map((value) => value[0]));
    assert.throws(() => map.update(u64(8n), [u32(1)].slice(0, cpus - 1)), /per-CPU update needs/);
  } finally {
    map.close();
  }
});

test('per-CPU array: each CPU slot round-trips independently', () => {
  const cpus = possibleCpuCount();
  const map = createMap({ name: 'pcpu_array', type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 2 });
  try {
    const full = new Uint8Array(8 * cpus);
    for (let cpu = 0; cpu < cpus; cpu++) full.set(u64(BigInt(cpu + 1) << 32n), cpu * 8);
    map.update(u32(1), full);
    const perCpu = map.lookupPerCpu(u32(1))!;
    assert.equal(perCpu.map(readU64), Array.from({ length: cpus }, (_, cpu) => BigInt(cpu + 1) << 32n));
    assert.equal(map.lookupPerCpu(u32(0))!.map(readU64), Array.from({ length: cpus }, () => 0n));
  } finally {
    map.close();
  }
});

test('ring buffer map: created with a page-multiple size; a bad size explains itself', () => {
  const map = createMap({ name: 'events', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 64 * 1024 });
  try {
    const info = map.info();
    assert.is(info.type, MapType.RINGBUF);
    assert.is(info.maxEntries, 64 * 1024);
  } finally {
    map.close();
  }
  try {
    createMap({ name: 'bad', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 5000 });
    assert.unreachable('a 5000-byte ring buffer must be refused');
  } catch (error) {
    assert.instance(error, SyscallError);
    assert.is((error as SyscallError).code, 'EINVAL');
    assert.match((error as Error).message, /power-of-2 multiple of the page size/);
  }
});

test.run();
