// probetype: the kind of probe the program serves, as today's bpftrace names it (`tracepoint`,
// `uprobe`, …; `special` for begin and end), a constant string like `probe`.
import { stringType } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { constantText } from './probe.js';
import type { FunctionRecord } from './record.js';

/** The probe type of an attach point's canonical name (`tracepoint:syscalls:sys_enter_openat`). */
export function probeTypeOf(attachPoint: string): string {
  const kind = attachPoint.split(':')[0]!;
  return ['begin', 'end'].includes(kind.toLowerCase()) ? 'special' : kind;
}

export const probetype: FunctionRecord = {
  name: 'probetype',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    return stringType(probeTypeOf(context.probeName).length + 1);
  },
  lower: (lowering, _call, type) => constantText(lowering, probeTypeOf(lowering.program.probe.attachments[0]!.name), type),
};
