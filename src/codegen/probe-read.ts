// Every bpf_probe_read_* call goes through here, so that `-k` (bpftrace's --warnings) can report a
// failed read at its place in the script: the helper's negative result is sent to userspace, which
// prints "WARNING: Bad address" with the helper and its return code. Without -k a failed read leaves
// zeros and says nothing, as in bpftrace.
import { R10, jmp, st, stx } from '../bpf/index.js';
import type { CallArgument } from './emitter.js';
import type { ExpressionLowering } from './lower-expression.js';
import { sendRecord } from './calls.js';

export type ProbeReadHelper = 'probe_read_kernel' | 'probe_read_user' | 'probe_read_kernel_str' | 'probe_read_user_str';

/** Bytes of a helper-error record: the action id, then the helper's return value (s64). */
export const HELPER_ERROR_RECORD_SIZE = 16;

/** Calls a probe-read helper (its result discarded); with -k, a failure is reported at the current span. */
export function callProbeRead(lowering: ExpressionLowering, helper: ProbeReadHelper, args: readonly CallArgument[]): void {
  const e = lowering.e;
  const script = lowering.program.script;
  if (!script.checked.config.probeReadWarnings) {
    e.callHelper(helper, args, true);
    return;
  }
  const span = e.currentSpan;
  const result = e.callHelper(helper, args)!;
  if (!span) {
    e.pool.release(result);
    return;
  }
  const id = script.addAction((actionId) => ({ kind: 'helper-error', id: actionId, size: HELPER_ERROR_RECORD_SIZE, helper, span }));
  // The record's send is a helper call on one path only: every live value keeps one place on both.
  const pinned = e.pool.freeze();
  const read = e.newLabel('readok');
  e.emit(jmp('sge', e.pool.read(result), 0, read));
  const base = e.allocate(HELPER_ERROR_RECORD_SIZE);
  e.emit(st('dw', R10, base, id));
  e.emit(stx('dw', R10, base + 8, e.pool.read(result)));
  sendRecord(lowering, base, HELPER_ERROR_RECORD_SIZE);
  e.place(read);
  e.pool.thaw(pinned);
  e.pool.release(result);
}
