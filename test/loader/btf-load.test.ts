import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BtfWriter } from '../../src/btf/index.js';
import { BTF_LOAD_ATTR_SIZE, BtfLoadError, encodeBtfLoadAttr, loadBtf } from '../../src/loader/btf-load.js';

test('BTF_LOAD attr: pointers at 0 and 8, sizes and level at 16, 20, 24, the rest zero', () => {
  const attr = encodeBtfLoadAttr({
    blobAddress: 0x1122334455667788n, blobSize: 0x1234, logAddress: 0x0badc0ffee000010n, logSize: 65536, logLevel: 1,
  });
  assert.is(attr.length, BTF_LOAD_ATTR_SIZE);
  const view = new DataView(attr.buffer);
  assert.is(view.getBigUint64(0, true), 0x1122334455667788n);
  assert.is(view.getBigUint64(8, true), 0x0badc0ffee000010n);
  assert.is(view.getUint32(16, true), 0x1234);
  assert.is(view.getUint32(20, true), 65536);
  assert.is(view.getUint32(24, true), 1);
  assert.is(view.getUint32(28, true), 0); // btf_log_true_size: the kernel's to fill in
  assert.equal([...attr.subarray(0, 8)], [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
});

test('BtfLoadError keeps the log and names the last line as the reason', () => {
  const error = new BtfLoadError(22, 'magic: 0xeb9f\nversion: 1\n[2] PTR (anon) type_id=9 Invalid type_id\n\n');
  assert.is(error.code, 'EINVAL');
  assert.is(error.errno, 22);
  assert.is(error.message, 'BTF load failed (EINVAL): [2] PTR (anon) type_id=9 Invalid type_id');
  assert.ok(error.log.startsWith('magic: 0xeb9f'));
});

function sampleBlob(): Uint8Array {
  const writer = new BtfWriter();
  const int = writer.int('int', 4, { signed: true });
  const long = writer.int('long', 8, { signed: true });
  const char = writer.int('char', 1, { char: true });
  const uint = writer.int('unsigned int', 4);
  const key = writer.struct('key', 24, [
    { name: 'pid', type: int, bitOffset: 0 },
    { name: 'comm', type: writer.array(char, 16), bitOffset: 32 },
    { name: 'flags', type: uint, bitOffset: 160, bitfieldSize: 3 },
  ]);
  writer.typedef('key_t', key);
  writer.enum('state', 4, [{ name: 'IDLE', value: 0 }, { name: 'BUSY', value: 1 }]);
  writer.union('either', 8, [{ name: 'small', type: int, bitOffset: 0 }, { name: 'large', type: long, bitOffset: 0 }]);
  writer.forward('opaque');
  writer.pointer(writer.const(writer.volatile(char)));
  const proto = writer.funcProto(long, [{ name: 'ctx', type: writer.pointer(0) }]);
  writer.func('main', proto, 'global');
  writer.float('double', 8);
  const counter = writer.variable('counter', long);
  writer.dataSection('.bss', 8, [{ type: counter, offset: 0, size: 8 }]);
  writer.enum('wide', 8, [{ name: 'BIG', value: 1n << 40n }]);
  return writer.toBytes();
}

test('kernel accepts a writer blob covering every kind', () => {
  const handle = loadBtf(sampleBlob());
  try {
    assert.ok(handle.fd > 0, `fd ${handle.fd}`);
  } finally {
    handle.close();
  }
  handle.close(); // closing twice is harmless
});

test('kernel refuses a malformed blob and the error carries its log', () => {
  const writer = new BtfWriter();
  const int = writer.int('int', 4, { signed: true });
  const pointer = writer.pointer(int);
  const bytes = writer.toBytes();
  // Point the PTR (second type, after the 16-byte INT) at a type that does not exist.
  new DataView(bytes.buffer).setUint32(24 + 16 + 8, 99, true);
  assert.is(pointer, 2);
  try {
    const handle = loadBtf(bytes);
    handle.close();
    assert.unreachable('the kernel accepted a dangling type id');
  } catch (error) {
    assert.instance(error, BtfLoadError);
    const failure = error as BtfLoadError;
    assert.is(failure.code, 'EINVAL');
    assert.match(failure.log, /magic: 0xeb9f/);
    assert.match(failure.log, /Invalid/i);
    assert.match(failure.message, /^BTF load failed \(EINVAL\): .*Invalid/i);
  }
});

test('kernel refuses a struct whose member lies outside it', () => {
  const writer = new BtfWriter();
  const long = writer.int('long', 8, { signed: true });
  writer.struct('short_struct', 4, [{ name: 'value', type: long, bitOffset: 0 }]);
  assert.throws(() => loadBtf(writer.toBytes()), (error: unknown) => error instanceof BtfLoadError && /Member exceeds struct_size/.test(error.log));
});

test.run();
