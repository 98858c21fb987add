// ntop([family,] address): an IPv4 (or, with family AF_INET6, IPv6) address printed as text.
import { R10, st, stx } from '../bpf/index.js';
import type { CallExpression } from '../parser/ast.js';
import type { Type } from '../model/types.js';
import { arity, needInteger } from '../check/call-rule.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import { zeroFill } from '../codegen/memory.js';
import type { FunctionRecord } from './record.js';

export const ntop: FunctionRecord = {
  name: 'ntop',
  check(context, call) {
    if (!arity(context, call, 1, 2)) return { kind: 'inet' };
    for (let index = 0; index < call.arguments.length; index++) needInteger(context, call, index);
    return { kind: 'inet' };
  },
  lower: (lowering, call, type) => lowerInet(lowering, call, type),
};

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
    e.emit(st('dw', R10, offset, 2));
  }
  const address = lowering.scalar(addressExpression);
  e.emit(stx('w', R10, offset + 8, e.pool.read(address)));
  e.pool.release(address);
  return { kind: 'memory', offset, type };
}
