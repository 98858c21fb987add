// Byte scans over long strings (strlen, strcontains) as bpf_loop callbacks. The verifier walks a plain
// loop byte by byte, and every path of the code around it once more per path: at today's default
// max_strlen of 1024 a scan inside a branching loop body passed its 1M-instruction budget. A callback
// whose state does not depend on the iteration is verified once or twice, whatever the length.
import { R0, R1, R2, R10, exit, ldx, mov64, st, stx, type Register } from '../bpf/index.js';
import type { Emitter } from './emitter.js';
import type { Temp } from './registers.js';
import type { ExpressionLowering } from './lower-expression.js';

/** strlen() of strings up to this capacity is a plain loop: cheap to verify, no call per byte. */
export const PLAIN_SCAN_LIMIT = 64;

/** What a scan callback's code works with: its emitter, and where its context's slots are. */
export interface ScanCallback {
  readonly e: Emitter;
  /** r2 = the context: the first slot's address (bpf_loop passes the caller's stack pointer). */
  readonly context: Register;
  /** Offsets from the context of the slots the caller filled, in the order they were asked for. */
  readonly slots: readonly number[];
  /** Labels returning 0 (the next index) and 1 (stop). */
  readonly next: string;
  readonly stop: string;
}

/** A context slot the caller fills: a memory value's address, or an integer. */
export type ScanSlot = { readonly kind: 'address'; readonly offset: number } | { readonly kind: 'zero' };

/**
 * Calls bpf_loop(iterations, callback, context) and returns the loops it ran (r0, unknown to the
 * verifier). The context is a run of 8-byte stack slots; addresses stored there keep their type for
 * the verifier (a spilled pointer), so the callback reads the string wherever it lives: this
 * function's stack, the probe's frame, or the scratch area (bpf_loop's context must be a stack
 * address, a map value is not accepted). The callback's r1 is the index.
 */
export function callScan(
  lowering: ExpressionLowering, hint: string, iterations: number, slots: readonly ScanSlot[],
  body: (callback: ScanCallback) => void,
): { readonly loops: Temp; readonly slotOffsets: readonly number[] } {
  const e = lowering.e;
  // One slot at a time: each is 8 bytes, so it is on the stack even in scratch mode.
  const offsets = slots.map(() => e.allocate(8));
  const scratch = e.pool.scratchRegister();
  slots.forEach((slot, index) => {
    if (slot.kind === 'zero') {
      e.emit(st('dw', R10, offsets[index]!, 0));
      return;
    }
    e.address(scratch, slot.offset);
    e.emit(stx('dw', R10, offsets[index]!, scratch));
  });
  const callback = lowering.program.createCallback(hint);
  const ce = callback.e;
  const next = ce.newLabel('next');
  const stop = ce.newLabel('stop');
  body({ e: ce, context: R2, slots: offsets.map((offset) => offset - offsets[0]!), next, stop });
  ce.place(next);
  ce.emit(mov64(R0, 0));
  ce.emit(exit());
  ce.place(stop);
  ce.emit(mov64(R0, 1));
  ce.emit(exit());
  const loops = e.callHelper('loop', [
    { kind: 'immediate', value: iterations },
    { kind: 'function', label: callback.entry },
    { kind: 'stack', offset: offsets[0]! },
    { kind: 'immediate', value: 0 },
  ])!;
  return { loops, slotOffsets: offsets };
}

/** The callback's index register. */
export const INDEX: Register = R1;

/** Loads a context slot's address into `target`. */
export function loadSlot(callback: ScanCallback, target: Register, slot: number): void {
  callback.e.emit(ldx('dw', target, callback.context, callback.slots[slot]!));
}
