// percpu_kaddr("name"[, cpu]): the address of a per-CPU kernel variable, on this CPU or on `cpu`
// (NULL for a CPU the machine does not have), as today's bpftrace: the variable is named to the
// verifier by its BTF id (a ksym load) and placed by bpf_this_cpu_ptr / bpf_per_cpu_ptr. The result
// is a `uint64 *` in kernel memory; a struct's fields are read after a cast (`(struct rq *)…`). The kernel
// finds the variable through kallsyms, so its data symbols must be there (CONFIG_KALLSYMS_ALL).
import { ldBtfId } from '../bpf/index.js';
import { u64, type Type } from '../model/types.js';
import { arity, needInteger, needLiteral } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

const result: Type = { kind: 'pointer', to: u64, space: 'kernel' };

export const percpuKaddr: FunctionRecord = {
  name: 'percpu_kaddr',
  check(context, call) {
    if (!arity(context, call, 1, 2)) return result;
    const name = needLiteral(context, call, 0);
    if (call.arguments.length > 1) needInteger(context, call, 1);
    if (name === undefined) return result;
    const btf = context.host.kernelBtf();
    const variable = btf?.findType(name, 'variable');
    if (!btf) context.diagnostics.error(call.span, 'percpu_kaddr() needs the kernel\'s BTF (/sys/kernel/btf/vmlinux), which this kernel does not expose');
    else if (!variable) context.diagnostics.error(call.arguments[0]!.span, `Could not resolve variable "${name}" from BTF`);
    else if (context.host.kernelSymbolAddress(name) === undefined) {
      // The kernel places a ksym by kallsyms; without data symbols there (CONFIG_KALLSYMS_ALL) the load fails.
      context.diagnostics.error(call.arguments[0]!.span, `percpu_kaddr(): this kernel cannot place "${name}": it is not in /proc/kallsyms (the kernel was built without CONFIG_KALLSYMS_ALL)`);
    } else context.setConstant(call, BigInt(variable.id));
    return result;
  },
  lower(lowering, call, type) {
    const e = lowering.e;
    const base = e.pool.acquire();
    e.emit(ldBtfId(e.pool.writable(base), Number(lowering.program.probe.facts.constants.get(call)!)));
    const cpu = call.arguments[1];
    if (!cpu) {
      const pointer = e.callHelper('this_cpu_ptr', [{ kind: 'temp', temp: base }])!;
      e.pool.release(base);
      return { kind: 'register', temp: pointer, type };
    }
    const index = lowering.scalar(cpu);
    const pointer = e.callHelper('per_cpu_ptr', [{ kind: 'temp', temp: base }, { kind: 'temp', temp: index }])!;
    e.pool.release(base);
    e.pool.release(index);
    return { kind: 'register', temp: pointer, type };
  },
};
