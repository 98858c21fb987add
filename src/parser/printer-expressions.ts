/**
 * Expressions and types back to source, with the fewest parentheses that keep the tree: a child
 * is wrapped when it binds more loosely than its place requires.
 */
import type { Expression, TypeExpression } from './ast.js';
import { binaryPrecedence } from './precedence.js';

/** Binding strength of each expression form; binary operators use 1–10 from precedence.ts. */
const conditionalLevel = 0;
const prefixLevel = 11;
const postfixLevel = 12;
const primaryLevel = 13;

function levelOf(expression: Expression): number {
  switch (expression.kind) {
    case 'conditional':
      return conditionalLevel;
    case 'binary':
      return binaryPrecedence[expression.operator];
    case 'unary':
    case 'cast':
      return prefixLevel;
    case 'update':
      return expression.prefix ? prefixLevel : postfixLevel;
    case 'fieldAccess':
    case 'tupleIndex':
    case 'index':
      return postfixLevel;
    case 'integer':
    case 'string':
    case 'boolean':
    case 'identifier':
    case 'variable':
    case 'map':
    case 'positional':
    case 'positionalCount':
    case 'call':
    case 'sizeof':
    case 'offsetof':
    case 'tuple':
      return primaryLevel;
  }
}

/** Prints `expression`, in parentheses if it binds more loosely than `minimum`. */
function printAt(expression: Expression, minimum: number): string {
  const text = printExpression(expression);
  return levelOf(expression) < minimum ? `(${text})` : text;
}

/** The object of `.field`, `[i]`, `++`: an integer needs parentheses so `1.0` is not a float. */
function printObject(expression: Expression): string {
  return expression.kind === 'integer' ? `(${expression.text})` : printAt(expression, postfixLevel);
}

export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'integer':
      return expression.text;
    case 'string':
      return quoteString(expression.value);
    case 'boolean':
      return expression.value ? 'true' : 'false';
    case 'identifier':
      return expression.name;
    case 'variable':
      return `$${expression.name}`;
    case 'map':
      return expression.keys.length === 0 ? `@${expression.name}` : `@${expression.name}[${printList(expression.keys)}]`;
    case 'positional':
      return `$${expression.index}`;
    case 'positionalCount':
      return '$#';
    case 'call':
      return `${expression.name}(${printList(expression.arguments)})`;
    case 'sizeof':
      return `sizeof(${printTypeOrExpression(expression.operand)})`;
    case 'offsetof':
      return `offsetof(${printTypeOrExpression(expression.record)}, ${expression.fields.join('.')})`;
    case 'fieldAccess':
      return `${printObject(expression.object)}${expression.arrow ? '->' : '.'}${expression.field}`;
    case 'tupleIndex':
      return `${printObject(expression.object)}.${expression.index}`;
    case 'index':
      return `${printObject(expression.object)}[${printExpression(expression.index)}]`;
    case 'unary':
      return prefixed(expression.operator, printAt(expression.operand, prefixLevel));
    case 'update':
      if (!expression.prefix) return `${printObject(expression.operand)}${expression.operator}`;
      return prefixed(expression.operator, printAt(expression.operand, prefixLevel));
    case 'binary': {
      const precedence = binaryPrecedence[expression.operator];
      return `${printAt(expression.left, precedence)} ${expression.operator} ${printAt(expression.right, precedence + 1)}`;
    }
    case 'conditional':
      return `${printAt(expression.condition, conditionalLevel + 1)} ? ${printExpression(expression.whenTrue)} : ${printExpression(expression.whenFalse)}`;
    case 'cast':
      return `(${printType(expression.type)})${printAt(expression.operand, prefixLevel)}`;
    case 'tuple':
      return `(${printList(expression.elements)})`;
  }
}

/** `- -x`, not `--x`; `& &x`, not `&&x`: a space keeps two operators two tokens. */
function prefixed(operator: string, operand: string): string {
  const last = operator[operator.length - 1]!;
  return (last === '-' || last === '&') && operand.startsWith(last) ? `${operator} ${operand}` : `${operator}${operand}`;
}

function printList(expressions: readonly Expression[]): string {
  return expressions.map((expression) => printExpression(expression)).join(', ');
}

function isType(node: TypeExpression | Expression): node is TypeExpression {
  return node.kind === 'namedType' || node.kind === 'recordType' || node.kind === 'pointerType' || node.kind === 'arrayType' || node.kind === 'typeofType';
}

function printTypeOrExpression(node: TypeExpression | Expression): string {
  return isType(node) ? printType(node) : printExpression(node);
}

/** `int8`, `struct foo *`, `int8[8]`, `string[16]`. */
export function printType(type: TypeExpression): string {
  switch (type.kind) {
    case 'namedType':
      return type.name;
    case 'recordType':
      return `${type.keyword} ${type.name}`;
    case 'pointerType': {
      const target = printType(type.target);
      return type.target.kind === 'pointerType' ? `${target}*` : `${target} *`;
    }
    case 'arrayType':
      return `${printType(type.element)}[${type.unsized ? '' : printLength(type)}]`;
    case 'typeofType':
      return `typeof(${printTypeOrExpression(type.operand)})`;
  }
}

/** An array's length as written: a number, or a C definition's constant expression. */
export function printLength(type: { readonly length: number; readonly lengthExpression?: Expression }): string {
  return type.lengthExpression === undefined ? `${type.length}` : printExpression(type.lengthExpression);
}

/** Quotes string bytes (one character per byte) with C escapes for anything unprintable. */
export function quoteString(value: string): string {
  let text = '"';
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code === 34) text += '\\"';
    else if (code === 92) text += '\\\\';
    else if (code === 10) text += '\\n';
    else if (code === 9) text += '\\t';
    else if (code === 13) text += '\\r';
    else if (code >= 32 && code < 127) text += value[index];
    else text += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `${text}"`;
}
