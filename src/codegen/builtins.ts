// Builtin variables: each is one helper call or context read. Where a probe's arguments are is its
// provider's word (ArgumentPlace: a context slot, a register, user memory, a constant); this file
// only reads the place.
import { R0, R10, alu64, jmp, ldx, mov32, mov64, st, stx, type Register } from '../bpf/index.js';
import { loadConstant, storeBytes } from './memory.js';
import type { Type } from '../model/types.js';
import type { ArgumentPlace } from '../model/provider.js';
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
      const text = name === 'probe' ? attachment.name : lowering.program.probe.provider.functionName(context) ?? '';
      const size = type.kind === 'string' ? type.size : text.length + 1;
      const offset = e.allocate(size);
      storeBytes(e, offset, Buffer.from(text, 'latin1'), size, R0);
      return { kind: 'memory', offset, type };
    }
    const argument = /^arg([0-9])$/.exec(name);
    if (argument || name === 'retval') {
      const { provider, context } = lowering.program.probe;
      return readPlace(lowering, provider.argumentPlace(context, argument ? Number(argument[1]) : 'retval'), type);
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

/**
 * An argument where its provider says: a u64 context slot, a constant, a register (pt_regs), or user
 * memory at base + index × scale + offset, read with probe_read_user. Registers and memory are then
 * cut to their size and sign- or zero-extended to 64 bits.
 */
function readPlace(lowering: ExpressionLowering, place: ArgumentPlace, type: Type): Lowered {
  const e = lowering.e;
  const program = lowering.program;
  switch (place.kind) {
    case 'context': {
      const temp = e.pool.acquire();
      program.loadFromContext('dw', e.pool.writable(temp), place.offset);
      return { kind: 'register', temp, type };
    }
    case 'constant':
      return { kind: 'constant', value: place.value, type };
    case 'register': {
      const temp = e.pool.acquire();
      program.loadFromContext('dw', e.pool.writable(temp), place.offset);
      if (place.bitOffset) e.emit(alu64('rsh', e.pool.writable(temp), place.bitOffset));
      narrow(e, e.pool.writable(temp), place.size, place.signed);
      return { kind: 'register', temp, type };
    }
    case 'userMemory': {
      const address = e.pool.acquire();
      if (place.base !== undefined) program.loadFromContext('dw', e.pool.writable(address), place.base);
      else e.emit(mov64(e.pool.writable(address), 0));
      if (place.index !== undefined) {
        const index = e.pool.acquire();
        program.loadFromContext('dw', e.pool.writable(index), place.index);
        if (place.scale > 1) e.emit(alu64('lsh', e.pool.writable(index), Math.log2(place.scale)));
        e.emit(alu64('add', e.pool.writable(address), e.pool.read(index)));
        e.pool.release(index);
      }
      if (place.offset !== 0n) {
        if (fitsImmediate(place.offset)) e.emit(alu64('add', e.pool.writable(address), Number(BigInt.asIntN(64, place.offset))));
        else {
          const offset = e.pool.acquire();
          loadConstant(e, e.pool.writable(offset), place.offset);
          e.emit(alu64('add', e.pool.writable(address), e.pool.read(offset)));
          e.pool.release(offset);
        }
      }
      const slot = e.allocate(8, 8);
      e.emit(st('dw', R10, slot, 0));
      e.callHelper('probe_read_user', [{ kind: 'stack', offset: slot }, { kind: 'immediate', value: place.size }, { kind: 'temp', temp: address }], true);
      e.pool.release(address);
      const temp = e.pool.acquire();
      e.emit(ldx(sizeName(place.size), e.pool.writable(temp), R10, slot));
      if (place.signed && place.size < 8) signExtend(e, e.pool.writable(temp), place.size * 8);
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
