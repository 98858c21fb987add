// ppid, pcomm, leader_tid, leader_comm: bpftrace's stdlib macros over a task (curtask when called
// without one), each a walk through struct task_struct's fields. The call is checked and lowered as
// the field accesses it stands for, so it reads, types and prints exactly as the walk written out
// (`curtask->real_parent->pid`) does, through BTF or the script's own struct task_struct.
import type { CallExpression, Expression } from '../parser/ast.js';
import { s64, typeName } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

function taskWalk(name: string, fields: readonly string[]): FunctionRecord {
  // One expansion per call, shared by the checker (which types its nodes) and code generation.
  const expansions = new WeakMap<CallExpression, Expression>();
  const expansion = (call: CallExpression): Expression => {
    let walk = expansions.get(call);
    if (!walk) {
      const span = call.span;
      walk = call.arguments[0] ?? { kind: 'call', span, name: 'curtask', arguments: [] };
      for (const field of fields) walk = { kind: 'fieldAccess', span, object: walk, field, arrow: true };
      expansions.set(call, walk);
    }
    return walk;
  };
  return {
    name,
    bare: true,
    check(context, call) {
      if (!arity(context, call, 0, 1)) return s64;
      const task = call.arguments[0];
      if (task) {
        // One error for the argument, not one per field of the walk.
        const type = context.expression(task);
        const pointee = type.kind === 'pointer' ? type.to : type;
        if (pointee.kind !== 'record') {
          context.diagnostics.error(task.span, `${name}() needs a struct task_struct *, not ${typeName(type)}`);
          return s64;
        }
      }
      return context.expression(expansion(call));
    },
    lower: (lowering, call) => lowering.lower(expansion(call)),
  };
}

/** The parent process's pid: `task.real_parent.pid` (not the group leader's: see leader_tid). */
export const ppid = taskWalk('ppid', ['real_parent', 'pid']);
/** The parent process's name: `task.real_parent.comm`. */
export const pcomm = taskWalk('pcomm', ['real_parent', 'comm']);
/** The thread group leader's thread id: `task.group_leader.pid`. */
export const leaderTid = taskWalk('leader_tid', ['group_leader', 'pid']);
/** The thread group leader's name: `task.group_leader.comm`. */
export const leaderComm = taskWalk('leader_comm', ['group_leader', 'comm']);
