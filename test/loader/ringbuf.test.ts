// Ring buffer consumption: records written by a program (via TEST_RUN) reach the handler from the
// event loop through the poll watcher, and drain() reads them synchronously, wrap-around included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MapType, ProgramType } from '../../src/bpf/uapi.generated.js';
import { createMap } from '../../src/loader/maps.js';
import { loadProgram } from '../../src/loader/programs.js';
import { openRingBuffer } from '../../src/loader/ringbuf.js';
import { native } from '../../src/loader/native.js';
import { build, ringbufOutputArguments, u64s } from './fixtures.js';

function setup(words: number, size = 64 * 1024) {
  const events = createMap({ name: 'events', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: size });
  const program = loadProgram({ name: 'emit', type: ProgramType.RAW_TRACEPOINT, bytes: build(ringbufOutputArguments(words), { events }) });
  return { events, program };
}

test('records written by a program wake the event loop and reach the handler, in order', async () => {
  const { events, program } = setup(2);
  const received: bigint[][] = [];
  let resolveAll: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => { resolveAll = resolve; });
  const reader = openRingBuffer(events, (view, offset, length) => {
    assert.is(length, 16);
    received.push([view.getBigUint64(offset, true), view.getBigUint64(offset + 8, true)]);
    if (received.length === 3) resolveAll();
  });
  try {
    for (let index = 1n; index <= 3n; index++) program.testRun({ ctx: u64s(index, index * 100n) });
    assert.is(received.length, 0, 'nothing is delivered synchronously');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
    const outcome = await Promise.race([allArrived.then(() => 'arrived' as const), timeout]);
    assert.is(outcome, 'arrived', `only ${received.length} of 3 records arrived through polling`);
    assert.equal(received, [[1n, 100n], [2n, 200n], [3n, 300n]]);
    assert.is(reader.delivered, 3);
    assert.is(reader.pendingBytes(), 0);
  } finally {
    reader.close();
    program.close();
    events.close();
  }
});

test('drain() consumes synchronously across the wrap-around of a one-page ring', () => {
  const pageSize = native().pageSize();
  const { events, program } = setup(4, pageSize);
  const reader = openRingBuffer(events, () => {}, { poll: false });
  try {
    // 32-byte payload + 8-byte header = 40 bytes per record: positions soon stop being page-aligned.
    let next = 0n;
    const seen: bigint[] = [];
    const check = openRingBuffer(events, (view, offset, length) => {
      assert.is(length, 32);
      seen.push(view.getBigUint64(offset, true));
      assert.is(view.getBigUint64(offset + 24, true), 0xfeedn);
    }, { poll: false });
    try {
      for (let round = 0; round < 5; round++) {
        for (let index = 0; index < 60; index++) program.testRun({ ctx: u64s(next++, 0n, 0n, 0xfeedn) });
        assert.is(check.drain(), 60);
      }
      assert.equal(seen, Array.from({ length: 300 }, (_, index) => BigInt(index)));
      assert.is(check.drain(), 0);
    } finally {
      check.close();
    }
    assert.is(reader.pendingBytes(), 0, 'both readers share the kernel consumer position');
  } finally {
    reader.close();
    program.close();
    events.close();
  }
});

test('a full ring drops records (the program sees an error) until the reader frees space', () => {
  const pageSize = native().pageSize();
  const { events, program } = setup(4, pageSize);
  let count = 0;
  const reader = openRingBuffer(events, () => { count++; }, { poll: false });
  try {
    for (let index = 0; index < 200; index++) program.testRun({ ctx: u64s(BigInt(index), 0n, 0n, 0n) });
    const fits = Math.floor(pageSize / 40);
    assert.is(reader.drain(), fits);
    program.testRun({ ctx: u64s(1n, 0n, 0n, 0n) });
    assert.is(reader.drain(), 1);
    assert.is(count, fits + 1);
  } finally {
    reader.close();
    program.close();
    events.close();
  }
});

test.run();
