// Builtin variables that belong to the probe's provider: `func`, and argN/retval, whose place is the
// provider's word (ArgumentPlace: a context slot, a register, user memory, a constant); this file
// only reads the place. Builtins that mean the same in every probe are function records.
import { MapType, R0, R10, alu64, ja, jmp, ldx, mov32, mov64, st, stx, type Register } from '../bpf/index.js';
import { copyToStack, loadConstant, storeBytes, zeroFill } from './memory.js';
import type { MapDescription } from '../model/artifact.js';
import type { ScriptContext } from './program-context.js';
import type { Type } from '../model/types.js';
import type { ArgumentPlace } from '../model/provider.js';
import type { Emitter } from './emitter.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { fitsImmediate, signExtend, sizeName } from './widths.js';
import { callProbeRead } from './probe-read.js';

/**
 * The builtins whose meaning is the probe's provider's: `func` (a constant of the attach point, or
 * chosen by the attach cookie) and argN/retval (read where the provider says they are). The others are function records.
 */
export function lowerProviderBuiltin(lowering: ExpressionLowering, name: string, type: Type): Lowered {
  const { provider, context } = lowering.program.probe;
  const functionsByCookie = name === 'func' ? provider.functionByCookie?.(context) : undefined;
  if (functionsByCookie) return lowerFunctionByCookie(lowering, functionsByCookie, type);
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
 * `func` of a program serving several functions through one link: the name at the attach cookie's
 * index in a constant array map (one entry per function, NUL-padded to the longest name).
 */
function lowerFunctionByCookie(lowering: ExpressionLowering, names: readonly string[], type: Type): Lowered {
  const e = lowering.e;
  const table = stringTable(lowering.program.script, names);
  const size = type.kind === 'string' ? type.size : table.valueSize;
  const offset = e.allocate(size);
  const key = e.allocate(4, 4);
  const cookie = e.callHelper('get_attach_cookie', [lowering.program.contextArgument()])!;
  e.emit(stx('w', R10, key, e.pool.read(cookie)));
  e.pool.release(cookie);
  const pointer = e.callHelper('map_lookup_elem', [{ kind: 'map', name: table.name }, { kind: 'stack', offset: key }])!;
  const found = e.newLabel('func_found');
  const done = e.newLabel('func_done');
  const pinned = e.pool.freeze();
  const base = e.pool.read(pointer);
  e.emit(jmp('ne', base, 0, found));
  zeroFill(e, offset, size);
  e.emit(ja(done));
  e.place(found);
  copyToStack(e, base, 0, offset, Math.min(size, table.valueSize), e.pool.scratchRegister([base]));
  if (size > table.valueSize) zeroFill(e, offset + table.valueSize, size - table.valueSize);
  e.place(done);
  e.pool.thaw(pinned);
  e.pool.release(pointer);
  return { kind: 'memory', offset, type };
}

/** The constant map holding `strings` (one per index), made once per list. */
function stringTable(script: ScriptContext, strings: readonly string[]): MapDescription {
  const valueSize = Math.ceil((Math.max(...strings.map((text) => text.length)) + 1) / 8) * 8;
  const contents = strings.map((text) => {
    const value = new Uint8Array(valueSize);
    value.set(Buffer.from(text, 'latin1'));
    return value;
  });
  const same = script.constantMaps.find((map) => map.maxEntries === contents.length && map.valueSize === valueSize
    && map.contents!.every((value, index) => Buffer.compare(value, contents[index]!) === 0));
  if (same) return same;
  const table: MapDescription = {
    name: `tsbpf_names${script.constantMaps.length}`, role: 'constants', mapType: MapType.ARRAY, keySize: 4, valueSize,
    // Not BPF_F_RDONLY_PROG: the verifier then reads a frozen map's values as constants, which it can
    // only do for a one-entry array.
    maxEntries: contents.length, flags: 0, perCpu: false, contents,
  };
  script.constantMaps.push(table);
  return table;
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
      callProbeRead(lowering, 'probe_read_user', [{ kind: 'stack', offset: slot }, { kind: 'immediate', value: place.size }, { kind: 'temp', temp: address }]);
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
