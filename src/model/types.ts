// The types of tsbpf values, and their memory layout (bpftrace's packing: each field at its in-tuple
// alignment, padding zeroed by the code generator). Kept free of AST and codegen knowledge so every stage can share it.

export type IntegerBits = 8 | 16 | 32 | 64;

export type Type =
  /** `enum`: an enum-typed integer prints its enumerator's name (text, printf %s), as bpftrace's. */
  | { readonly kind: 'integer'; readonly bits: IntegerBits; readonly signed: boolean; readonly enum?: EnumInfo }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string'; readonly size: number } // fixed capacity in bytes, NUL included
  | { readonly kind: 'buffer'; readonly size: number } // buf(): u32 length + bytes
  | { readonly kind: 'tuple'; readonly elements: readonly Type[] }
  /** `void *` points to `none` (arithmetic steps by 1 byte). */
  | { readonly kind: 'pointer'; readonly to: Type; readonly space: AddressSpace }
  | { readonly kind: 'array'; readonly element: Type; readonly length: number }
  /**
   * A C struct or union (`name` is `struct task_struct`, `union u`), or a bpftrace record. Kernel types
   * come from BTF (`btfId`) with `fields` computed when first read (task_struct's graph is large);
   * script-defined ones are laid out by C rules. `align` is C's alignment of the whole.
   */
  | { readonly kind: 'record'; readonly name: string; readonly size: number; readonly fields: readonly RecordField[]; readonly align?: number; readonly union?: boolean; readonly btfId?: number }
  | { readonly kind: 'stack'; readonly space: 'kernel' | 'user'; readonly limit: number; readonly mode: 'bpftrace' | 'perf' | 'raw' }
  | { readonly kind: 'symbol'; readonly space: 'kernel' | 'user' } // ksym/usym: an address printed as a name
  | { readonly kind: 'timestamp'; readonly format: string } // strftime(): ns since boot, printed with `format`
  | { readonly kind: 'inet' } // ntop(): u64 address family, then 16 address bytes
  /** An s64 whose text only userspace knows (strerror): the function record `by` prints it. */
  | { readonly kind: 'formatted'; readonly by: string }
  | { readonly kind: 'none' }; // statements and functions with no value

export type AddressSpace = 'kernel' | 'user' | 'unknown';

/** A stack's depth when none is given, and the frames each stack-map entry holds (perf_event_max_stack here is 127). */
export const DEFAULT_STACK_LIMIT = 127;

export interface RecordField {
  readonly name: string;
  readonly type: Type;
  readonly offset: number; // bytes
  readonly bitOffset?: number; // for bitfields, within the byte at `offset`
  readonly bitSize?: number;
  /**
   * Member indices from the record down to this field (one per level: anonymous members are
   * flattened into their parent), the access path a CO-RE relocation would name.
   */
  readonly path?: readonly number[];
}

/** An enum's name and enumerators (kernel enums from BTF, script enums from their definition). */
export interface EnumInfo {
  readonly name: string;
  readonly values: readonly { readonly name: string; readonly value: bigint }[];
}

export const u8: Type = { kind: 'integer', bits: 8, signed: false };
export const u16: Type = { kind: 'integer', bits: 16, signed: false };
export const u32: Type = { kind: 'integer', bits: 32, signed: false };
export const u64: Type = { kind: 'integer', bits: 64, signed: false };
export const s8: Type = { kind: 'integer', bits: 8, signed: true };
export const s16: Type = { kind: 'integer', bits: 16, signed: true };
export const s32: Type = { kind: 'integer', bits: 32, signed: true };
export const s64: Type = { kind: 'integer', bits: 64, signed: true };
export const booleanType: Type = { kind: 'boolean' };
export const noneType: Type = { kind: 'none' };

export function integer(bits: IntegerBits, signed: boolean): Type {
  return { kind: 'integer', bits, signed };
}

export function stringType(size: number): Type {
  return { kind: 'string', size };
}

/** Size in bytes of a value of this type in a map, a record or on the stack. */
export function sizeOf(type: Type): number {
  switch (type.kind) {
    case 'integer': return type.bits / 8;
    case 'boolean': return 1;
    case 'string': return type.size;
    case 'buffer': return 4 + type.size;
    case 'tuple': return tupleLayout(type.elements).size;
    case 'pointer': return 8;
    case 'array': return sizeOf(type.element) * type.length;
    case 'record': return type.size;
    // s32 stack id; ustack adds the u32 pid and u32 user code number (symbols), and 4 zero bytes
    case 'stack': return type.space === 'user' ? 16 : 8;
    case 'inet': return 24;
    case 'symbol': return type.space === 'user' ? 16 : 8; // address; usym adds the pid and the user code number
    case 'timestamp': return 8;
    case 'formatted': return 8;
    case 'none': return 0;
  }
}

/**
 * A value's alignment inside a tuple, a multi-key map key or an output record (bpftrace's in-tuple
 * alignment): byte sequences (strings, buffers, usym, inet) 1; tuples and C structs their own; arrays
 * their element's; others by size — up to 2 bytes their size, then 4, then 8. Byte sequences are
 * copied in and out with access widths picked from the offset (the verifier wants aligned stack
 * access), so a buffer's u32 length may sit at any byte.
 */
export function alignOf(type: Type): number {
  switch (type.kind) {
    case 'string': case 'buffer': case 'inet': return 1;
    case 'symbol': return type.space === 'user' ? 1 : 8;
    case 'tuple': return Math.max(1, ...type.elements.map(alignOf));
    case 'record': return type.align ?? Math.min(8, Math.max(1, ...type.fields.map((field) => alignOf(field.type))));
    case 'array': return alignOf(type.element);
    default: {
      const size = sizeOf(type);
      return size <= 2 ? Math.max(1, size) : size <= 4 ? 4 : 8;
    }
  }
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export interface TupleLayout {
  readonly offsets: readonly number[];
  readonly size: number;
}

/**
 * The layout of a tuple (and of a multi-key map key, and of an output record): each element at its
 * alignOf(), the whole padded to the largest — bpftrace's, so `((int8)1, (int32)2)` takes 8 bytes.
 * Every reader and writer of tuple memory takes its offsets from here.
 */
export function tupleLayout(elements: readonly Type[]): TupleLayout {
  const offsets: number[] = [];
  let offset = 0;
  let maxAlign = 1;
  for (const element of elements) {
    const align = alignOf(element);
    maxAlign = Math.max(maxAlign, align);
    offset = alignUp(offset, align);
    offsets.push(offset);
    offset += sizeOf(element);
  }
  return { offsets, size: alignUp(offset, maxAlign) };
}

export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'integer': return b.kind === 'integer' && a.bits === b.bits && a.signed === b.signed;
    case 'string': return b.kind === 'string' && a.size === b.size;
    case 'buffer': return b.kind === 'buffer' && a.size === b.size;
    case 'tuple': return b.kind === 'tuple' && a.elements.length === b.elements.length && a.elements.every((e, i) => sameType(e, b.elements[i]!));
    case 'pointer': return b.kind === 'pointer' && sameType(a.to, b.to);
    case 'array': return b.kind === 'array' && a.length === b.length && sameType(a.element, b.element);
    case 'record': return b.kind === 'record' && a.name === b.name;
    case 'stack': return b.kind === 'stack' && a.space === b.space && a.limit === b.limit && a.mode === b.mode;
    case 'symbol': return b.kind === 'symbol' && a.space === b.space;
    case 'timestamp': return b.kind === 'timestamp' && a.format === b.format;
    case 'formatted': return b.kind === 'formatted' && a.by === b.by;
    default: return true;
  }
}

/** Whether a value of this type lives in a register (true) or in memory (strings, tuples, …). */
export function isScalar(type: Type): boolean {
  return type.kind === 'integer' || type.kind === 'boolean' || type.kind === 'pointer' || type.kind === 'timestamp';
}

/** How the user sees a type in diagnostics: `uint64`, `string[64]`, `(int64, string[16])`. */
export function typeName(type: Type): string {
  switch (type.kind) {
    case 'integer': return type.enum ? `enum ${type.enum.name}` : `${type.signed ? 'int' : 'uint'}${type.bits}`;
    case 'boolean': return 'bool';
    case 'string': return `string[${type.size}]`;
    case 'buffer': return `buffer[${type.size}]`;
    case 'tuple': return `(${type.elements.map(typeName).join(', ')})`;
    case 'pointer': return `${type.to.kind === 'none' ? 'void' : typeName(type.to)} *`;
    case 'array': return `${typeName(type.element)}[${type.length}]`;
    case 'record': return type.name;
    case 'stack': return type.space === 'kernel' ? 'kstack' : 'ustack';
    case 'symbol': return type.space === 'kernel' ? 'ksym' : 'usym';
    case 'timestamp': return 'timestamp';
    case 'inet': return 'inet';
    case 'formatted': return type.by;
    case 'none': return 'none';
  }
}
