// Casts of values already lowered: integers cut to their width and extended by their own sign (a
// register always holds a value extended by its type's sign, so this is bpftrace's "by the source's
// sign"), arrays seen as integers and integers as arrays, strings widened, and pointers, which only
// change type.
import { alu64, mov32 } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { sizeOf, type Type } from '../model/types.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { signExtend } from './widths.js';

/** A scalar as the 8 bytes of the register holding it. */
const wholeRegister: Type = { kind: 'integer', bits: 64, signed: false };

export function lowerCast(lowering: ExpressionLowering, value: Lowered, type: Type): Lowered {
  const e = lowering.e;
  if (type.kind === 'array') return arrayCast(lowering, value, type);
  if (type.kind === 'string' && value.kind === 'memory' && sizeOf(value.type) < type.size) {
    // A wider string: the bytes, then zeros.
    const offset = e.allocate(type.size);
    lowering.storeValue(value, offset, type);
    return { kind: 'memory', offset, type };
  }
  // An array of the integer's size: its bytes, read as the integer.
  if (type.kind === 'integer' && value.kind === 'memory') return lowering.loadScalarFromStack(value.offset, type);
  if (type.kind !== 'integer') return value.kind === 'memory' ? value : { ...value, type };
  if (value.kind === 'constant') {
    const bits = type.bits;
    return { kind: 'constant', value: type.signed ? BigInt.asIntN(bits, value.value) : BigInt.asUintN(bits, value.value), type };
  }
  const temp = lowering.ownTemp(value);
  const target = e.pool.writable(temp);
  if (type.bits === 32 && !type.signed) e.emit(mov32(target, target));
  else if (type.bits < 64 && !type.signed) e.emit(alu64('and', target, type.bits === 8 ? 0xff : 0xffff));
  else if (type.bits < 64) signExtend(e, target, type.bits);
  return { kind: 'register', temp, type };
}

/** `(T[N])x`: a string's or array's bytes as they are; an integer's (up to 8) stored little-endian first. */
function arrayCast(lowering: ExpressionLowering, value: Lowered, type: Type): Lowered {
  if (value.kind === 'memory') return { kind: 'memory', offset: value.offset, type };
  const offset = lowering.e.allocate(8, 8);
  lowering.storeValue(value, offset, wholeRegister);
  return { kind: 'memory', offset, type };
}

/** A pointer, a pointer cast to an integer (`(uint64)&$x`), or one plus or minus something. */
export function isAddress(lowering: ExpressionLowering, expression: Expression): boolean {
  if (lowering.typeOf(expression).kind === 'pointer') return true;
  if (expression.kind === 'cast') return isAddress(lowering, expression.operand);
  return expression.kind === 'binary' && (expression.operator === '+' || expression.operator === '-') && isAddress(lowering, expression.left);
}
