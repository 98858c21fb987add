// Builtin variables that belong to the probe's provider: `func`, and argN/retval, whose place is the
// provider's word (ArgumentPlace: a context slot, a register, user memory, a constant); this file
// only reads the place. Builtins that mean the same in every probe are function records.
import { R0, R10, alu64, ldx, mov32, mov64, st, type Register } from '../bpf/index.js';
import { loadConstant, storeBytes } from './memory.js';
import type { Type } from '../model/types.js';
import type { ArgumentPlace } from '../model/provider.js';
import type { Emitter } from './emitter.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { fitsImmediate, signExtend, sizeName } from './widths.js';

/**
 * The builtins whose meaning is the probe's provider's: `func` (a constant of the attach point) and
 * argN/retval (read where the provider says they are). The others are function records.
 */
export function lowerProviderBuiltin(lowering: ExpressionLowering, name: string, type: Type): Lowered {
  const { provider, context } = lowering.program.probe;
  if (name === 'func') {
    const text = provider.functionName(context) ?? '';
    const size = type.kind === 'string' ? type.size : text.length + 1;
    const offset = lowering.e.allocate(size);
    storeBytes(lowering.e, offset, Buffer.from(text, 'latin1'), size, R0);
    return { kind: 'memory', offset, type };
  }
  const argument = /^arg([0-9])$/.exec(name);
  if (argument || name === 'retval') return readPlace(lowering, provider.argumentPlace(context, argument ? Number(argument[1]) : 'retval'), type);
  throw new Error(`internal error: builtin ${name} has no code`);
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
