// Builtin variables: each is one helper call or context read. Where a probe's arguments are depends
// on its provider: pt_regs registers (uprobe, kprobe), a u64 array (raw tracepoints, fentry), or the
// places a USDT note names (registers, memory, constants).
import { R0, R10, alu64, jmp, ldx, mov32, mov64, st, stx, type Register } from '../bpf/index.js';
import { loadConstant, storeBytes } from './memory.js';
import type { Type } from '../model/types.js';
import { ptRegsOffset } from '../elf/usdt-arguments.js';
import { type UsdtArgument } from '../model/probe.js';
import { functionNameOf } from '../providers/index.js';
import { GlobalsLayout } from '../model/artifact.js';
import type { Emitter } from './emitter.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { fitsImmediate, signExtend, sizeName } from './widths.js';

export class Builtins {
  lower(lowering: ExpressionLowering, name: string, type: Type): Lowered {
    const e = lowering.e;
    const helperValue = (helper: Parameters<typeof e.callHelper>[0], adjust?: (target: ReturnType<typeof e.pool.writable>) => void): Lowered => {
      const temp = e.callHelper(helper, [])!;
      if (adjust) adjust(e.pool.writable(temp));
      return { kind: 'register', temp, type };
    };
    switch (name) {
      case 'pid':
      case 'tid': {
        const adjust = (r: ReturnType<typeof e.pool.writable>) => e.emit(name === 'pid' ? alu64('rsh', r, 32) : mov32(r, r));
        const cached = lowering.program.pidTgidSlot;
        if (cached === undefined) return helperValue('get_current_pid_tgid', adjust);
        // Read once at program entry (see ProgramContext): a load instead of a helper call.
        const temp = e.pool.acquire();
        const target = e.pool.writable(temp);
        e.emit(ldx('dw', target, R10, cached));
        adjust(target);
        return { kind: 'register', temp, type };
      }
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
      const text = name === 'probe' ? attachment.name : functionNameOf(context) ?? '';
      const size = type.kind === 'string' ? type.size : text.length + 1;
      const offset = e.allocate(size);
      storeBytes(e, offset, Buffer.from(text, 'latin1'), size, R0);
      return { kind: 'memory', offset, type };
    }
    const argument = /^arg([0-9])$/.exec(name);
    if (argument || name === 'retval') {
      const context = lowering.program.probe.context;
      const index = argument ? Number(argument[1]) : -1;
      if (context.kind === 'registers' && context.usdtArguments) {
        const usdt = context.usdtArguments[index];
        if (!usdt) throw new Error(`internal error: the USDT probe has no arg${index}`);
        return usdtArgument(lowering, usdt, type);
      }
      // Raw tracepoints and fentry pass a u64 array (fexit's return value after the arguments);
      // uprobes and kprobes pass struct pt_regs.
      let offset: number | undefined;
      if (context.kind === 'registers') offset = index < 0 ? PT_REGS.ax : PT_REGS.arguments[index];
      else if (index >= 0) offset = index * 8;
      else if (context.kind === 'rawtracepoint' && context.kernelFunction) offset = context.kernelFunction.returnSlot * 8;
      if (offset === undefined) throw new Error(`internal error: ${name} has no place in this probe's context`);
      const temp = e.pool.acquire();
      lowering.program.loadFromContext('dw', e.pool.writable(temp), offset);
      return { kind: 'register', temp, type };
    }
    throw new Error(`internal error: builtin ${name} has no code`);
  }

  /**
   * nsecs minus the session start that userspace wrote into the globals map. The start goes through
   * a stack slot so that only one temporary is live at a time: inside a `?:` or a comparison the
   * outer values are pinned, and holding the clock and the map pointer together ran out of
   * registers (`pid <= (elapsed > 50 ? 1 : 2)` failed to compile).
   */
  private elapsed(lowering: ExpressionLowering, type: Type): Lowered {
    const e = lowering.e;
    const globals = lowering.program.script.useGlobals();
    const start = e.allocate(8);
    e.emit(st('dw', R10, start, 0));
    const key = e.allocate(4, 4);
    e.emit(st('w', R10, key, 0));
    const pointer = e.callHelper('map_lookup_elem', [{ kind: 'map', name: globals }, { kind: 'stack', offset: key }])!;
    const missing = e.newLabel('noglobals');
    const pinned = e.pool.freeze();
    const base = e.pool.read(pointer);
    e.emit(jmp('eq', base, 0, missing));
    const scratch = e.pool.scratchRegister([base]);
    e.emit(ldx('dw', scratch, base, GlobalsLayout.startNs));
    e.emit(stx('dw', R10, start, scratch));
    e.place(missing);
    e.pool.thaw(pinned);
    e.pool.release(pointer);
    const now = e.callHelper('ktime_get_ns', [])!;
    const target = e.pool.writable(now);
    const startValue = e.pool.scratchRegister([target]);
    e.emit(ldx('dw', startValue, R10, start));
    e.emit(alu64('sub', target, startValue));
    return { kind: 'register', temp: now, type };
  }
}

/** x86-64 struct pt_regs: where the return value and the first six arguments sit (System V ABI). */
const PT_REGS = {
  ax: 80,
  arguments: [112, 104, 96, 88, 72, 64] as readonly number[], // di, si, dx, cx, r8, r9
} as const;

/**
 * A USDT argument where its note says: a register of the probed thread (pt_regs), a constant, or
 * user memory at base + index × scale + offset, read with probe_read_user. Then cut to its size and
 * sign- or zero-extended to 64 bits.
 */
function usdtArgument(lowering: ExpressionLowering, argument: UsdtArgument, type: Type): Lowered {
  const e = lowering.e;
  const program = lowering.program;
  const location = argument.location;
  switch (location.kind) {
    case 'constant': {
      const bits = argument.size * 8;
      return { kind: 'constant', value: argument.signed ? BigInt.asIntN(bits, location.value) : BigInt.asUintN(bits, location.value), type };
    }
    case 'register': {
      const temp = e.pool.acquire();
      program.loadFromContext('dw', e.pool.writable(temp), ptRegsOffset(location.register));
      if (location.bitOffset) e.emit(alu64('rsh', e.pool.writable(temp), location.bitOffset));
      narrow(e, e.pool.writable(temp), argument.size, argument.signed);
      return { kind: 'register', temp, type };
    }
    case 'memory': {
      const address = e.pool.acquire();
      if (location.base) program.loadFromContext('dw', e.pool.writable(address), ptRegsOffset(location.base));
      else e.emit(mov64(e.pool.writable(address), 0));
      if (location.index) {
        const index = e.pool.acquire();
        program.loadFromContext('dw', e.pool.writable(index), ptRegsOffset(location.index));
        if (location.scale > 1) e.emit(alu64('lsh', e.pool.writable(index), Math.log2(location.scale)));
        e.emit(alu64('add', e.pool.writable(address), e.pool.read(index)));
        e.pool.release(index);
      }
      if (location.offset !== 0n) {
        if (fitsImmediate(location.offset)) e.emit(alu64('add', e.pool.writable(address), Number(BigInt.asIntN(64, location.offset))));
        else {
          const offset = e.pool.acquire();
          loadConstant(e, e.pool.writable(offset), location.offset);
          e.emit(alu64('add', e.pool.writable(address), e.pool.read(offset)));
          e.pool.release(offset);
        }
      }
      const slot = e.allocate(8, 8);
      e.emit(st('dw', R10, slot, 0));
      e.callHelper('probe_read_user', [{ kind: 'stack', offset: slot }, { kind: 'immediate', value: argument.size }, { kind: 'temp', temp: address }], true);
      e.pool.release(address);
      const temp = e.pool.acquire();
      e.emit(ldx(sizeName(argument.size), e.pool.writable(temp), R10, slot));
      if (argument.signed && argument.size < 8) signExtend(e, e.pool.writable(temp), argument.size * 8);
      return { kind: 'register', temp, type };
    }
  }
}

/** Keeps the low `size` bytes of `target`, extended by sign or with zeros. */
function narrow(e: Emitter, target: Register, size: 1 | 2 | 4 | 8, signed: boolean): void {
  if (size === 8) return;
  if (signed) signExtend(e, target, size * 8);
  else if (size === 4) e.emit(mov32(target, target));
  else e.emit(alu64('and', target, size === 1 ? 0xff : 0xffff));
}
