// removeUnreachable: what a constant condition leaves behind is dropped, everything reachable stays.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { listing } from '../../src/bpf/listing.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { R0, R1, R6 } from '../../src/bpf/registers.js';
import { removeUnreachable } from '../../src/codegen/dead-code.js';

const text = (items: readonly AsmItem[]) => listing(items);

test('code after an unconditional jump is dropped up to the next label that is jumped to', () => {
  const items = [
    asm.mov64(R0, 1),
    asm.ja('done'),
    asm.mov64(R0, 2), // the branch a constant condition never takes
    asm.label('other'),
    asm.mov64(R0, 3), // labelled, but nothing jumps here
    asm.label('done'),
    asm.exit(),
  ];
  assert.equal(text(removeUnreachable(items)), text([asm.mov64(R0, 1), asm.ja('done'), asm.label('other'), asm.label('done'), asm.exit()]));
});

test('both sides of a conditional jump stay, and so does a loop back edge', () => {
  const items = [
    asm.mov64(R6, 0),
    asm.label('top'),
    asm.jmp('ge', R6, 10, 'out'),
    asm.alu64('add', R6, 1),
    asm.ja('top'),
    asm.label('out'),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
  const result = removeUnreachable(items);
  assert.is(result, items, 'a program without dead code comes back as the same array');
});

test('instructions after exit are dropped; a bpf-to-bpf call target is kept', () => {
  const items = [
    asm.callLocal('helper'),
    asm.exit(),
    asm.mov64(R1, 7), // after exit, never reached
    asm.label('helper'),
    asm.mov64(R0, 42),
    asm.exit(),
  ];
  assert.equal(text(removeUnreachable(items)), text([asm.callLocal('helper'), asm.exit(), asm.label('helper'), asm.mov64(R0, 42), asm.exit()]));
});

test.run();
