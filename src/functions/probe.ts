// probe: the attach point the program serves, as written (`kprobe:do_nanosleep`), a constant string.
// A block with several attach points that reads it gets one program per attach point (check/checker.ts).
import { R0 } from '../bpf/index.js';
import { stringType } from '../model/types.js';
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
  lower(lowering, _call, type) {
    const text = lowering.program.probe.attachments[0]!.name;
    const size = type.kind === 'string' ? type.size : text.length + 1;
    const offset = lowering.e.allocate(size);
    storeBytes(lowering.e, offset, Buffer.from(text, 'latin1'), size, R0);
    return { kind: 'memory', offset, type };
  },
};
