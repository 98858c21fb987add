// ncpus: the number of possible CPUs of the machine compiled for, a constant of the program (as in bpftrace).
import { u64 } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

export const ncpus: FunctionRecord = {
  name: 'ncpus',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    return u64;
  },
  lower: (lowering, _call, type) => ({ kind: 'constant', value: BigInt(lowering.program.script.checked.host.possibleCpuCount()), type }),
};
