/**
 * C operator precedence. The grammar reads a flat `operand (operator operand)*` chain, which is
 * faster than one grammar rule per level; `foldBinaryChain` then builds the left-associative tree.
 */
import type { BinaryOperator, Expression } from './ast.js';
import type { SourceSpan } from '../diagnostics/span.js';

/** Higher binds tighter. The ternary (`?:`) sits below all of these, unary operators above. */
export const binaryPrecedence: Readonly<Record<BinaryOperator, number>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};


/**
 * Builds the tree for `operands[0] operators[0] operands[1] ...` by precedence climbing.
 * `spanOver(left, right)` gives the span from the start of one node to the end of another.
 */
export function foldBinaryChain(
  operands: readonly Expression[],
  operators: readonly BinaryOperator[],
  spanOver: (left: Expression, right: Expression) => SourceSpan,
): Expression {
  let position = 0;
  const climb = (minimum: number): Expression => {
    let left = operands[position]!;
    while (position < operators.length) {
      const operator = operators[position]!;
      const precedence = binaryPrecedence[operator];
      if (precedence < minimum) break;
      position += 1;
      const right = climb(precedence + 1);
      left = { kind: 'binary', span: spanOver(left, right), operator, left, right };
    }
    return left;
  };
  return climb(0);
}
