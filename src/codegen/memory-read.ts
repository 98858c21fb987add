// Reading C memory: `a.b->c`, `*p`, `a[i]`. A struct or array stays an address (a Place) while the
// chain goes on, so `curtask->real_parent->pid` is two reads (the pointer, then the int) whatever the
// offsets in between; only a scalar leaf, or a whole value wanted in BPF memory, is read — with
// bpf_probe_read_kernel or _user by the address space of the pointer it was reached through, or by
// direct loads when the value already is on the stack or in the probe's context.
import { R0, R10, alu64, ja, jmp, lddw, ldx, mov64, st, stx, type Register } from '../bpf/index.js';
import type { Expression, FieldAccess, IndexExpression, UnaryExpression } from '../parser/ast.js';
import { isScalar, sizeOf, tupleLayout, u64, integer, type IntegerBits, type RecordField, type Type } from '../model/types.js';
import { idOnly, emitRecordOf } from './calls.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { zeroFill } from './memory.js';
import type { Temp } from './registers.js';
import { fitsImmediate, signExtend, sizeName } from './widths.js';
import { callProbeRead } from './probe-read.js';

/** Where a value is before it is read; `bits` for a bitfield (from the byte at `offset`). */
type Place =
  | { readonly kind: 'external'; readonly base: Temp; readonly offset: number; readonly space: 'kernel' | 'user'; readonly type: Type; readonly bits?: Bits }
  | { readonly kind: 'stack'; readonly offset: number; readonly type: Type; readonly bits?: Bits };

interface Bits {
  readonly offset: number;
  readonly size: number;
}

export const arrayBoundsMessage = 'Array access out of bounds. This can lead to unexpected results.';

/** Whether `expression` reads C memory (a field of a struct, a dereference, an index). */
export function readsMemory(lowering: ExpressionLowering, expression: Expression): boolean {
  if (expression.kind === 'fieldAccess') return !lowering.isArgs(expression.object);
  if (expression.kind === 'unary') return expression.operator === '*';
  return expression.kind === 'index';
}

/** The value of a memory-reading expression: scalars in a register, structs, arrays and strings on the stack. */
export function lowerMemoryRead(lowering: ExpressionLowering, expression: FieldAccess | UnaryExpression | IndexExpression, type: Type): Lowered {
  return materialize(lowering, placeOf(lowering, expression), type);
}

/** Writes a memory-reading expression's value straight to the stack at `offset` (a map key, a variable, a record). */
export function lowerMemoryReadInto(lowering: ExpressionLowering, expression: Expression, offset: number, type: Type): boolean {
  if (!readsMemory(lowering, expression)) return false;
  const sourceType = lowering.typeOf(expression);
  if (isScalar(sourceType) || sourceType.kind !== type.kind || sizeOf(sourceType) > sizeOf(type)) return false;
  const place = placeOf(lowering, expression);
  const size = sizeOf(sourceType);
  if (size < sizeOf(type)) zeroFill(lowering.e, offset + size, sizeOf(type) - size);
  copyPlace(lowering, place, offset, size);
  return true;
}

/** `&$x`: the address of the variable's slot (on the stack, or in the scratch area). */
export function lowerAddressOf(lowering: ExpressionLowering, expression: UnaryExpression, type: Type): Lowered {
  const slot = lowering.program.statements.declareSlot(expression.operand as Extract<Expression, { kind: 'variable' }>);
  const temp = lowering.e.pool.acquire();
  lowering.e.address(lowering.e.pool.writable(temp), slot.offset);
  return { kind: 'register', temp, type };
}

/** `p + n`, `n + p`, `p - n`: the integer scaled by the pointee's size (void * by 1). */
export function lowerPointerArithmetic(lowering: ExpressionLowering, left: Expression, right: Expression, operator: '+' | '-', type: Type): Lowered {
  const e = lowering.e;
  const pointerFirst = lowering.typeOf(left).kind === 'pointer';
  const stride = stepOf(lowering.typeOf(pointerFirst ? left : right));
  const pointer = lowering.lower(pointerFirst ? left : right);
  const amount = lowering.lower(pointerFirst ? right : left);
  if (pointer.kind === 'constant' && amount.kind === 'constant') {
    const step = amount.value * BigInt(stride);
    return { kind: 'constant', value: BigInt.asUintN(64, operator === '+' ? pointer.value + step : pointer.value - step), type };
  }
  const temp = lowering.ownTemp(pointer);
  const bytes = (operator === '+' ? 1n : -1n) * (amount.kind === 'constant' ? amount.value * BigInt(stride) : 0n);
  if (amount.kind === 'constant' && fitsImmediate(bytes)) {
    // Always an add: the verifier refuses any subtraction from a stack pointer (`&$x - 1`).
    e.emit(alu64('add', e.pool.writable(temp), Number(BigInt.asIntN(64, bytes))));
    return { kind: 'register', temp, type };
  }
  const step = lowering.ownTemp(amount);
  if (stride > 1) e.emit(alu64('mul', e.pool.writable(step), stride));
  const target = e.pool.writable(temp);
  e.emit(alu64(operator === '+' ? 'add' : 'sub', target, e.pool.read(step, e.pool.scratchRegister([target]))));
  e.pool.release(step);
  return { kind: 'register', temp, type };
}

/** The bytes one step of a pointer of this type moves (`p + 1`, `p++`): the pointee's size, 1 for void *; 1 for integers. */
export function stepOf(type: Type): number {
  return type.kind === 'pointer' && type.to.kind !== 'none' ? Math.max(1, sizeOf(type.to)) : 1;
}

/** `amount` pointer steps of `type` in bytes (`@p += 2` on an int32 * adds 8). */
export function scaleStep(lowering: ExpressionLowering, amount: Lowered, type: Type): Lowered {
  const stride = stepOf(type);
  if (stride === 1) return amount;
  if (amount.kind === 'constant') return { ...amount, value: amount.value * BigInt(stride) };
  const temp = lowering.ownTemp(amount);
  lowering.e.emit(alu64('mul', lowering.e.pool.writable(temp), stride));
  return { kind: 'register', temp, type: amount.type };
}

function placeOf(lowering: ExpressionLowering, expression: Expression): Place {
  return lowering.e.at(expression.span, () => {
    if (expression.kind === 'fieldAccess' && !lowering.isArgs(expression.object)) return fieldPlace(lowering, expression);
    if (expression.kind === 'unary' && expression.operator === '*') return dereferencePlace(lowering, expression);
    if (expression.kind === 'index') return indexPlace(lowering, expression);
    const value = lowering.lower(expression);
    if (value.kind !== 'memory') throw new Error(`internal error: a ${value.type.kind} value is not in memory`);
    return { kind: 'stack', offset: value.offset, type: value.type };
  });
}

/** `object.field`, through every pointer level of `object` (one 8-byte read each beyond the first). */
function fieldPlace(lowering: ExpressionLowering, expression: FieldAccess): Place {
  let objectType = lowering.typeOf(expression.object);
  let place: Place;
  if (objectType.kind === 'pointer') {
    place = pointeePlace(lowering, lowering.scalar(expression.object), objectType);
    objectType = objectType.to;
    while (objectType.kind === 'pointer') {
      place = pointeePlace(lowering, readTemp(lowering, place), objectType);
      objectType = objectType.to;
    }
  } else {
    place = placeOf(lowering, expression.object);
  }
  if (objectType.kind !== 'record') throw new Error(`internal error: field of ${objectType.kind}`);
  const field = objectType.fields.find((candidate) => candidate.name === expression.field);
  if (!field) throw new Error(`internal error: no field ${expression.field}`);
  return fieldOf(place, field);
}

function fieldOf(place: Place, field: RecordField): Place {
  const bits = field.bitSize === undefined ? undefined : { offset: field.bitOffset ?? 0, size: field.bitSize };
  return { ...place, offset: place.offset + field.offset, type: field.type, ...(bits ? { bits } : {}) } as Place;
}

/** What a pointer held in `temp` points to. */
function pointeePlace(lowering: ExpressionLowering, temp: Temp, pointer: Type): Place {
  const space = pointer.kind === 'pointer' && pointer.space === 'user' ? 'user'
    : pointer.kind === 'pointer' && pointer.space === 'kernel' ? 'kernel' : defaultSpace(lowering);
  return { kind: 'external', base: temp, offset: 0, space, type: pointer.kind === 'pointer' ? pointer.to : u64 };
}

function defaultSpace(lowering: ExpressionLowering): 'kernel' | 'user' {
  const context = lowering.program.probe.context;
  return context.kind === 'registers' ? context.space : 'kernel';
}

/** `*p`; `*n` of an integer reads the integer's width at address n (zero-extended, as bpftrace). */
function dereferencePlace(lowering: ExpressionLowering, expression: UnaryExpression): Place {
  const operandType = lowering.typeOf(expression.operand);
  const temp = lowering.scalar(expression.operand);
  if (operandType.kind === 'pointer') return pointeePlace(lowering, temp, operandType);
  const bits = (operandType.kind === 'integer' ? operandType.bits : 64) as IntegerBits;
  return { kind: 'external', base: temp, offset: 0, space: defaultSpace(lowering), type: integer(bits, false) };
}

/** `a[i]` of an array or string (bounds warned at run time for a variable index) or of a pointer. */
function indexPlace(lowering: ExpressionLowering, expression: IndexExpression): Place {
  const e = lowering.e;
  const objectType = lowering.typeOf(expression.object);
  const elementType = lowering.typeOf(expression);
  if (objectType.kind === 'tuple') {
    const place = placeOf(lowering, expression.object);
    const index = Number(lowering.program.probe.facts.constants.get(expression.index) ?? literal(expression.index));
    return { ...place, offset: place.offset + tupleLayout(objectType.elements).offsets[index]!, type: elementType } as Place;
  }
  const stride = objectType.kind === 'string' ? 1 : Math.max(1, sizeOf(elementType));
  let place: Place = objectType.kind === 'pointer'
    ? pointeePlace(lowering, lowering.scalar(expression.object), objectType)
    : placeOf(lowering, expression.object);
  place = { ...place, type: elementType } as Place;
  const index = lowering.lower(expression.index);
  if (index.kind === 'constant') return { ...place, offset: place.offset + Number(index.value) * stride } as Place;
  const length = objectType.kind === 'array' ? objectType.length : objectType.kind === 'string' ? objectType.size : 0;
  const step = lowering.ownTemp(index);
  if (place.kind === 'stack') return stackIndexPlace(lowering, place.offset, step, length, stride, elementType);
  if (length > 0) warnOutOfBounds(lowering, step, length);
  if (stride > 1) e.emit(alu64('mul', e.pool.writable(step), stride));
  const target = e.pool.writable(place.base);
  e.emit(alu64('add', target, e.pool.read(step, e.pool.scratchRegister([target]))));
  e.pool.release(step);
  return { ...place, type: elementType };
}

/**
 * A variable index into a value held on the BPF stack (a variable's, a map value's or a tuple's copy),
 * read through its address. Past the copy's end there is nothing of the value: after bpftrace's
 * warning the read is from address 0, which gives zeros; inside, the verifier sees the bounded offset.
 */
function stackIndexPlace(lowering: ExpressionLowering, offset: number, step: Temp, length: number, stride: number, type: Type): Place {
  const e = lowering.e;
  const base = e.pool.acquire();
  const outside = e.newLabel('outside');
  const indexed = e.newLabel('indexed');
  const pinned = e.pool.freeze();
  if (length > 0) {
    e.emit(jmp('gt', e.pool.read(step), length - 1, outside));
    if (stride > 1) e.emit(alu64('mul', e.pool.writable(step), stride));
    const target = e.pool.writable(base);
    e.address(target, offset);
    e.emit(alu64('add', target, e.pool.read(step, e.pool.scratchRegister([target]))));
    e.emit(ja(indexed));
  }
  e.place(outside);
  if (length > 0) emitRecordOf(lowering, boundsWarning(lowering), [], idOnly);
  e.emit(mov64(e.pool.writable(base), 0));
  e.place(indexed);
  e.pool.thaw(pinned);
  e.pool.release(step);
  return { kind: 'external', base, offset: 0, space: 'kernel', type };
}

function literal(expression: Expression): bigint {
  if (expression.kind === 'integer') return expression.value;
  throw new Error('internal error: a tuple index is not a constant');
}

/** bpftrace's runtime warning when a variable index is past the array (the read still happens). */
function warnOutOfBounds(lowering: ExpressionLowering, index: Temp, length: number): void {
  const e = lowering.e;
  const inside = e.newLabel('inbounds');
  const pinned = e.pool.freeze();
  e.emit(jmp('le', e.pool.read(index), length - 1, inside));
  emitRecordOf(lowering, boundsWarning(lowering), [], idOnly);
  e.place(inside);
  e.pool.thaw(pinned);
}

/** The runtime warning's action, at the index expression being lowered. */
function boundsWarning(lowering: ExpressionLowering): number {
  const span = lowering.e.currentSpan!;
  return lowering.program.script.addAction((actionId) => ({ kind: 'runtime-error', id: actionId, size: idOnly.size, message: arrayBoundsMessage, span }));
}

/** A pointer-sized value at `place`, in a fresh temporary (a pointer hop). */
function readTemp(lowering: ExpressionLowering, place: Place): Temp {
  const value = materialize(lowering, { ...place, type: u64 } as Place, u64);
  return lowering.toTemp(value);
}

/** Reads what is at `place` as a value of `type`. */
function materialize(lowering: ExpressionLowering, place: Place, type: Type): Lowered {
  const e = lowering.e;
  if (!isScalar(place.type)) {
    if (place.kind === 'stack') return { kind: 'memory', offset: place.offset, type };
    const size = sizeOf(place.type);
    const offset = e.allocate(Math.max(size, 1));
    copyPlace(lowering, place, offset, size);
    return { kind: 'memory', offset, type };
  }
  const size = place.bits ? Math.ceil((place.bits.offset + place.bits.size) / 8) : sizeOf(place.type);
  const temp = place.kind === 'stack' ? loadStack(lowering, place.offset, size) : readExternal(lowering, place, size);
  const target = e.pool.writable(temp);
  const signed = place.type.kind === 'integer' && place.type.signed;
  if (place.bits) {
    // C's bitfield value: shift it to the top, then back down with its sign or with zeros.
    e.emit(alu64('lsh', target, 64 - place.bits.offset - place.bits.size));
    e.emit(alu64(signed ? 'arsh' : 'rsh', target, 64 - place.bits.size));
  } else if (signed && size < 8) {
    signExtend(e, target, size * 8);
  }
  return { kind: 'register', temp, type };
}

/** `size` bytes at `place` to the stack at `offset`. */
function copyPlace(lowering: ExpressionLowering, place: Place, offset: number, size: number): void {
  const e = lowering.e;
  if (size === 0) {
    if (place.kind === 'external') e.pool.release(place.base);
    return;
  }
  if (place.kind === 'stack') {
    if (place.offset !== offset) copyStack(lowering, place.offset, offset, size);
    return;
  }
  if (place.offset !== 0) addOffset(lowering, place.base, place.offset);
  callProbeRead(lowering, place.space === 'user' ? 'probe_read_user' : 'probe_read_kernel', [
    { kind: 'stack', offset }, { kind: 'immediate', value: size }, { kind: 'temp', temp: place.base },
  ]);
  e.pool.release(place.base);
}

/** The `size` (≤ 8) bytes at an external place, zero-extended into a fresh temporary. */
function readExternal(lowering: ExpressionLowering, place: Extract<Place, { kind: 'external' }>, size: number): Temp {
  const e = lowering.e;
  const slot = e.allocate(8, 8);
  const whole = size === 1 || size === 2 || size === 4 || size === 8;
  if (!whole) e.emit(st('dw', R10, slot, 0));
  copyPlace(lowering, place, slot, Math.min(size, 8));
  const temp = e.pool.acquire();
  e.emit(ldx(whole ? sizeName(size) : 'dw', e.pool.writable(temp), R10, slot));
  return temp;
}

/** `size` (≤ 8) bytes on the stack at `offset`, zero-extended: one load when aligned, else byte by byte. */
function loadStack(lowering: ExpressionLowering, offset: number, size: number): Temp {
  const e = lowering.e;
  const temp = e.pool.acquire();
  const target = e.pool.writable(temp);
  if ((size === 1 || size === 2 || size === 4 || size === 8) && offset % size === 0) {
    e.emit(ldx(sizeName(size), target, R10, offset));
    return temp;
  }
  const scratch = e.pool.scratchRegister([target]);
  e.emit(mov64(target, 0));
  for (let index = Math.min(size, 8) - 1; index >= 0; index--) {
    e.emit(alu64('lsh', target, 8));
    e.emit(ldx('b', scratch, R10, offset + index));
    e.emit(alu64('or', target, scratch));
  }
  return temp;
}

/** Copies stack bytes whatever the alignment of either end. */
function copyStack(lowering: ExpressionLowering, from: number, to: number, size: number): void {
  const e = lowering.e;
  for (let position = 0; position < size;) {
    const width = [8, 4, 2, 1].find((bytes) => bytes <= size - position && (from + position) % bytes === 0 && (to + position) % bytes === 0)!;
    e.emit(ldx(sizeName(width), R0, R10, from + position));
    e.emit(stx(sizeName(width), R10, to + position, R0));
    position += width;
  }
}

function addOffset(lowering: ExpressionLowering, base: Temp, offset: number): void {
  const e = lowering.e;
  const target: Register = e.pool.writable(base);
  const value = BigInt.asIntN(64, BigInt(Math.trunc(offset)));
  if (fitsImmediate(value)) {
    e.emit(alu64('add', target, Number(value)));
    return;
  }
  // A constant index far past any object (`p[0x7fffffffffffffff]`, `a[1e9]`): the offset is wider than
  // an immediate, so it goes through a register, wrapped to 64 bits as the address arithmetic wraps.
  const scratch = e.pool.scratchRegister([target]);
  e.emit(lddw(scratch, value));
  e.emit(alu64('add', target, scratch));
}
