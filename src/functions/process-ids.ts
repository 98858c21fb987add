// pid and tid (the halves of tgid << 32 | tid, numbered in tsbpf's pid namespace, or the initial one
// for pid(init)), uid and gid (the halves of bpf_get_current_uid_gid).
import { R10, alu64, ldx, mov32, type Register } from '../bpf/index.js';
import { u32 } from '../model/types.js';
import { arity, type CallRule } from '../check/call-rule.js';
import type { CallLowering } from '../codegen/calls.js';
import { loadPidTgid, type PidView } from '../codegen/process-ids.js';
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

/** `pid(curr_ns)`/`pid(init)`: whose numbering (codegen/process-ids.ts); bare `pid` is curr_ns. */
const namespaceWords: Readonly<Record<string, PidView>> = { curr_ns: 'tsbpf', init: 'init' };

const checkPidTgid: CallRule = (context, call) => {
  if (!arity(context, call, 0, 1) || call.arguments.length === 0) return u32;
  const argument = call.arguments[0]!;
  const word = context.word(argument);
  if (word === undefined) context.diagnostics.error(call.span, `${call.name}() only supports curr_ns and init as the argument`);
  else if (namespaceWords[word] === undefined) context.diagnostics.error(argument.span, `Invalid PID namespace mode: ${word} (expects: curr_ns or init)`);
  return u32;
};

function pidTgidHalf(name: 'pid' | 'tid', half: Half): FunctionRecord {
  return {
    name,
    bare: true,
    check: checkPidTgid,
    lower(lowering, call, type) {
      const e = lowering.e;
      const argument = call.arguments[0];
      const view = argument?.kind === 'identifier' ? namespaceWords[argument.name]! : 'tsbpf';
      const cached = view === 'tsbpf' ? lowering.program.pidTgidSlot : undefined;
      if (cached === undefined) {
        const temp = loadPidTgid(e, lowering.program.script.checked.host, view);
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
