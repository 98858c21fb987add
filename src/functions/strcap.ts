// strcap(s): a string's capacity in bytes (its NUL included), or an array's length: a constant, as
// today's bpftrace computes it from the type (`sizeof` of a string).
import { s64, typeName } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

export const strcap: FunctionRecord = {
  name: 'strcap',
  check(context, call) {
    if (!arity(context, call, 1, 1)) return s64;
    const type = context.expression(call.arguments[0]!);
    const capacity = type.kind === 'string' ? type.size : type.kind === 'array' ? type.length : undefined;
    if (capacity === undefined) context.diagnostics.error(call.arguments[0]!.span, `strcap() needs a string or an array, not ${typeName(type)}`);
    else context.setConstant(call, BigInt(capacity));
    return s64;
  },
  lower: (lowering, call, type) => ({ kind: 'constant', value: lowering.program.probe.facts.constants.get(call)!, type }),
};
