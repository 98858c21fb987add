// is_str, is_ptr, is_array, is_integer, is_unsigned_integer, is_literal: today's bpftrace stdlib
// questions about an expression's type (or form), answered when the script is compiled: a constant
// bool, and the expression is not evaluated.
import type { Expression } from '../parser/ast.js';
import { booleanType, type Type } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

function typePredicate(name: string, holds: (type: Type, expression: Expression) => boolean): FunctionRecord {
  return {
    name,
    check(context, call) {
      if (!arity(context, call, 1, 1)) return booleanType;
      const argument = call.arguments[0]!;
      context.setConstant(call, holds(context.expression(argument), argument) ? 1n : 0n);
      return booleanType;
    },
    lower: (lowering, call, type) => ({ kind: 'constant', value: lowering.program.probe.facts.constants.get(call)!, type }),
  };
}

/** A literal as bpftrace folds it: a number (negated or not), a string, true or false. */
function isLiteral(expression: Expression): boolean {
  if (expression.kind === 'unary' && expression.operator === '-') return isLiteral(expression.operand);
  return expression.kind === 'integer' || expression.kind === 'string' || expression.kind === 'boolean';
}

export const isStr = typePredicate('is_str', (type) => type.kind === 'string');
export const isPtr = typePredicate('is_ptr', (type) => type.kind === 'pointer');
export const isArray = typePredicate('is_array', (type) => type.kind === 'array');
export const isInteger = typePredicate('is_integer', (type) => type.kind === 'integer');
export const isUnsignedInteger = typePredicate('is_unsigned_integer', (type) => type.kind === 'integer' && !type.signed);
export const isLiteralValue = typePredicate('is_literal', (_type, expression) => isLiteral(expression));
