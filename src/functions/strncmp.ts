// strncmp(a, b, n): 0 when the first n bytes of two strings (up to a shared NUL) are equal, else 1.
import { R0, R10, jmp, ja, ldx, mov64 } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { s64, sizeOf, type Type } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import type { FunctionRecord } from './record.js';

export const strncmp: FunctionRecord = {
  name: 'strncmp',
  check(context, call) {
    if (!arity(context, call, 3, 3)) return s64;
    needString(context, call, 0);
    needString(context, call, 1);
    const length = call.arguments[2]!;
    if (context.constantInteger(length) === undefined) context.diagnostics.error(length.span, 'strncmp() length must be an integer constant');
    return s64;
  },
  lower(lowering, call, type) {
    const [left, right, length] = call.arguments;
    return lowerStrncmp(lowering, left!, right!, Number((lowering.lower(length!) as { value: bigint }).value), type);
  },
};

/** strncmp(a, b, n): 0 when the first n bytes (up to a shared NUL) are equal, else 1. */
function lowerStrncmp(lowering: ExpressionLowering, left: Expression, right: Expression, length: number, type: Type): Lowered {
  const e = lowering.e;
  const a = memoryOf(lowering, left);
  const b = memoryOf(lowering, right);
  const limit = Math.min(length, sizeOf(a.type), sizeOf(b.type));
  const result = e.pool.acquire();
  const pinned = e.pool.pinInPlace();
  const register = e.pool.writable(result);
  const other = e.pool.scratchRegister([R0, register]);
  const different = e.newLabel('ne');
  const done = e.newLabel('cmpdone');
  e.emit(mov64(register, 0));
  for (let index = 0; index < limit; index++) {
    e.emit(ldx('b', R0, R10, a.offset + index));
    e.emit(ldx('b', other, R10, b.offset + index));
    e.emit(jmp('ne', R0, other, different));
    e.emit(jmp('eq', R0, 0, done));
  }
  e.emit(ja(done));
  e.place(different);
  e.emit(mov64(register, 1));
  e.place(done);
  e.pool.thaw(pinned);
  return { kind: 'register', temp: result, type };
}
