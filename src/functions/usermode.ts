// usermode: 1 when the probe fired while the CPU ran user code, as bpftrace computes it on x86-64:
// the privilege level in the low two bits of the saved CS register is 3. Only contexts that hold the
// interrupted registers (kprobe, uprobe, usdt: pt_regs; profile, interval, software, hardware: perf
// event data, pt_regs first) can tell; elsewhere bpftrace folds it to a constant, and so do we:
// 1 in BEGIN/END (run from userspace), 0 in tracepoints, raw tracepoints and fentry/fexit.
import { alu64 } from '../bpf/index.js';
import { u8 } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

/** Offset of `cs` in x86-64 `struct pt_regs` (arch/x86/include/asm/ptrace.h). */
const PT_REGS_CS = 136;

export const usermode: FunctionRecord = {
  name: 'usermode',
  bare: true,
  check(context, call) {
    arity(context, call, 0, 0);
    return u8;
  },
  lower(lowering, _call, type) {
    const kind = lowering.program.probe.context.kind;
    if (kind !== 'registers' && kind !== 'perf') return { kind: 'constant', value: kind === 'special' ? 1n : 0n, type };
    const e = lowering.e;
    const temp = e.pool.acquire();
    const target = e.pool.writable(temp);
    lowering.program.loadFromContext('dw', target, PT_REGS_CS);
    // (cs & 3) is 0..3; adding 1 and shifting right by 2 gives 1 for 3 alone: no branch needed.
    e.emit(alu64('and', target, 3));
    e.emit(alu64('add', target, 1));
    e.emit(alu64('rsh', target, 2));
    return { kind: 'register', temp, type };
  },
};
