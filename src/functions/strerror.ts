// strerror(errno): an error number that prints as its C library text (`No such file or directory`),
// as bpftrace's strerror() does. The program keeps the number; userspace looks up the text.
import { s64, sizeOf } from '../model/types.js';
import { arity, needInteger } from '../check/call-rule.js';
import { errnoMessage } from '../runtime/output/errno-messages.js';
import type { FunctionRecord } from './record.js';

export const strerror: FunctionRecord = {
  name: 'strerror',
  check(context, call) {
    if (arity(context, call, 1, 1)) needInteger(context, call, 0);
    return { kind: 'formatted', by: 'strerror' };
  },
  lower(lowering, call, type) {
    // In memory, as the other values userspace formats (ksym, ntop): print(), maps and records copy it.
    const offset = lowering.e.allocate(sizeOf(type));
    lowering.storeValue(lowering.lower(call.arguments[0]!), offset, s64);
    return { kind: 'memory', offset, type };
  },
  // glibc's strerror(0) is `Success`; the errno table starts at 1.
  valueText: (errno) => (errno === 0n ? 'Success' : errnoMessage(Number(errno))),
};
