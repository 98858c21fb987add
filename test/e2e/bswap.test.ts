// bswap(n): bytes reversed by the operand's width, an unsigned result of that width; constants are
// swapped at compile time, values in the program with the BPF byte-swap instruction.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { atExit } from './case.js';
import { compileErrors, run, self } from './harness.js';

test('each width: 64, 32, 16 bits swapped, 8 bits as they are, a sum, and twice', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("%llx %x %x %x %llx %x\\n", bswap(0x1122334455667788), bswap((int32)0x12345678), bswap((int16)0x1234), bswap((int8)0x12), bswap(0x12340000 + (uint64)0x5678), bswap(bswap(0x1234))); exit(); }');
  assert.is(stderr, '');
  assert.is(stdout, `8877665544332211 78563412 3412 12 7856341200000000 1234\n${atExit()}`);
});

/** `value`'s low `bytes` bytes in reverse order. */
function swapped(value: number, bytes: number): bigint {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return BigInt(`0x${buffer.subarray(0, bytes).toString('hex') || '0'}`);
}

test('a value the program reads (pid): swapped in the program, unsigned, cleared above its width', async () => {
  const { stdout } = await run(`BEGIN { printf("%llu %llu %llu %d\\n", bswap((uint32)pid), bswap((int16)pid), bswap((int8)-1), bswap(bswap((uint32)pid)) == pid); @m = bswap((uint16)pid); exit(); }`);
  assert.is(stdout, `${swapped(self.pid, 4)} ${swapped(self.pid, 2)} 255 1\n${atExit(`@m: ${swapped(self.pid, 2)}\n`)}`);
});

test('bswap() takes one integer', () => {
  const text = compileErrors('BEGIN { print(bswap("a")); }');
  assert.match(text, 'test.bt:1:21-24: ERROR: bswap() only supports integer arguments (string[2] provided)');
  assert.match(compileErrors('BEGIN { print(bswap(1, 2)); }'), 'bswap() takes 1 argument, not 2');
});

test.run();
