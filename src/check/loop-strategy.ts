// Which loops run as bpf_loop callbacks. The verifier walks a plain loop iteration by iteration, and
// inside each iteration every path of every branch: a body that branches (an `if`, a map lookup's
// null check, a string scan) multiplies the walk until the program passes the verifier's
// 1M-instruction budget, and so does a long straight-line loop. A callback's body is verified on
// its own, so its cost does not grow with the iteration count. Short straight-line loops stay plain:
// cheaper per iteration, and the verifier still catches a loop that never ends.
import type {
  AssignmentStatement, BlockStatement, Expression, ForRangeStatement, Statement, UpdateExpression, VariableExpression, WhileStatement,
} from '../parser/ast.js';
import { collectNodes, someNode } from '../parser/ast-search.js';

/** Operators whose lowering is straight-line arithmetic (comparisons and logic branch). */
const ARITHMETIC = new Set(['|', '^', '&', '<<', '>>', '+', '-', '*', '/', '%']);

/**
 * A straight-line loop stays plain when the verifier can see it ends within about this many
 * iterations (a few instructions each, against its budget of a million).
 */
const PLAIN_LOOP_ITERATIONS = 4096;

export function loopNeedsCallback(loop: WhileStatement | ForRangeStatement): boolean {
  // A tail call cannot be made from a callback: such a loop stays in the program.
  if (someNode(loop.body, (node) => node.kind === 'dispatch')) return false;
  return !loop.body.statements.every(straightStatement) || !visiblyShort(loop);
}

/**
 * Whether the verifier can walk a straight-line loop: a range between constants at most
 * PLAIN_LOOP_ITERATIONS apart, or a `while` comparing with a constant no larger than that. A `while`
 * on a constant condition stays plain too, so that the kernel reports `while (1) { }` as endless
 * rather than the loop running into bpf_loop's cap.
 */
function visiblyShort(loop: WhileStatement | ForRangeStatement): boolean {
  if (loop.kind === 'forRange') {
    return loop.start.kind === 'integer' && loop.end.kind === 'integer' && loop.end.value - loop.start.value <= BigInt(PLAIN_LOOP_ITERATIONS);
  }
  const condition = loop.condition;
  if (condition.kind === 'integer' || condition.kind === 'boolean') return true;
  if (condition.kind !== 'binary' || !['<', '<=', '>', '>=', '==', '!='].includes(condition.operator)) return false;
  const small = (side: Expression) => side.kind === 'integer' && side.value <= BigInt(PLAIN_LOOP_ITERATIONS) && side.value >= -BigInt(PLAIN_LOOP_ITERATIONS);
  return small(condition.left) || small(condition.right);
}

/** Whether a loop or for-map body can leave the probe (exit(), return). */
export function canLeaveProbe(body: BlockStatement): boolean {
  return someNode(body, (node) => node.kind === 'return' || (node.kind === 'call' && node.name === 'exit'));
}

/**
 * What a probe body needs for callbacks that reach its frame (for-map bodies, branching loops):
 * `any` when it has one, `leaving` when one of them can leave the probe.
 */
export function frameCallbackNeeds(source: unknown): { any: boolean; leaving: boolean } {
  const isFrameCallback = (node: { kind: string }) => node.kind === 'forMap'
    || ((node.kind === 'while' || node.kind === 'forRange') && loopNeedsCallback(node as WhileStatement | ForRangeStatement));
  return {
    any: someNode(source, isFrameCallback),
    leaving: someNode(source, (node) => isFrameCallback(node) && canLeaveProbe((node as WhileStatement).body)),
  };
}

/** The variables a loop assigns or increments: its body (nested blocks and loops included) and a while's condition (`$i--`). */
export function assignedVariables(loop: { readonly body: BlockStatement; readonly condition?: Expression }): VariableExpression[] {
  return collectNodes([loop.body, loop.condition], (node) => node.kind === 'assignment' || node.kind === 'update')
    .map((node) => (node.kind === 'assignment' ? (node as AssignmentStatement).target : (node as UpdateExpression).operand))
    .filter((target): target is VariableExpression => target.kind === 'variable');
}

function straightStatement(statement: Statement): boolean {
  switch (statement.kind) {
    case 'block':
      return statement.statements.every(straightStatement);
    case 'expression':
      return straightExpression(statement.expression);
    case 'assignment':
      return statement.target.kind === 'variable' && straightExpression(statement.value);
    case 'let':
      return !statement.value || straightExpression(statement.value);
    default:
      return false;
  }
}

function straightExpression(expression: Expression): boolean {
  switch (expression.kind) {
    case 'integer':
    case 'boolean':
    case 'variable':
    case 'identifier':
    case 'positional':
    case 'positionalCount':
    case 'sizeof':
    case 'offsetof':
      return true;
    case 'unary':
      return (expression.operator === '-' || expression.operator === '~') && straightExpression(expression.operand);
    case 'update':
      return expression.operand.kind === 'variable';
    case 'binary':
      return ARITHMETIC.has(expression.operator) && straightExpression(expression.left) && straightExpression(expression.right);
    case 'cast':
      return straightExpression(expression.operand);
    case 'fieldAccess':
      return expression.object.kind === 'identifier' && expression.object.name === 'args';
    default:
      return false;
  }
}
