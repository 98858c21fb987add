// The shape of functions whose value is a number the program keeps and userspace prints as text
// (syscall_name, signal_name, username): the program stores the number as an s64 in memory, as the
// other values userspace formats (print(), maps and records copy it); the record's valueText names it.
import { s64, sizeOf, type Type } from '../model/types.js';
import { arity, needInteger } from '../check/call-rule.js';
import type { Lowered } from '../codegen/lower-expression.js';
import type { FunctionRecord } from './record.js';

type Lowering = Parameters<FunctionRecord['lower']>[0];

export function storeFormatted(lowering: Lowering, value: Lowered, type: Type): Lowered {
  const offset = lowering.e.allocate(sizeOf(type));
  lowering.storeValue(value, offset, s64);
  return { kind: 'memory', offset, type };
}

/** `name(n)`: one integer argument, printed as `valueText(n)`. */
export function numberAsText(name: string, valueText: (value: bigint) => string): FunctionRecord {
  return {
    name,
    check(context, call) {
      if (arity(context, call, 1, 1)) needInteger(context, call, 0);
      return { kind: 'formatted', by: name };
    },
    lower: (lowering, call, type) => storeFormatted(lowering, lowering.lower(call.arguments[0]!), type),
    valueText,
  };
}

/** A builtin (`username`) whose number the program reads itself with `read`. */
export function builtinAsText(name: string, read: (lowering: Lowering) => Lowered, valueText: (value: bigint) => string): FunctionRecord {
  return {
    name,
    bare: true,
    check(context, call) {
      arity(context, call, 0, 0);
      return { kind: 'formatted', by: name };
    },
    lower: (lowering, _call, type) => storeFormatted(lowering, read(lowering), type),
    valueText,
  };
}
