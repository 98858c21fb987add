// The map reader on real kernel maps: per-CPU values written per CPU from userspace, read back in
// one batch, combined; clear() and zero() on hash and array maps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MapType } from '../../src/bpf/uapi.generated.js';
import { u32 } from '../../src/model/types.js';
import type { MapDescription } from '../../src/model/artifact.js';
import { possibleCpuCount } from '../../src/loader/cpus.js';
import { createMap, type BpfMap } from '../../src/loader/maps.js';
import { readMapDump } from '../../src/runtime/map-reader.js';
import { UserMaps } from '../../src/runtime/user-maps.js';
import type { MapValue } from '../../src/runtime/output/values.js';

const cpus = possibleCpuCount();
const key32 = (value: number) => new Uint8Array(new Uint32Array([value]).buffer);
/** One value per CPU: `perCpu(cpu)` 64-bit words each. */
const perCpuValues = (words: (cpu: number) => bigint[]) => Array.from({ length: cpus }, (_, cpu) => new Uint8Array(new BigUint64Array(words(cpu)).buffer));

function withMap(description: MapDescription, body: (map: BpfMap) => void): void {
  const map = createMap({ name: description.name, type: description.mapType as MapType, keySize: description.keySize, valueSize: description.valueSize, maxEntries: description.maxEntries });
  try {
    body(map);
  } finally {
    map.close();
  }
}

const averages: MapDescription = {
  name: 'AT_avg', role: 'user', scriptName: '@avg', mapType: MapType.PERCPU_HASH, keySize: 4, valueSize: 16, maxEntries: 32, flags: 0,
  keyType: u32, value: { kind: 'avg', signed: true }, perCpu: true,
};

test('a PERCPU_HASH of avg values: every CPU summed, every key present', () => {
  withMap(averages, (map) => {
    // CPU n holds { total: 10 * (n + 1) * key, count: n + 1 }.
    for (let key = 1; key <= 20; key++) map.update(key32(key), perCpuValues((cpu) => [BigInt(10 * (cpu + 1) * key), BigInt(cpu + 1)]));
    const dump = readMapDump(map, averages);
    assert.is(dump.name, '@avg');
    assert.is(dump.entries.length, 20);
    const cpuWeights = BigInt((cpus * (cpus + 1)) / 2);
    for (const entry of dump.entries) {
      const part = entry.key![0]!;
      assert.ok(part.kind === 'integer');
      assert.equal(entry.value, { kind: 'avg', total: 10n * cpuWeights * part.value, count: cpuWeights } satisfies MapValue);
    }
    const userMaps = new UserMaps(undefined, () => {});
    userMaps.zero(map);
    const zeroed = readMapDump(map, averages);
    assert.is(zeroed.entries.length, 20, 'zero() keeps the keys');
    assert.ok(zeroed.entries.every((entry) => entry.value.kind === 'avg' && entry.value.total === 0n && entry.value.count === 0n));
    userMaps.clear(map);
    assert.equal(readMapDump(map, averages).entries, []);
  });
});

test('a keyless PERCPU_ARRAY count reads as absent until counted or zero()ed, and clear() makes it absent again', () => {
  const counter: MapDescription = {
    name: 'AT_', role: 'user', scriptName: '@', mapType: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0,
    value: { kind: 'count' }, perCpu: true,
  };
  withMap(counter, (map) => {
    const userMaps = new UserMaps(undefined, () => {});
    const entries = () => userMaps.read(map, counter).entries;
    assert.equal(entries(), [], 'never counted: nothing to print, as bpftrace has no entry');
    assert.equal(userMaps.read(map, counter, true).entries, [{ key: undefined, value: { kind: 'count', value: 0n } }], 'print() of it: its zero value');
    map.update(key32(0), perCpuValues((cpu) => [BigInt(cpu + 5)]));
    const expected = BigInt(Array.from({ length: cpus }, (_, cpu) => cpu + 5).reduce((a, b) => a + b, 0));
    assert.equal(entries(), [{ key: undefined, value: { kind: 'count', value: expected } }]);
    userMaps.zero(map);
    assert.equal(entries(), [{ key: undefined, value: { kind: 'count', value: 0n } }], 'zero() keeps the entry');
    userMaps.clear(map);
    assert.equal(entries(), [], 'clear() removes it');
    userMaps.zero(map);
    assert.equal(entries(), [], 'zero() of an absent entry does not create it');
    map.update(key32(0), perCpuValues(() => [1n]));
    assert.equal(entries(), [{ key: undefined, value: { kind: 'count', value: BigInt(cpus) } }], 'counting again brings it back');
  });
});

test('a big hash map is read completely (batched reads across buckets)', () => {
  const scalars: MapDescription = {
    name: 'AT_big', role: 'user', scriptName: '@big', mapType: MapType.HASH, keySize: 4, valueSize: 4, maxEntries: 4096, flags: 0,
    keyType: u32, value: { kind: 'scalar', type: u32 }, perCpu: false,
  };
  withMap(scalars, (map) => {
    for (let key = 0; key < 3000; key++) map.update(key32(key), key32(key * 2));
    const dump = readMapDump(map, scalars);
    assert.is(dump.entries.length, 3000);
    const seen = new Set<bigint>();
    for (const { key, value } of dump.entries) {
      const part = key![0]!;
      if (part.kind !== 'integer' || value.kind !== 'scalar' || value.value.kind !== 'integer') throw new Error(`unexpected entry ${String(key)}`);
      assert.is(value.value.value, part.value * 2n);
      seen.add(part.value);
    }
    assert.is(seen.size, 3000);
  });
});

test.run();
