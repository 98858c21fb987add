// kaddr("name"): a kernel symbol's address from the host's kallsyms, measured once by the checker and
// compiled in as a constant.
import { u64 } from '../model/types.js';
import { arity, needLiteral } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

export const kaddr: FunctionRecord = {
  name: 'kaddr',
  check(context, call) {
    const name = arity(context, call, 1, 1) ? needLiteral(context, call, 0) : undefined;
    if (name === undefined) return u64;
    const address = context.host.kernelSymbolAddress(name);
    if (address === undefined) context.diagnostics.error(call.arguments[0]!.span, `kaddr(): no kernel symbol '${name}' in /proc/kallsyms`);
    else context.setConstant(call, address);
    return u64;
  },
  lower(lowering, call, type) {
    const address = lowering.program.probe.facts.constants.get(call);
    if (address === undefined) throw new Error(`internal error: kaddr(${(call.arguments[0] as { value: string }).value}) was not measured`);
    return { kind: 'constant', value: address, type };
  },
};
