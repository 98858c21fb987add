// ntop([family,] address): an IPv4 (or, with family AF_INET6, IPv6) address printed as text. The
// address is an integer (IPv4) or a 4- or 16-byte array (pton()'s, a struct's field), whose size says
// the family when none is given, as in bpftrace.
import { R10, st, stx } from '../bpf/index.js';
import type { CallExpression } from '../parser/ast.js';
import { isScalar, sizeOf, typeName, type Type } from '../model/types.js';
import { arity, needInteger } from '../check/call-rule.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import { copyToStack, zeroFill } from '../codegen/memory.js';
import type { FunctionRecord } from './record.js';

export const ntop: FunctionRecord = {
  name: 'ntop',
  check(context, call) {
    if (!arity(context, call, 1, 2)) return { kind: 'inet' };
    if (call.arguments.length === 2) needInteger(context, call, 0);
    const address = call.arguments[call.arguments.length - 1]!;
    const type = context.expression(address);
    if (type.kind === 'array' || type.kind === 'string') {
      if (addressBytes(type) === undefined) context.diagnostics.error(address.span, `ntop() needs a 4- or 16-byte address here, not ${typeName(type)}`);
    } else if (!isScalar(type)) {
      context.diagnostics.error(address.span, `ntop() needs an integer here, not ${typeName(type)}`);
    }
    return { kind: 'inet' };
  },
  lower: (lowering, call, type) => lowerInet(lowering, call, type),
};

/** AF_INET for a 4-byte array, AF_INET6 for a 16-byte one. */

/** ntop(address) for IPv4 as stored by the kernel (network order), or ntop(family, address). */
function lowerInet(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const e = lowering.e;
  const offset = e.allocate(24);
  zeroFill(e, offset, 24);
  const [first, second] = call.arguments;
  const addressExpression = second ?? first!;
  if (second) {
    const family = lowering.scalar(first!);
    e.emit(stx('dw', R10, offset, e.pool.read(family)));
    e.pool.release(family);
  } else {
    // An address of 16 bytes is IPv6 (AF_INET6), as in bpftrace.
    e.emit(st('dw', R10, offset, addressBytes(lowering.typeOf(addressExpression)) === 16 ? 10 : 2));
  }
  const arrayType = lowering.typeOf(addressExpression);
  if (arrayType.kind === 'array') {
    lowering.lowerInto(addressExpression, offset + 8, arrayType);
    return { kind: 'memory', offset, type };
  }
  if (arrayType.kind === 'string') {
    // Kernel byte arrays (a struct's in6_addr bytes) are strings of 4 or 16 bytes: the address as it is.
    const value = lowering.lower(addressExpression) as Extract<Lowered, { kind: 'memory' }>;
    copyToStack(e, R10, value.offset, offset + 8, arrayType.size, e.pool.scratchRegister());
    return { kind: 'memory', offset, type };
  }
  const address = lowering.scalar(addressExpression);
  e.emit(stx('w', R10, offset + 8, e.pool.read(address)));
  e.pool.release(address);
  return { kind: 'memory', offset, type };
}

/** The size of an address given as bytes (an array of 4 or 16 one-byte values, or such a string). */
function addressBytes(type: Type): 4 | 16 | undefined {
  const size = type.kind === 'array' && sizeOf(type.element) === 1 ? type.length
    : type.kind === 'string' ? type.size : undefined;
  return size === 4 || size === 16 ? size : undefined;
}
