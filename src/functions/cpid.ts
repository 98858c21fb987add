// cpid: the pid of the command -c runs, a constant of the program (as in bpftrace); without -c there
// is none, and using it is an error. has_cpid(): whether there is one (a constant too).
import { booleanType, u32 } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

export const cpid: FunctionRecord = {
  name: 'cpid',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    if (context.config.childPid === undefined) context.diagnostics.error(call.span, 'cpid cannot be used without a child command', 'run the script with -c CMD');
    return u32;
  },
  lower: (lowering, _call, type) => ({ kind: 'constant', value: BigInt(lowering.program.config.childPid!), type }),
};

export const hasCpid: FunctionRecord = {
  name: 'has_cpid',
  check(context, call) {
    arity(context, call, 0, 0);
    return booleanType;
  },
  lower: (lowering, _call, type) => ({ kind: 'constant', value: lowering.program.config.childPid === undefined ? 0n : 1n, type }),
};
