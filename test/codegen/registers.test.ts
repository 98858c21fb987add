// The register pool around helper calls: which values move, which spill, and what is emitted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Instruction } from '../../src/bpf/index.js';
import { instructionText } from '../../src/bpf/disassemble.js';
import { StackFrame } from '../../src/codegen/frame.js';
import { RegisterExhaustedError, RegisterPool, type Temp } from '../../src/codegen/registers.js';

function newPool(): { registers: RegisterPool; emitted: () => string[] } {
  const instructions: Instruction[] = [];
  const registers = new RegisterPool((instruction) => instructions.push(instruction), new StackFrame());
  return { registers, emitted: () => instructions.splice(0).map((instruction) => instructionText(instruction)) };
}

/** A temporary holding a value, as after a load or a helper call. */
function valued(registers: RegisterPool): Temp {
  const temp = registers.acquire();
  registers.writable(temp);
  return temp;
}

test('before a call with r6–r9 full, the oldest value is spilled to make room for the newest', () => {
  const { registers, emitted } = newPool();
  const oldest = valued(registers);
  for (let index = 0; index < 3; index++) valued(registers);
  const newest = valued(registers);
  assert.equal(newest.location, { kind: 'register', reg: 1 });
  registers.beforeCall();
  assert.equal(emitted(), ['*(u64 *)(r10 -8) = r6', 'r6 = r1']);
  assert.equal(oldest.location, { kind: 'spilled', offset: -8 });
  assert.equal(newest.location, { kind: 'register', reg: 6 });
});

test('a temporary with no value yet moves without a copy (the verifier rejects reading an unwritten register)', () => {
  const { registers, emitted } = newPool();
  for (let index = 0; index < 4; index++) valued(registers);
  const empty = registers.acquire();
  registers.beforeCall();
  assert.equal(emitted(), ['*(u64 *)(r10 -8) = r6']);
  assert.equal(empty.location, { kind: 'register', reg: 6 });
});

test('writing a frozen temporary that had to be spilled is a RegisterExhaustedError', () => {
  const { registers } = newPool();
  for (let index = 0; index < 4; index++) valued(registers);
  registers.freeze();
  const value = valued(registers);
  registers.freeze();
  assert.equal(value.location, { kind: 'spilled', offset: -8 });
  assert.throws(() => registers.writable(value), (error: unknown) => error instanceof RegisterExhaustedError);
});

test.run();
