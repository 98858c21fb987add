// probe: the attach point the program serves, as written (`kprobe:do_nanosleep`), a constant string.
// A block with several attach points that reads it gets one program per attach point (check/checker.ts).
import { R0 } from '../bpf/index.js';
import { stringType, type Type } from '../model/types.js';
import type { Lowered } from '../codegen/lower-expression.js';
import { arity } from '../check/call-rule.js';
import { storeBytes } from '../codegen/memory.js';
import type { FunctionRecord } from './record.js';

export const probe: FunctionRecord = {
  name: 'probe',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    return stringType(context.probeName.length + 1);
  },
  lower: (lowering, _call, type) => constantText(lowering, lowering.program.probe.attachments[0]!.name, type),
};

/** A string known when the program is compiled, written to the stack at its type's capacity. */
export function constantText(lowering: Parameters<FunctionRecord['lower']>[0], text: string, type: Type): Lowered {
  const size = type.kind === 'string' ? type.size : text.length + 1;
  const offset = lowering.e.allocate(size);
  storeBytes(lowering.e, offset, Buffer.from(text, 'latin1'), size, R0);
  return { kind: 'memory', offset, type };
}
