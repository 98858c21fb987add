// A buffer whose address goes into a system call's attributes must outlive the call even when the
// caller keeps no reference to it (see `pinned` in src/loader/native.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { native, pinnedBufferCount } from '../../src/loader/native.js';

test('addressOf() keeps the buffer referenced until the current job ends, then lets it go', async () => {
  await Promise.resolve();
  assert.is(pinnedBufferCount(), 0);
  const address = native().addressOf(new Uint8Array([71, 80, 76, 0])); // "GPL", referenced by nobody else
  native().addressOf(new Uint8Array(16));
  assert.ok(address > 0n);
  assert.is(pinnedBufferCount(), 2);
  await Promise.resolve();
  assert.is(pinnedBufferCount(), 0);
});

test('the same address is reported for a view each time (the data does not move once addressed)', () => {
  const view = new Uint8Array(8);
  const first = native().addressOf(view);
  for (let index = 0; index < 2000; index++) new Uint8Array(64); // young-generation churn
  assert.is(native().addressOf(view), first);
});

test.run();
