// Address spaces of C types: which helper reads what a pointer points to. The kernel's BTF types are
// built pointing into the kernel; a type reached through a user-space pointer is the same type with
// every pointer inside it in user space (bpftrace: a field takes the address space of the struct it
// is read from), made once per (record, space) and as lazily as the original.
import type { ProbeContext } from '../model/probe.js';
import type { AddressSpace, RecordField, Type } from '../model/types.js';

/** Records in another address space, made once per (record, space). */
const spaced = new WeakMap<object, Map<AddressSpace, Type>>();
/** The space every pointer inside a record points into, for records made that way. */
const nativeSpace = new WeakMap<object, AddressSpace>();

/** Marks a record whose pointers all point into `space` (the kernel's BTF records: kernel). */
export function markSpace(record: Type, space: AddressSpace): Type {
  nativeSpace.set(record, space);
  return record;
}

/**
 * `type` read from `space`: every pointer in it (through fields, array elements and pointees) points
 * into `space`. Records are copied lazily and once; integers and strings are unchanged.
 */
export function inSpace(type: Type, space: AddressSpace): Type {
  switch (type.kind) {
    case 'pointer': {
      const to = inSpace(type.to, space);
      return to === type.to && type.space === space ? type : { kind: 'pointer', to, space };
    }
    case 'array': {
      const element = inSpace(type.element, space);
      return element === type.element ? type : { ...type, element };
    }
    case 'record': {
      if (nativeSpace.get(type) === space) return type;
      let copies = spaced.get(type);
      if (!copies) spaced.set(type, (copies = new Map()));
      const known = copies.get(space);
      if (known) return known;
      const original = type;
      let fields: readonly RecordField[] | undefined;
      const copy = { kind: 'record' as const, name: type.name, size: type.size, ...(type.union ? { union: true } : {}), ...(type.btfId !== undefined ? { btfId: type.btfId } : {}) };
      Object.defineProperty(copy, 'fields', { enumerable: true, get: () => (fields ??= original.fields.map((field) => ({ ...field, type: inSpace(field.type, space) }))) });
      Object.defineProperty(copy, 'align', { enumerable: true, get: () => original.align });
      const result = copy as unknown as Type;
      copies.set(space, result);
      nativeSpace.set(result, space);
      return result;
    }
    default:
      return type;
  }
}

/**
 * Where an address without a space of its own points in this probe: user memory for uprobes and usdt,
 * the kernel for every other probe (tsbpf's choice for BEGIN/END, interval and profile, where
 * bpftrace has none; uptr() is the way to say otherwise).
 */
export function probeSpace(context: ProbeContext): 'kernel' | 'user' {
  return context.kind === 'registers' ? context.space : 'kernel';
}

/** The space `args` fields point into: user memory for syscall tracepoints, the kernel otherwise. */
export function argumentsSpace(context: ProbeContext): 'kernel' | 'user' {
  return context.kind === 'tracepoint' && context.category === 'syscalls' ? 'user' : probeSpace(context);
}
