// The scratch area past 32 KiB (issue 14, item 11): a callback's large values come from the probe's
// scratch area, and an access past the 16-bit offset field moves the base register there and back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { R1, R8, R10, ldx, st } from '../../src/bpf/index.js';
import { instructionText } from '../../src/bpf/disassemble.js';
import { isLabel } from '../../src/bpf/instruction.js';
import { CPU_INDEXED_SCRATCH_LIMIT, PER_CPU_SCRATCH_LIMIT, StackFrame } from '../../src/codegen/frame.js';
import { Emitter } from '../../src/codegen/emitter.js';

function text(e: Emitter): string[] {
  return e.items.flatMap((item) => (isLabel(item) ? [] : [instructionText(item)]));
}

test('a per-CPU scratch area stops at 32 KiB; a CPU-indexed one holds two 20000-byte values, up to 1 MiB of values of 32 KiB at most', () => {
  const perCpu = new StackFrame();
  perCpu.enableScratch(PER_CPU_SCRATCH_LIMIT);
  assert.is(perCpu.allocate(20_000), 0);
  assert.is(perCpu.allocate(20_000), undefined);
  const cpuIndexed = new StackFrame();
  cpuIndexed.enableScratch(CPU_INDEXED_SCRATCH_LIMIT);
  assert.is(cpuIndexed.allocate(20_000), 0);
  assert.is(cpuIndexed.allocate(20_000), 20_000);
  assert.is(cpuIndexed.scratchBytes, 40_000);
  assert.is(cpuIndexed.allocate(32 * 1024 + 1), undefined, 'one value is read through 16-bit offsets from a map value pointer too');
  while (cpuIndexed.allocate(32 * 1024) !== undefined);
  assert.ok(cpuIndexed.scratchBytes <= CPU_INDEXED_SCRATCH_LIMIT && cpuIndexed.scratchBytes > CPU_INDEXED_SCRATCH_LIMIT - 32 * 1024);
});

test('a callback\'s frame shares the probe\'s scratch area: above what the probe holds, freed with its own marks', () => {
  const probe = new StackFrame();
  probe.enableScratch(CPU_INDEXED_SCRATCH_LIMIT);
  assert.is(probe.allocate(100), 0);
  const callback = new StackFrame();
  callback.shareScratch(probe);
  const mark = callback.mark();
  assert.is(callback.allocate(64), 104);
  assert.is(callback.allocate(8), -8, 'small values stay on the callback\'s own stack');
  callback.release(mark);
  assert.is(probe.allocate(16), 104);
  assert.is(probe.scratchBytes, 168);
});

test('an access past 32767 bytes into the scratch area moves the base register around it', () => {
  const e = new Emitter();
  e.frame.enableScratch(CPU_INDEXED_SCRATCH_LIMIT);
  e.scratchBase = R8;
  e.emit(ldx('dw', R1, R10, 40_000));
  e.emit(st('b', R10, 32_767, 7));
  e.emit(ldx('w', R1, R10, -16));
  assert.equal(text(e), [
    'r8 += 32768',
    'r1 = *(u64 *)(r8 +7232)',
    'r8 -= 32768',
    '*(u8 *)(r8 +32767) = 7',
    'r1 = *(u32 *)(r10 -16)',
  ]);
});

test.run();
