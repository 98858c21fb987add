// reg("name"): a register of the interrupted code, by bpftrace's x86_64 names (`ip`, `sp`, `di`, …),
// read from the `struct pt_regs` a kprobe, uprobe or usdt program gets (profile and interval programs'
// perf event data starts with one too).
import { u64 } from '../model/types.js';
import { arity, needLiteral } from '../check/call-rule.js';
import { ptRegsByName } from '../model/x86-registers.js';
import type { FunctionRecord } from './record.js';

export const reg: FunctionRecord = {
  name: 'reg',
  check(context, call) {
    if (!arity(context, call, 1, 1)) return u64;
    const name = needLiteral(context, call, 0);
    if (name !== undefined && !ptRegsByName.has(name)) {
      context.diagnostics.error(call.span, `'${name}' is not a valid register on this architecture (x86_64)`, `registers: ${[...ptRegsByName.keys()].join(', ')}`);
    } else if (context.probeContext !== 'registers' && context.probeContext !== 'perf') {
      context.diagnostics.error(call.span, 'reg() can only be used in kprobe, uprobe and usdt probes (and profile/interval), whose context holds the registers');
    }
    return u64;
  },
  lower(lowering, call, type) {
    const argument = call.arguments[0]!;
    const offset = ptRegsByName.get(argument.kind === 'string' ? argument.value : '')!;
    const e = lowering.e;
    const temp = e.pool.acquire();
    lowering.program.loadFromContext('dw', e.pool.writable(temp), offset);
    return { kind: 'register', temp, type };
  },
};
