// strftime(fmt, nsecs): a timestamp on the kernel's monotonic clock, printed by userspace as
// wall-clock time in `fmt` (bpftrace's %f adds microseconds).
import { arity, needInteger, needLiteral } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

export const strftime: FunctionRecord = {
  name: 'strftime',
  check(context, call) {
    if (!arity(context, call, 2, 2)) return { kind: 'timestamp', format: '' };
    const format = needLiteral(context, call, 0) ?? '';
    needInteger(context, call, 1);
    return { kind: 'timestamp', format };
  },
  lower: (lowering, call, type) => ({ ...lowering.lower(call.arguments[1]!), type }),
};
