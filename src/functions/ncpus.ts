// ncpus: the number of possible CPUs, a constant of the compiled program (as in bpftrace).
import { u64 } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

export const ncpus: FunctionRecord = {
  name: 'ncpus',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    if (context.config.cpuCount === undefined) context.diagnostics.error(call.span, 'ncpus: the CPU count of the machine is not known to this compilation');
    return u64;
  },
  lower: (lowering, _call, type) => ({ kind: 'constant', value: BigInt(lowering.program.config.cpuCount!), type }),
};
