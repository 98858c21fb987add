// Builtins that are one helper call's result as it is: cpu, rand, cgroup, curtask, jiffies, numaid.
import type { HelperName } from '../bpf/index.js';
import { u32, u64, type Type } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

function helperValue(name: string, helper: HelperName, type: Type): FunctionRecord {
  return {
    name,
    bare: true,
    check(context, call) {
      arity(context, call, 0, 0);
      return type;
    },
    lower: (lowering, _call, loweredType) => ({ kind: 'register', temp: lowering.e.callHelper(helper, [])!, type: loweredType }),
  };
}

export const cpu = helperValue('cpu', 'get_smp_processor_id', u32);
export const rand = helperValue('rand', 'get_prandom_u32', u32);
export const cgroup = helperValue('cgroup', 'get_current_cgroup_id', u64);
/**
 * `curtask` is `struct task_struct *` (kernel memory), as in bpftrace: the script's own definition of
 * the struct when it has one (`struct task_struct { int x; }` reads curtask.x at offset 0), else
 * BTF's; a plain address without either.
 */
export const curtask: FunctionRecord = {
  ...helperValue('curtask', 'get_current_task', u64),
  check(context, call) {
    arity(context, call, 0, 0);
    const task = context.cType('struct task_struct');
    return task ? { kind: 'pointer', to: task, space: 'kernel' } : u64;
  },
};
export const jiffies = helperValue('jiffies', 'jiffies64', u64);
/** The NUMA node of the CPU running the program (bpf_get_numa_node_id). */
export const numaid = helperValue('numaid', 'get_numa_node_id', u32);
