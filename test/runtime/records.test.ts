// Record decoding without a kernel: record bytes built here as the compiler lays them out (u64 action
// id, fields at their offsets), turned into events; printf text checked against bpftrace 0.17's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { booleanType, s16, s32, s64, s8, stringType, u16, u32, u64, u8, type Type } from '../../src/model/types.js';
import type { ActionDescription, MapDescription } from '../../src/model/artifact.js';
import { MapType } from '../../src/bpf/uapi.generated.js';
import { decodeMapEntries } from '../../src/runtime/map-reader.js';
import { createRecordHandler, RecordError, type MapAccess } from '../../src/runtime/records.js';
import { decodeValue } from '../../src/runtime/value-decoder.js';
import { functionTable } from '../../src/functions/index.js';
import type { MapEntry } from '../../src/loader/maps.js';

const fixtures = new URL('../../../test/runtime/fixtures/bpftrace-0.17/', import.meta.url);

/** A record: the u64 id, then each [offset, bytes] written at its offset. */
function record(id: bigint, size: number, fields: [number, Uint8Array][] = []): DataView {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, id, true);
  for (const [offset, field] of fields) bytes.set(field, offset);
  return view;
}

const i64 = (value: bigint) => new Uint8Array(new BigInt64Array([value]).buffer);
const text = (value: string) => new TextEncoder().encode(value);

/** Maps held in memory as raw entries, decoded with the real map reader. */
class MemoryMaps implements MapAccess {
  readonly operations: string[] = [];
  constructor(private readonly maps: Map<string, { description: MapDescription; entries: MapEntry[] }>) {}
  read(map: string) {
    this.operations.push(`read ${map}`);
    const { description, entries } = this.get(map);
    return decodeMapEntries(description, entries, 1);
  }
  clear(map: string) {
    this.operations.push(`clear ${map}`);
    this.get(map).entries.length = 0;
  }
  zero(map: string) {
    this.operations.push(`zero ${map}`);
    for (const entry of this.get(map).entries) entry[1] = new Uint8Array(entry[1].length);
  }
  scriptName(map: string) {
    return this.get(map).description.scriptName!;
  }
  private get(map: string) {
    const found = this.maps.get(map);
    if (!found) throw new RecordError(`no map ${map}`);
    return found;
  }
}

const counts: MapDescription = {
  name: 'AT_c', role: 'user', scriptName: '@c', mapType: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 8, flags: 0,
  keyType: s64, value: { kind: 'count' }, perCpu: false,
};
const memoryMaps = () => new MemoryMaps(new Map([['AT_c', { description: counts, entries: [[i64(5n), i64(3n)], [i64(-2n), i64(1n)]] as MapEntry[] }]]));

test('printf conversions match bpftrace 0.17 (printf_misc fixture, first line)', () => {
  const format = '%u|%d|%x|%hhx|%d|%ld|%lu|%c|%5s|%-5d|%p\n';
  const integers = [-1n, -1n, -1n, 0x1234n, 0x100000005n, 0x100000005n, -1n, 65n];
  const fields = integers.map((_, index) => ({ offset: 8 + index * 8, type: s64 }));
  fields.push({ offset: 72, type: stringType(8) }, { offset: 80, type: s64 }, { offset: 88, type: s64 });
  const handler = createRecordHandler([{ kind: 'printf', id: 7, format, fields, size: 96 }], functionTable, memoryMaps());
  const view = record(7n, 96, [...integers.map((value, index): [number, Uint8Array] => [8 + index * 8, i64(value)]), [72, text('ab')], [80, i64(3n)], [88, i64(255n)]]);
  const expected = readFileSync(new URL('printf_misc.txt', fixtures), 'utf8').split('\n')[1];
  assert.equal(handler(view, 0, 96), { kind: 'printf', text: `${expected}\n` });
});

test('records are read at their offset inside a larger view (as in the ring buffer)', () => {
  const handler = createRecordHandler([{ kind: 'printf', id: 1, format: '%s=%d\n', fields: [{ offset: 8, type: stringType(4) }, { offset: 12, type: s32 }], size: 16 }], functionTable, memoryMaps());
  const bytes = new Uint8Array(64).fill(0xee);
  const inner = record(1n, 16, [[8, new Uint8Array([0x78, 0, 0xee, 0xee])], [12, new Uint8Array([0xf9, 0xff, 0xff, 0xff])]]);
  bytes.set(new Uint8Array(inner.buffer), 24);
  assert.equal(handler(new DataView(bytes.buffer), 24, 16), { kind: 'printf', text: 'x=-7\n' });
});

test('exit with and without a code', () => {
  const actions: ActionDescription[] = [
    { kind: 'exit', id: 0, size: 8 },
    { kind: 'exit', id: 1, codeField: { offset: 8, type: s64 }, size: 16 },
  ];
  const handler = createRecordHandler(actions, functionTable, memoryMaps());
  assert.equal(handler(record(0n, 8), 0, 8), { kind: 'exit', code: 0 });
  assert.equal(handler(record(1n, 16, [[8, i64(42n)]]), 0, 16), { kind: 'exit', code: 42 });
  assert.equal(handler(record(1n, 16, [[8, i64(-1n)]]), 0, 16), { kind: 'exit', code: 255 }, 'an exit status is one byte');
});

test('print-value decodes a tuple; time formats the clock it is given', () => {
  const tupleType: Type = { kind: 'tuple', elements: [s64, stringType(4), s32] };
  const actions: ActionDescription[] = [
    { kind: 'print-value', id: 0, field: { offset: 8, type: tupleType }, size: 32 },
    { kind: 'time', id: 1, format: '%s|%H\n', size: 8 },
  ];
  const handler = createRecordHandler(actions, functionTable, memoryMaps(), { now: () => 1_700_000_000_123_456_789n });
  const value = handler(record(0n, 32, [[8, i64(1n)], [16, text('two')], [20, new Uint8Array([0xfd, 0xff, 0xff, 0xff])]]), 0, 32);
  assert.equal(value, {
    kind: 'print-value',
    value: { kind: 'tuple', items: [
      { kind: 'integer', value: 1n, signed: true, width: 8 },
      { kind: 'string', value: 'two' },
      { kind: 'integer', value: -3n, signed: true, width: 4 },
    ] },
  });
  const time = handler(record(1n, 8), 0, 8);
  assert.ok(time.kind === 'time' && /^1700000000\|\d\d\n$/.test(time.text), JSON.stringify(time));
});

test('print-map reads the map when the record is handled; clear and zero act on it', () => {
  const maps = memoryMaps();
  const actions: ActionDescription[] = [
    { kind: 'print-map', id: 0, map: 'AT_c', top: 1, divisor: 2, size: 8 },
    { kind: 'zero', id: 1, map: 'AT_c', size: 8 },
    { kind: 'clear', id: 2, map: 'AT_c', size: 8 },
  ];
  const handler = createRecordHandler(actions, functionTable, maps);
  const integer = (value: bigint) => ({ kind: 'integer', value, signed: true, width: 8 });
  assert.equal(handler(record(0n, 8), 0, 8), {
    kind: 'print-map', top: 1, divisor: 2,
    map: { name: '@c', entries: [{ key: [integer(5n)], value: { kind: 'count', value: 3n } }, { key: [integer(-2n)], value: { kind: 'count', value: 1n } }] },
  });
  assert.equal(handler(record(1n, 8), 0, 8), { kind: 'zero', map: '@c' });
  const zeroed = handler(record(0n, 8), 0, 8);
  assert.ok(zeroed.kind === 'print-map' && zeroed.map.entries.every((entry) => entry.value.kind === 'count' && entry.value.value === 0n));
  assert.equal(handler(record(2n, 8), 0, 8), { kind: 'clear', map: '@c' });
  const cleared = handler(record(0n, 8), 0, 8);
  assert.ok(cleared.kind === 'print-map' && cleared.map.entries.length === 0);
  assert.equal(maps.operations, ['read AT_c', 'zero AT_c', 'read AT_c', 'clear AT_c', 'read AT_c']);
});

test('malformed records and actions are RecordErrors', () => {
  const handler = createRecordHandler([{ kind: 'exit', id: 0, codeField: { offset: 8, type: s64 }, size: 16 }], functionTable, memoryMaps());
  assert.throws(() => handler(record(3n, 8), 0, 8), (error: unknown) => error instanceof RecordError && /unknown action id 3/.test(error.message));
  assert.throws(() => handler(record(1n << 40n, 8), 0, 8), /unknown action id 1099511627776/);
  assert.throws(() => handler(record(0n, 8), 0, 8), /is 8 bytes, expected 16/);
  assert.throws(() => handler(record(0n, 8), 0, 4), /too short/);
  assert.throws(() => createRecordHandler([{ kind: 'clear', id: 0, map: 'AT_missing', size: 8 }], functionTable, memoryMaps()), /no map AT_missing/);
  assert.throws(() => createRecordHandler([{ kind: 'exit', id: 0, size: 8 }, { kind: 'exit', id: 0, size: 8 }], functionTable, memoryMaps()), /share the id 0/);
  assert.throws(() => createRecordHandler([{ kind: 'printf', id: 0, format: '%f\n', fields: [], size: 8 }], functionTable, memoryMaps()), /floating-point/);
});

test('values decode by type: widths, signedness, booleans, strings, arrays, pointers', () => {
  const bytes = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  const view = new DataView(bytes.buffer);
  const integers: [Type, bigint][] = [[u8, 255n], [s8, -1n], [u16, 65535n], [s16, -1n], [u32, 4294967295n], [s32, -1n], [u64, 18446744073709551615n], [s64, -1n]];
  for (const [type, expected] of integers) {
    const value = decodeValue(view, 0, type);
    assert.ok(value.kind === 'integer' && value.value === expected && value.width === (type.kind === 'integer' ? type.bits / 8 : 0), `${JSON.stringify(type)}`);
  }
  assert.equal(decodeValue(new DataView(new Uint8Array([2]).buffer), 0, booleanType), { kind: 'boolean', value: true });
  // No NUL in the whole field: the string is the whole field. UTF-8 is decoded.
  assert.equal(decodeValue(new DataView(text('abcd').buffer), 0, stringType(4)), { kind: 'string', value: 'abcd' });
  const utf8 = new Uint8Array(8);
  utf8.set(text('né'));
  assert.equal(decodeValue(new DataView(utf8.buffer), 0, stringType(8)), { kind: 'string', value: 'né' });
  const array = new Uint8Array([1, 0, 2, 0, 3, 0]);
  assert.equal(decodeValue(new DataView(array.buffer), 0, { kind: 'array', element: u16, length: 3 }), {
    kind: 'array', items: [1n, 2n, 3n].map((value) => ({ kind: 'integer', value, signed: false, width: 2 })),
  });
  const address = new Uint8Array(new BigUint64Array([0xffff888012345678n]).buffer);
  assert.equal(decodeValue(new DataView(address.buffer), 0, { kind: 'pointer', to: u8, space: 'kernel' }), { kind: 'symbol', text: '0xffff888012345678', numeric: 0xffff888012345678n });
});

test('buffers are copied out of the record; records with bitfields decode each field', () => {
  const bytes = new Uint8Array([3, 0, 0, 0, 0x61, 0x01, 0xff, 0x99]);
  const value = decodeValue(new DataView(bytes.buffer), 0, { kind: 'buffer', size: 4 });
  bytes.fill(0);
  assert.equal(value, { kind: 'buffer', bytes: new Uint8Array([0x61, 0x01, 0xff]) });
  // struct { u8 a; s8 b:3 (bits 0-2 of byte 1); u8 c:5 (bits 3-7 of byte 1); u16 d; }
  const recordType: Type = {
    kind: 'record', name: 'struct sample', size: 4, fields: [
      { name: 'a', type: u8, offset: 0 },
      { name: 'b', type: s8, offset: 1, bitOffset: 0, bitSize: 3 },
      { name: 'c', type: u8, offset: 1, bitOffset: 3, bitSize: 5 },
      { name: 'd', type: u16, offset: 2 },
    ],
  };
  const packed = new Uint8Array([7, 0b10110_101, 0x34, 0x12]);
  assert.equal(decodeValue(new DataView(packed.buffer), 0, recordType), {
    kind: 'record', fields: [
      { name: 'a', value: { kind: 'integer', value: 7n, signed: false, width: 1 } },
      { name: 'b', value: { kind: 'integer', value: -3n, signed: true, width: 1 } },
      { name: 'c', value: { kind: 'integer', value: 22n, signed: false, width: 1 } },
      { name: 'd', value: { kind: 'integer', value: 0x1234n, signed: false, width: 2 } },
    ],
  });
});

test.run();
