// elapsed: nanoseconds since the session started (userspace writes the start into the globals map).
import { R10, alu64, jmp, ldx, st, stx } from '../bpf/index.js';
import { GlobalsLayout } from '../model/artifact.js';
import { u64, type Type } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import type { FunctionRecord } from './record.js';

export const elapsed: FunctionRecord = {
  name: 'elapsed',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    return u64;
  },
  lower: (lowering, _call, type) => lowerElapsed(lowering, type),
};

/**
 * nsecs minus the session start that userspace wrote into the globals map. The start goes through
 * a stack slot so that only one temporary is live at a time: inside a `?:` or a comparison the
 * outer values are pinned, and holding the clock and the map pointer together ran out of
 * registers (`pid <= (elapsed > 50 ? 1 : 2)` failed to compile).
 */
function lowerElapsed(lowering: ExpressionLowering, type: Type): Lowered {
  const e = lowering.e;
  const globals = lowering.program.script.useGlobals();
  const start = e.allocate(8);
  e.emit(st('dw', R10, start, 0));
  const key = e.allocate(4, 4);
  e.emit(st('w', R10, key, 0));
  const pointer = e.callHelper('map_lookup_elem', [{ kind: 'map', name: globals }, { kind: 'stack', offset: key }])!;
  const missing = e.newLabel('noglobals');
  const pinned = e.pool.freeze();
  const base = e.pool.read(pointer);
  e.emit(jmp('eq', base, 0, missing));
  const scratch = e.pool.scratchRegister([base]);
  e.emit(ldx('dw', scratch, base, GlobalsLayout.startNs));
  e.emit(stx('dw', R10, start, scratch));
  e.place(missing);
  e.pool.thaw(pinned);
  e.pool.release(pointer);
  const now = e.callHelper('ktime_get_ns', [])!;
  const target = e.pool.writable(now);
  const startValue = e.pool.scratchRegister([target]);
  e.emit(ldx('dw', startValue, R10, start));
  e.emit(alu64('sub', target, startValue));
  return { kind: 'register', temp: now, type };
}
