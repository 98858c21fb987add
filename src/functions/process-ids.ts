// pid and tid (the halves of bpf_get_current_pid_tgid), uid and gid (of bpf_get_current_uid_gid).
import { R10, alu64, ldx, mov32, type Register } from '../bpf/index.js';
import { u32 } from '../model/types.js';
import { arity, type CallRule } from '../check/call-rule.js';
import type { CallLowering } from '../codegen/calls.js';
import type { FunctionRecord } from './record.js';

const checkU32: CallRule = (context, call) => {
  arity(context, call, 0, 0);
  return u32;
};

/** The upper half of a helper's u64 (shifted down) or the lower half (zero-extended). */
type Half = 'upper' | 'lower';

function halfOf(lowering: Parameters<CallLowering>[0], half: Half, register: Register): void {
  lowering.e.emit(half === 'upper' ? alu64('rsh', register, 32) : mov32(register, register));
}

function pidTgidHalf(name: 'pid' | 'tid', half: Half): FunctionRecord {
  return {
    name,
    bare: true,
    check: checkU32,
    lower(lowering, _call, type) {
      const e = lowering.e;
      const cached = lowering.program.pidTgidSlot;
      if (cached === undefined) {
        const temp = e.callHelper('get_current_pid_tgid', [])!;
        halfOf(lowering, half, e.pool.writable(temp));
        return { kind: 'register', temp, type };
      }
      // Read once at program entry (see ProgramContext.cachePidTgid): a load instead of a helper call.
      const temp = e.pool.acquire();
      const target = e.pool.writable(temp);
      e.emit(ldx('dw', target, R10, cached));
      halfOf(lowering, half, target);
      return { kind: 'register', temp, type };
    },
  };
}

function uidGidHalf(name: 'uid' | 'gid', half: Half): FunctionRecord {
  return {
    name,
    bare: true,
    check: checkU32,
    lower(lowering, _call, type) {
      const temp = lowering.e.callHelper('get_current_uid_gid', [])!;
      halfOf(lowering, half, lowering.e.pool.writable(temp));
      return { kind: 'register', temp, type };
    },
  };
}

export const pid = pidTgidHalf('pid', 'upper');
export const tid = pidTgidHalf('tid', 'lower');
export const uid = uidGidHalf('uid', 'lower');
export const gid = uidGidHalf('gid', 'upper');
