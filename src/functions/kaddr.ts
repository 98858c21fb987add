// kaddr("name"): a kernel symbol's address from /proc/kallsyms, a constant in the program.
import { u64 } from '../model/types.js';
import { arity, needLiteral } from '../check/call-rule.js';
import { runningKernelSymbols } from '../symbols/kernel-symbols.js';
import type { FunctionRecord } from './record.js';

export const kaddr: FunctionRecord = {
  name: 'kaddr',
  check(context, call) {
    const name = arity(context, call, 1, 1) ? needLiteral(context, call, 0) : undefined;
    if (name !== undefined && runningKernelSymbols().addressOf(name) === undefined) {
      context.diagnostics.error(call.arguments[0]!.span, `kaddr(): no kernel symbol '${name}' in /proc/kallsyms`);
    }
    return u64;
  },
  lower(_lowering, call, type) {
    const name = (call.arguments[0] as { value: string }).value;
    const symbol = runningKernelSymbols().addressOf(name);
    if (symbol === undefined) throw new Error(`internal error: kaddr(${name}) not found`);
    return { kind: 'constant', value: symbol, type };
  },
};
