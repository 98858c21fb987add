// The checker's rules for C memory, as today's bpftrace has them: field access (`.` and `->` are one
// operator and look through any number of pointers), `*p`, `&$x`, `a[i]`, casts to and from pointers
// and structs, pointer arithmetic and comparison. Messages are bpftrace's words, with a "did you mean"
// hint where a name is unknown.
import type { BinaryExpression, CastExpression, Expression, FieldAccess, IndexExpression, UnaryExpression } from '../parser/ast.js';
import { booleanType, isScalar, s64, s8, sameType, sizeOf, typeName, u64, type Type } from '../model/types.js';
import { inSpace, probeSpace } from './address-space.js';
import { closestName } from './closest-name.js';
import type { ExpressionTyper } from './calls.js';
import type { ProbeTyping } from './probe-typing.js';

/** `object.field` / `object->field` on a struct, a union, or a pointer to one (at any depth). */
export function checkFieldAccess(typing: ProbeTyping, typer: ExpressionTyper, expression: FieldAccess): Type {
  const { diagnostics } = typing;
  const objectType = typer.expression(expression.object);
  let target = objectType;
  while (target.kind === 'pointer') target = target.to;
  if (target.kind !== 'record') {
    diagnostics.error(expression.span, `Can not access field '${expression.field}' on expression of type '${typeName(objectType)}'`);
    return s64;
  }
  const field = target.fields.find((candidate) => candidate.name === expression.field);
  if (!field) {
    const best = closestName(expression.field, target.fields.map((candidate) => candidate.name));
    const what = /^(struct|union) /.test(target.name) ? `Struct/union of type '${target.name}'` : 'Record';
    diagnostics.error(expression.span, `${what} does not contain a field named '${expression.field}'`, best ? `did you mean '${best}'?` : undefined);
    return s64;
  }
  return field.type;
}

/** `*operand`: a pointer's pointee; an integer reads as an address (uint64, as bpftrace). */
export function checkDereference(typing: ProbeTyping, typer: ExpressionTyper, expression: UnaryExpression): Type {
  const operand = typer.expression(expression.operand);
  if (operand.kind === 'pointer') {
    if (operand.to.kind === 'none') {
      typing.diagnostics.error(expression.span, `The * operator can not be used on expressions of type '${typeName(operand)}'`, 'cast it to a pointer to a sized type first');
      return s64;
    }
    return operand.to;
  }
  if (operand.kind === 'integer') return u64;
  if (operand.kind === 'record') {
    typing.diagnostics.error(expression.span, `Can not dereference struct/union of type '${operand.name}'. It is not a pointer.`);
    return s64;
  }
  typing.diagnostics.error(expression.span, `The * operator can not be used on expressions of type '${typeName(operand)}'`);
  return s64;
}

/** `&$x`: a pointer to the variable's slot on the BPF stack (kernel memory). */
export function checkAddressOf(typing: ProbeTyping, typer: ExpressionTyper, expression: UnaryExpression): Type {
  const operand = expression.operand;
  if (operand.kind !== 'variable') {
    typer.expression(operand);
    typing.diagnostics.error(expression.span, operand.kind === 'map' ? 'address-of a map (&@m) is not supported yet' : 'address-of operator (&) can only be used on a map or variable');
    return s64;
  }
  const type = typer.expression(operand);
  return { kind: 'pointer', to: type, space: 'kernel' };
}

/** `object[index]`: an array's element (bounds checked when both are known), a pointer's, a string's byte. */
export function checkIndex(typing: ProbeTyping, typer: ExpressionTyper, expression: IndexExpression): Type {
  const { diagnostics } = typing;
  const objectType = typer.expression(expression.object);
  const constant = typer.constantInteger(expression.index);
  const indexType = typing.types.get(expression.index)!;
  if (indexType.kind !== 'integer' && indexType.kind !== 'boolean') {
    diagnostics.error(expression.index.span, `The array index operator [] only accepts non-negative integer indices. Got: ${typeName(indexType)}`);
  } else if (constant !== undefined && constant < 0n) {
    diagnostics.error(expression.index.span, `The array index operator [] only accepts non-negative integer indices. Got: ${constant}`);
  }
  const bound = (length: number) => {
    if (constant !== undefined && length > 0 && constant >= BigInt(length)) {
      diagnostics.error(expression.span, `the index ${constant} is out of bounds for array of size ${length}`);
    }
  };
  switch (objectType.kind) {
    case 'array':
      bound(objectType.length);
      return objectType.element;
    case 'string':
      bound(objectType.size);
      return s8;
    case 'pointer':
      if (objectType.to.kind === 'none') {
        diagnostics.error(expression.span, 'The array index operator [] cannot be used on a pointer to an unsized type (void *).');
        return s64;
      }
      return objectType.to;
    case 'tuple': {
      if (constant === undefined) {
        diagnostics.error(expression.index.span, 'Array-style access for tuples only valid for integer literals');
        return s64;
      }
      const element = objectType.elements[Number(constant)];
      if (!element) {
        diagnostics.error(expression.span, `Invalid tuple index: ${constant}. Found ${objectType.elements.length} elements in tuple.`);
        return s64;
      }
      return element;
    }
    default:
      diagnostics.error(expression.span, `The array index operator [] can only be used on arrays, pointers, and tuples, found ${typeName(objectType)}.`);
      return s64;
  }
}

/**
 * `(T)operand` where T or the operand is a C type. Integers truncate or extend by the operand's sign
 * (the lowering keeps every integer extended to 64 bits by its own sign); a pointer keeps the address
 * space of what it is cast from, and an integer made a pointer reads from the probe's space.
 * Returns undefined when neither side is a C type (the plain integer casts).
 */
export function checkCast(typing: ProbeTyping, expression: CastExpression, target: Type, operand: Type): Type | undefined {
  const { diagnostics } = typing;
  const cannot = () => diagnostics.error(expression.span, `Cannot cast from "${typeName(operand)}" to "${typeName(target)}"`);
  if (operand.kind === 'record' && target.kind !== 'record') {
    diagnostics.error(expression.span, `Cannot cast from C type "${operand.name}"`);
    return target;
  }
  switch (target.kind) {
    case 'pointer':
      if (operand.kind === 'pointer') return inSpace(target, operand.space === 'unknown' ? probeSpace(typing.context) : operand.space);
      if (operand.kind === 'integer' || operand.kind === 'boolean') return inSpace(target, integerSpace(typing, expression.operand));
      cannot();
      return inSpace(target, probeSpace(typing.context));
    case 'record':
      cannot();
      return target;
    case 'integer':
    case 'boolean':
      if (operand.kind === 'pointer') return target;
      if (operand.kind === 'array' && target.kind === 'integer' && sizeOf(operand) === sizeOf(target) && isScalar(operand.element)) return target;
      return undefined;
    case 'none':
      diagnostics.error(expression.type.span, 'Cannot cast to "void"');
      return s64;
    case 'array':
      return arrayCast(typing, expression, target, operand);
    case 'string':
      // A string may widen (its bytes then zeros), never narrow.
      if (operand.kind !== 'string' || operand.size > target.size) cannot();
      return target;
    default:
      return undefined;
  }
}

/**
 * `(T[N])x` / `(T[])x` of integers or booleans: the operand's bytes seen as an array (little-endian).
 * An integer may become a larger array of at most 8 bytes; strings and arrays keep their size exactly.
 */
function arrayCast(typing: ProbeTyping, expression: CastExpression, target: Extract<Type, { kind: 'array' }>, operand: Type): Type {
  const { diagnostics } = typing;
  const element = target.element;
  if (element.kind !== 'integer' && element.kind !== 'boolean') {
    diagnostics.error(expression.span, `Cannot cast from "${typeName(operand)}" to "${typeName(target)}"`);
    return target;
  }
  const elementSize = sizeOf(element);
  const operandSize = sizeOf(operand);
  let length = target.length;
  if (expression.type.kind === 'arrayType' && expression.type.unsized) {
    if (operandSize === 0) {
      diagnostics.error(expression.span, 'Could not determine size of the array');
      return target;
    }
    if (operandSize % elementSize !== 0) {
      diagnostics.error(expression.span, 'Cannot determine array size: the element size is incompatible with the cast integer size');
      return target;
    }
    length = operandSize / elementSize;
  }
  const result: Type = { kind: 'array', element, length };
  const total = length * elementSize;
  const fits = operand.kind === 'integer' || operand.kind === 'boolean'
    ? total === operandSize || (total > operandSize && total <= 8)
    : (operand.kind === 'string' || operand.kind === 'array') && total === operandSize;
  if (!fits) diagnostics.error(expression.span, `Cannot cast from "${typeName(operand)}" to "${typeName(result)}"`);
  return result;
}

/**
 * The address space an integer used as an address most likely names: bpftrace carries one on every
 * value; tsbpf follows the expression back to where it came from (an argument, a syscall record, a
 * pointer cast to an integer), else the probe's.
 */
function integerSpace(typing: ProbeTyping, expression: Expression): 'kernel' | 'user' {
  switch (expression.kind) {
    case 'fieldAccess':
      if (expression.object.kind === 'identifier' && expression.object.name === 'args') {
        return typing.context.kind === 'tracepoint' && typing.context.category === 'syscalls' ? 'user' : probeSpace(typing.context);
      }
      break;
    case 'cast': {
      const operand = typing.types.get(expression.operand);
      if (operand?.kind === 'pointer' && operand.space !== 'unknown') return operand.space;
      return integerSpace(typing, expression.operand);
    }
    case 'binary':
      if (expression.operator === '+' || expression.operator === '-' || expression.operator === '&' || expression.operator === '|') {
        return integerSpace(typing, expression.left);
      }
      break;
    default:
      break;
  }
  return probeSpace(typing.context);
}

/**
 * A binary operator with a pointer operand: `p + n`, `n + p`, `p - n` step by the pointee's size,
 * comparisons compare addresses; anything else is bpftrace's error. Undefined when no side is a pointer.
 */
export function checkPointerBinary(typing: ProbeTyping, expression: BinaryExpression, left: Type, right: Type): Type | undefined {
  if (left.kind !== 'pointer' && right.kind !== 'pointer') return undefined;
  const { operator } = expression;
  const integerLike = (type: Type) => type.kind === 'integer' || type.kind === 'boolean';
  if (['==', '!=', '<', '<=', '>', '>='].includes(operator)) {
    if (left.kind === 'pointer' && right.kind === 'pointer') {
      if (!sameType(left.to, right.to) && left.to.kind !== 'none' && right.to.kind !== 'none') {
        typing.diagnostics.warning(expression.span, `comparison of distinct pointer types: ${typeName(left.to)}, ${typeName(right.to)}`);
      }
      return booleanType;
    }
    if (integerLike(left) || integerLike(right)) return booleanType;
  }
  if (operator === '+' && left.kind === 'pointer' && integerLike(right)) return left;
  if (operator === '+' && right.kind === 'pointer' && integerLike(left)) return right;
  if (operator === '-' && left.kind === 'pointer' && integerLike(right)) return left;
  typing.diagnostics.error(expression.span, `The ${operator} operator can not be used on expressions of types ${typeName(left)}, ${typeName(right)}`);
  return left.kind === 'pointer' ? left : right;
}
