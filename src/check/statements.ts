// The statement pass of one probe: blocks and scopes, assignments to maps and $variables (which
// declare and widen them), loops, dispatch. Expressions are typed by ./expressions.ts.
import type { SourceSpan } from '../diagnostics/span.js';
import type { AssignmentStatement, BlockStatement, DispatchStatement, Expression, Statement } from '../parser/ast.js';
import { assignable, storageType, unify } from '../model/type-rules.js';
import { s64, typeName, u64, type Type } from '../model/types.js';
import type { MapValueKind } from '../model/artifact.js';
import { aggregationArity } from './builtins.js';
import { checkAggregation } from './calls.js';
import { checkCondition, checkExpression, constantInteger, mapKey, typeExpression, typerFor } from './expressions.js';
import type { ProbeTyping } from './probe-typing.js';

/** The kernel's limit on a chain of tail calls (MAX_TAIL_CALL_CNT). */
const MAX_TAIL_CALL_DEPTH = 33;
/** Largest dispatch index + 1: the program array's size. */
const MAX_DISPATCH_INDEX = 1 << 16;

/** Types a probe's predicate and body. */
export function checkProbeBody(typing: ProbeTyping, body: BlockStatement, predicate: Expression | undefined): void {
  if (predicate) checkCondition(typing, predicate);
  checkBlock(typing, body);
}

function checkBlock(typing: ProbeTyping, block: BlockStatement): void {
  typing.inScope(() => {
    let left: Statement | undefined;
    let warned = false;
    for (const statement of block.statements) {
      // Nothing after exit(), return, break or continue runs (bpftrace warns at the first such statement).
      if (left && !warned) {
        typing.diagnostics.warning(statement.span, 'Unreachable statement.');
        warned = true;
      }
      checkStatement(typing, statement);
      if (leavesBlock(statement)) left = statement;
    }
  });
}

function leavesBlock(statement: Statement): boolean {
  if (statement.kind === 'return' || statement.kind === 'break' || statement.kind === 'continue') return true;
  return statement.kind === 'expression' && statement.expression.kind === 'call' && statement.expression.name === 'exit';
}

function checkStatement(typing: ProbeTyping, statement: Statement): void {
  const { diagnostics } = typing;
  switch (statement.kind) {
    case 'block': checkBlock(typing, statement); return;
    case 'expression': expressionStatement(typing, statement.expression); return;
    case 'assignment': assignment(typing, statement); return;
    case 'let': {
      const declared = statement.type ? typeExpression(typing, statement.type) : undefined;
      const valueType = statement.value ? checkExpression(typing, statement.value) : undefined;
      if (valueType?.kind === 'none') {
        diagnostics.error(statement.value!.span, 'this expression has no value to assign');
        if (!declared) typing.declareWidening(statement.variable, s64);
        else typing.declare(statement.variable, declared);
        return;
      }
      if (declared && valueType && !assignable(declared, valueType)) {
        diagnostics.error(statement.value!.span, `cannot initialise $${statement.variable.name} (${typeName(declared)}) with a ${typeName(valueType)}`);
      }
      if (declared) typing.declare(statement.variable, declared);
      else typing.declareWidening(statement.variable, valueType ? storageType(valueType) : s64);
      return;
    }
    case 'if':
      checkCondition(typing, statement.condition);
      checkBlock(typing, statement.then);
      if (statement.else) checkStatement(typing, statement.else);
      return;
    case 'unroll': {
      const count = constantInteger(typing, statement.count);
      if (count === undefined || count < 1n || count > 100n) diagnostics.error(statement.count.span, 'unroll count must be an integer constant from 1 to 100');
      checkBlock(typing, statement.body);
      return;
    }
    case 'while':
      checkCondition(typing, statement.condition);
      loop(typing, () => checkBlock(typing, statement.body));
      return;
    case 'forRange': {
      const start = checkExpression(typing, statement.start);
      const end = checkExpression(typing, statement.end);
      for (const [expression, type] of [[statement.start, start], [statement.end, end]] as const) {
        if (type.kind !== 'integer') diagnostics.error(expression.span, `a range bound must be an integer, not ${typeName(type)}`);
      }
      typing.inScope(() => {
        typing.declare(statement.variable, s64);
        loop(typing, () => checkBlock(typing, statement.body));
      });
      return;
    }
    case 'forMap': {
      const map = typing.script.maps.get(statement.map.name);
      if (statement.map.keys.length > 0) diagnostics.error(statement.map.span, 'iterate over a whole map: write the map without a key');
      if (!map) {
        typing.undefinedMap(statement.map);
        return;
      }
      // Per-CPU aggregations are iterated with their values combined over the CPUs (as bpftrace does);
      // histograms and stats have no single value to bind.
      const valueType = iteratedValueType(map.value);
      if (!valueType) {
        diagnostics.error(statement.map.span, `cannot iterate over @${map.name}: its values are ${map.value.kind}() aggregations`, 'iterate over a map of plain values or of count(), sum(), min(), max() or avg()');
      }
      typing.inScope(() => {
        typing.declare(statement.variable, { kind: 'tuple', elements: [map.keyType ?? s64, valueType ?? s64] });
        const outerLoops = typing.loopDepth;
        typing.loopDepth = 0;
        typing.callbackDepth++;
        loop(typing, () => checkBlock(typing, statement.body));
        typing.callbackDepth--;
        typing.loopDepth = outerLoops;
      });
      return;
    }
    case 'break':
    case 'continue':
      if (typing.loopDepth === 0) diagnostics.error(statement.span, `'${statement.kind}' outside a loop`);
      return;
    case 'return':
      if (statement.value) diagnostics.error(statement.value.span, 'a probe returns no value: write `return;`');
      return;
    case 'dispatch':
      dispatch(typing, statement);
      return;
  }
}

/**
 * `dispatch (selector) { 59: { … } }`: each case body becomes its own program, tail-called by index.
 * A tail call never returns, so the bodies cannot see the enclosing block's $variables (they live
 * in another program's stack): using one is a diagnostic, values travel through maps.
 */
function dispatch(typing: ProbeTyping, statement: DispatchStatement): void {
  const { diagnostics } = typing;
  if (typing.callbackDepth > 0) {
    diagnostics.error(statement.span, 'dispatch cannot be used inside a for loop over a map', 'the loop body runs as a BPF callback function, and a tail call cannot be made from one');
  }
  const selector = checkExpression(typing, statement.selector);
  if (selector.kind !== 'integer' && selector.kind !== 'boolean') {
    diagnostics.error(statement.selector.span, `dispatch needs an integer selector, not ${typeName(selector)}`);
  }
  if (typing.dispatchDepth + 1 > MAX_TAIL_CALL_DEPTH) {
    diagnostics.error(statement.span, `dispatch nested ${typing.dispatchDepth + 1} deep: the kernel allows a chain of at most ${MAX_TAIL_CALL_DEPTH} tail calls`);
  }
  const seen = new Map<bigint, SourceSpan>();
  for (const dispatchCase of statement.cases) {
    for (const label of dispatchCase.labels) {
      typing.types.set(label, s64);
      if (label.value < 0n || label.value >= BigInt(MAX_DISPATCH_INDEX)) {
        diagnostics.error(label.span, `a dispatch case must be an integer from 0 to ${MAX_DISPATCH_INDEX - 1}`);
      } else if (seen.has(label.value)) {
        diagnostics.error(label.span, `case ${label.value} appears twice in this dispatch`);
      }
      seen.set(label.value, label.span);
    }
    const outerLoops = typing.loopDepth;
    typing.loopDepth = 0;
    typing.dispatchDepth++;
    typing.inScope(() => checkBlock(typing, dispatchCase.body), true);
    typing.dispatchDepth--;
    typing.loopDepth = outerLoops;
  }
}

/** The value a for-map loop binds for a map of this kind: a plain value, or a combined aggregation. */
function iteratedValueType(value: MapValueKind): Type | undefined {
  switch (value.kind) {
    case 'scalar': return value.type;
    case 'count': return u64;
    case 'sum': case 'min': case 'max': case 'avg': return value.signed ? s64 : u64;
    default: return undefined;
  }
}

function loop(typing: ProbeTyping, body: () => void): void {
  typing.loopDepth++;
  body();
  typing.loopDepth--;
}

function expressionStatement(typing: ProbeTyping, expression: Expression): void {
  if (expression.kind === 'call' && aggregationArity[expression.name]) {
    typing.diagnostics.error(expression.span, `${expression.name}() must be assigned to a map, e.g. @x = ${expression.name}(…)`);
    return;
  }
  checkExpression(typing, expression);
}

function assignment(typing: ProbeTyping, statement: AssignmentStatement): void {
  const { diagnostics } = typing;
  const { target, value } = statement;
  if (target.kind === 'map') {
    if (value.kind === 'call' && aggregationArity[value.name] && statement.operator === '=') {
      const kind = checkAggregation(typing, value, typerFor(typing));
      if (kind) typing.script.recordMap(target, mapKey(typing, target), kind, diagnostics, value.span);
      return;
    }
    const valueType = checkExpression(typing, value);
    if (statement.operator !== '=' && valueType.kind !== 'integer' && valueType.kind !== 'boolean') {
      diagnostics.error(value.span, `'${statement.operator}' needs an integer, not ${typeName(valueType)}`);
      return;
    }
    if (valueType.kind === 'none') {
      diagnostics.error(value.span, 'this expression has no value to assign');
      return;
    }
    const known = typing.script.maps.get(target.name)?.value;
    const steps = (statement.operator === '+=' || statement.operator === '-=') && known?.kind === 'scalar' && known.type.kind === 'pointer';
    const stored = statement.operator === '=' ? storageType(valueType) : steps ? known.type : s64;
    typing.script.recordMap(target, mapKey(typing, target), { kind: 'scalar', type: stored }, diagnostics, value.span);
    return;
  }
  const valueType = checkExpression(typing, value);
  if (valueType.kind === 'none') {
    diagnostics.error(value.span, 'this expression has no value to assign');
    return;
  }
  const existing = typing.lookup(target.name, target.span);
  if (!existing) {
    if (statement.operator !== '=') {
      diagnostics.error(target.span, `$${target.name} is used before it is assigned`);
      return;
    }
    typing.declareWidening(target, storageType(valueType));
    return;
  }
  typing.bindings.set(target, existing);
  const site = typing.declarationSites.get(existing);
  if (statement.operator === '=' && site && !assignable(existing.type, valueType)) {
    // A longer string (or a tuple holding one) widens the variable for the next pass, as in bpftrace.
    const widened = unify(existing.type, storageType(valueType));
    if (widened) typing.script.widenedVariable(site, widened);
  }
  const pointerStep = (statement.operator === '+=' || statement.operator === '-=') && existing.type.kind === 'pointer';
  if (statement.operator !== '=' && existing.type.kind !== 'integer' && !pointerStep) {
    diagnostics.error(statement.span, `'${statement.operator}' needs an integer variable; $${target.name} is ${typeName(existing.type)}`);
  } else if (!pointerStep && !assignable(existing.type, valueType)) {
    diagnostics.error(value.span, `type mismatch: $${target.name} is ${typeName(existing.type)}, this is ${typeName(valueType)}`);
  }
}
