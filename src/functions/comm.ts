// comm: the current task's name (16 bytes, bpf_get_current_comm), written straight into the place
// that wants it (a map key, a record field) when it is stored.
import { stringType } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { zeroFill } from '../codegen/memory.js';
import type { FunctionRecord } from './record.js';

/** TASK_COMM_LEN, the NUL included. */
const COMM_SIZE = 16;

export const comm: FunctionRecord = {
  name: 'comm',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    return stringType(COMM_SIZE);
  },
  lower(lowering, _call, type) {
    const offset = lowering.e.allocate(COMM_SIZE);
    lowering.e.callHelper('get_current_comm', [{ kind: 'stack', offset }, { kind: 'immediate', value: COMM_SIZE }], true);
    return { kind: 'memory', offset, type };
  },
  lowerInto(lowering, _call, offset, size) {
    const written = Math.min(size, COMM_SIZE);
    lowering.e.callHelper('get_current_comm', [{ kind: 'stack', offset }, { kind: 'immediate', value: written }], true);
    if (size > written) zeroFill(lowering.e, offset + written, size - written);
  },
};
