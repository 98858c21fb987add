// debugf(fmt, args…): bpf_trace_printk, with the format on the stack; the line goes to the kernel's
// trace pipe, not to the session's output.
import { R0 } from '../bpf/index.js';
import { isScalar, noneType, typeName } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { noValue } from '../codegen/calls.js';
import { storeBytes } from '../codegen/memory.js';
import { checkFormatArguments } from './format-arguments.js';
import type { FunctionRecord } from './record.js';

export const debugf: FunctionRecord = {
  name: 'debugf',
  check(context, call) {
    if (!arity(context, call, 1, 16)) return noneType;
    const argumentTypes = checkFormatArguments(context, call);
    if (!argumentTypes) return noneType;
    if (argumentTypes.length > 3) context.diagnostics.error(call.span, 'debugf() takes at most 3 arguments after the format (bpf_trace_printk)');
    for (const [index, type] of argumentTypes.entries()) {
      if (!isScalar(type)) context.diagnostics.error(call.arguments[index + 1]!.span, `debugf() prints integers, not ${typeName(type)}`);
    }
    return noneType;
  },
  lower(lowering, call, type) {
    const e = lowering.e;
    const format = Buffer.from(`${(call.arguments[0] as { value: string }).value}\0`, 'latin1');
    const values = call.arguments.slice(1).map((argument) => lowering.scalar(argument));
    const size = Math.ceil(format.length / 8) * 8;
    const offset = e.allocate(size);
    storeBytes(e, offset, format, size, R0);
    e.callHelper('trace_printk', [
      { kind: 'stack', offset }, { kind: 'immediate', value: format.length },
      ...values.map((temp) => ({ kind: 'temp' as const, temp })),
    ], true);
    for (const value of values) e.pool.release(value);
    return noValue(type);
  },
};
