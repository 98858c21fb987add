// bpftrace's checks of a cast that hold for every type: a cast to the type the value already has is
// a warning, a constant cast to an enum must be one of its values, and a string may only widen.
import type { CastExpression } from '../parser/ast.js';
import { sameType, typeName, type Type } from '../model/types.js';
import type { ProbeTyping } from './probe-typing.js';

/** The checks bpftrace makes before the kind-specific ones (see checkCast for those). */
export function checkCastRules(typing: ProbeTyping, expression: CastExpression, target: Type, operand: Type): void {
  const { diagnostics } = typing;
  // A literal is int64 here and the smallest type that holds it in today's bpftrace: whether casting
  // one is unnecessary depends on that choice, so literals are left alone.
  if (expression.operand.kind !== 'integer' && sameType(target, operand) && enumOf(target) === enumOf(operand)) {
    diagnostics.warning(expression.span, `Unnecessary cast: expression is already of type ${typeName(operand)}`);
  }
  if (target.kind === 'integer' && target.enum && expression.operand.kind === 'integer') {
    const value = expression.operand.value;
    if (!target.enum.values.some((variant) => variant.value === value)) {
      diagnostics.error(expression.span, `Enum: ${target.enum.name} doesn't contain a variant value of ${value}`);
    }
  }
}

function enumOf(type: Type): string | undefined {
  return type.kind === 'integer' ? type.enum?.name : undefined;
}
