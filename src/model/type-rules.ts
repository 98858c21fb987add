// How types combine: what a map or variable stores for a value, which two types can share a slot,
// and the type of a tracepoint field from its tracefs declaration.
import type { TracepointField } from './probe.js';
import { integer, sameType, stringType, u8, type IntegerBits, type Type } from './types.js';

/**
 * What a map or variable stores: a bare integer widens to 64 bits (sign kept). A tuple is stored as
 * it is, each element at its own width (bpftrace packs `((int8)1, (int32)2)` into 8 bytes).
 */
export function storageType(type: Type): Type {
  if (type.kind !== 'integer' || type.bits === 64) return type;
  return type.enum ? { ...type, bits: 64 } : integer(64, type.signed);
}

/** The type both `a` and `b` fit in (wider string, signed-if-either integer), or undefined. */
export function unify(a: Type, b: Type): Type | undefined {
  if (a.kind === 'integer' && b.kind === 'integer') {
    const bits = Math.max(a.bits, b.bits) as IntegerBits;
    // Values of one enum stay of it (they print by name).
    if (a.enum && b.enum?.name === a.enum.name) return { kind: 'integer', bits, signed: a.signed || b.signed, enum: a.enum };
    return integer(bits, a.signed || b.signed);
  }
  if ((a.kind === 'integer' && b.kind === 'boolean') || (a.kind === 'boolean' && b.kind === 'integer')) {
    return a.kind === 'integer' ? a : b;
  }
  if (a.kind === 'string' && b.kind === 'string') return stringType(Math.max(a.size, b.size));
  if (a.kind === 'buffer' && b.kind === 'buffer') return { kind: 'buffer', size: Math.max(a.size, b.size) };
  if (a.kind === 'tuple' && b.kind === 'tuple') {
    if (a.elements.length !== b.elements.length) return undefined;
    const elements: Type[] = [];
    for (let index = 0; index < a.elements.length; index++) {
      const element = unify(a.elements[index]!, b.elements[index]!);
      if (!element) return undefined;
      elements.push(element);
    }
    return { kind: 'tuple', elements };
  }
  if (a.kind === b.kind && (a.kind === 'boolean' || a.kind === 'none')) return a;
  if (a.kind === 'pointer' && b.kind === 'pointer') return a;
  if (sameType(a, b)) return a;
  return undefined;
}

/** The type of `args.<field>`: integers by size and sign, `char[N]` as a string, pointers by space. */
export function fieldType(field: TracepointField, category: string): Type {
  const base = field.type.replace(/\b(const|volatile|__user)\b/g, '').replace(/\s+/g, ' ').trim();
  if (field.isDataLoc) return stringType(Math.max(field.size, 64));
  if (field.arrayLength !== undefined && /^(unsigned )?char$/.test(base)) return stringType(field.arrayLength);
  if (field.arrayLength !== undefined && field.arrayLength > 0 && !base.endsWith('*')) {
    // `unsigned long args[6]`: an array of integers of the element's size.
    const elementSize = field.size / field.arrayLength;
    if ([1, 2, 4, 8].includes(elementSize)) {
      return { kind: 'array', element: integer((elementSize * 8) as IntegerBits, field.signed || signedIntegerTypes.test(base)), length: field.arrayLength };
    }
  }
  if (base.endsWith('*')) {
    // Syscall tracepoints carry user-space pointers; other tracepoints point into the kernel.
    return { kind: 'pointer', to: base.startsWith('char') ? u8 : u8, space: category === 'syscalls' ? 'user' : 'kernel' };
  }
  const bits = [1, 2, 4, 8].includes(field.size) ? (field.size * 8) as IntegerBits : 64;
  // Syscall records mark their `int` fields signed:0; the declared C type decides, as in bpftrace.
  return integer(bits, field.signed || signedIntegerTypes.test(base));
}

/** C integer types that are signed whatever the format file's `signed:` says. */
const signedIntegerTypes = /^(signed )?(short|int|long|long long)( int)?$|^(__)?s(8|16|32|64)$/;

/** Whether a value of type `value` may be stored where `target` is declared (a variable, a `let`). */
export function assignable(target: Type, value: Type): boolean {
  if (target.kind === 'integer' && (value.kind === 'integer' || value.kind === 'boolean')) return true;
  if (target.kind === 'string' && value.kind === 'string') return value.size <= target.size;
  // As in C, a void * goes to and from any pointer.
  if (target.kind === 'pointer' && value.kind === 'pointer') return sameType(target, value) || target.to.kind === 'none' || value.to.kind === 'none';
  if (target.kind === 'tuple' && value.kind === 'tuple') return sameType(target, storageType(value)) || unify(target, value) !== undefined && sameType(unify(target, value)!, target);
  return sameType(target, value);
}
