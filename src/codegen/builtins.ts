// Builtin variables: each is one helper call or context read.
import { R0, R10, alu64, jmp, ldx, mov32, st } from '../bpf/index.js';
import { storeBytes } from './memory.js';
import type { Type } from '../check/types.js';
import { GlobalsLayout } from './artifact.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';

export class Builtins {
  lower(lowering: ExpressionLowering, name: string, type: Type): Lowered {
    const e = lowering.e;
    const helperValue = (helper: Parameters<typeof e.callHelper>[0], adjust?: (target: ReturnType<typeof e.pool.writable>) => void): Lowered => {
      const temp = e.callHelper(helper, [])!;
      if (adjust) adjust(e.pool.writable(temp));
      return { kind: 'register', temp, type };
    };
    switch (name) {
      case 'pid': return helperValue('get_current_pid_tgid', (r) => e.emit(alu64('rsh', r, 32)));
      case 'tid': return helperValue('get_current_pid_tgid', (r) => e.emit(mov32(r, r)));
      case 'uid': return helperValue('get_current_uid_gid', (r) => e.emit(mov32(r, r)));
      case 'gid': return helperValue('get_current_uid_gid', (r) => e.emit(alu64('rsh', r, 32)));
      case 'cpu': return helperValue('get_smp_processor_id');
      case 'nsecs': return helperValue('ktime_get_ns');
      case 'rand': return helperValue('get_prandom_u32');
      case 'cgroup': return helperValue('get_current_cgroup_id');
      case 'curtask': return helperValue('get_current_task');
      case 'jiffies': return helperValue('jiffies64');
      case 'comm': {
        const offset = e.allocate(16);
        e.callHelper('get_current_comm', [{ kind: 'stack', offset }, { kind: 'immediate', value: 16 }], true);
        return { kind: 'memory', offset, type };
      }
      case 'elapsed': return this.elapsed(lowering, type);
    }
    if (name === 'probe' || name === 'func') {
      const attachment = lowering.program.probe.attachments[0]!;
      const context = lowering.program.probe.context;
      const text = name === 'probe' ? attachment.name : context.kind === 'registers' ? context.functionName ?? '' : '';
      const size = type.kind === 'string' ? type.size : text.length + 1;
      const offset = e.allocate(size);
      storeBytes(e, offset, Buffer.from(text, 'latin1'), size, R0);
      return { kind: 'memory', offset, type };
    }
    const argument = /^arg([0-9])$/.exec(name);
    if (argument || name === 'retval') {
      const temp = e.pool.acquire();
      const context = lowering.program.probe.context;
      const index = argument ? Number(argument[1]) : -1;
      // Raw tracepoints and fentry pass a u64 array; uprobes and kprobes pass struct pt_regs.
      const offset = context.kind === 'registers' ? (index < 0 ? PT_REGS.ax : PT_REGS.arguments[index]) : index * 8;
      if (offset === undefined) throw new Error(`internal error: arg${index} has no register`);
      e.emit(ldx('dw', e.pool.writable(temp), lowering.program.contextRegister(), offset));
      return { kind: 'register', temp, type };
    }
    throw new Error(`internal error: builtin ${name} has no code`);
  }

  /** nsecs minus the session start that userspace wrote into the globals map. */
  private elapsed(lowering: ExpressionLowering, type: Type): Lowered {
    const e = lowering.e;
    const globals = lowering.program.script.useGlobals();
    const now = e.callHelper('ktime_get_ns', [])!;
    const key = e.allocate(4, 4);
    e.emit(st('w', R10, key, 0));
    const pointer = e.callHelper('map_lookup_elem', [{ kind: 'map', name: globals }, { kind: 'stack', offset: key }])!;
    const missing = e.newLabel('noglobals');
    const pinned = e.pool.freeze();
    const base = e.pool.read(pointer);
    e.emit(jmp('eq', base, 0, missing));
    const scratch = e.pool.scratchRegister([base, e.pool.read(now)]);
    e.emit(ldx('dw', scratch, e.pool.read(pointer), GlobalsLayout.startNs));
    e.emit(alu64('sub', e.pool.writable(now), scratch));
    e.place(missing);
    e.pool.thaw(pinned);
    e.pool.release(pointer);
    return { kind: 'register', temp: now, type };
  }
}

/** x86-64 struct pt_regs: where the return value and the first six arguments sit (System V ABI). */
const PT_REGS = {
  ax: 80,
  arguments: [112, 104, 96, 88, 72, 64] as readonly number[], // di, si, dx, cx, r8, r9
} as const;
