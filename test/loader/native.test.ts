import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { native, check, SyscallError, errnoName } from '../../src/loader/native.js';

test('close of a bad fd returns -EBADF, and check names it', () => {
  const result = native().close(-1);
  assert.is(result, -9);
  try {
    check('close', result);
    assert.unreachable('check should throw');
  } catch (error) {
    assert.instance(error, SyscallError);
    assert.is((error as SyscallError).code, 'EBADF');
  }
});

test('errno names include kernel-internal ENOTSUPP', () => {
  assert.is(errnoName(524), 'ENOTSUPP');
  assert.is(errnoName(1), 'EPERM');
});

test('addressOf gives distinct, offset-aware addresses', () => {
  const buffer = new Uint8Array(64);
  const base = native().addressOf(buffer);
  const tail = native().addressOf(buffer.subarray(8));
  assert.is(tail - base, 8n);
});

test('page size is a power of two', () => {
  const size = native().pageSize();
  assert.ok(size >= 4096 && (size & (size - 1)) === 0);
});

test.run();
