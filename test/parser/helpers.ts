/**
 * Shared by the parser tests: one parser built with grammar validation on, and helpers that parse
 * and check every program they are given (no diagnostics, valid spans, printer round trip).
 */
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { LineMap } from '../../src/diagnostics/line-map.js';
import type { SourceSpan } from '../../src/diagnostics/span.js';
import type { Expression, Program, Statement } from '../../src/parser/ast.js';
import { createParser } from '../../src/parser/parse.js';
import { printProgram } from '../../src/parser/printer.js';
import { withSyntax } from '../support/parse.js';

export const parser = withSyntax(createParser({ validateGrammar: true }));

/** A deep copy without `span` properties, for comparing trees parsed from different text. */
export function withoutSpans<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutSpans(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (key !== 'span') copy[key] = withoutSpans(item);
    return copy as T;
  }
  return value;
}

/** Every `span` in a tree, with the path that leads to it. */
export function allSpans(value: unknown, path = '$', found: Array<{ path: string; span: SourceSpan }> = []) {
  if (Array.isArray(value)) value.forEach((item, index) => allSpans(item, `${path}[${index}]`, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'span') found.push({ path, span: item as SourceSpan });
      else allSpans(item, `${path}.${key}`, found);
    }
  }
  return found;
}

/** Line and column recomputed from the offset by a different method than LineMap's. */
export function positionByScan(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** A span is inside the source and its line/column agree with its offset. */
export function spanProblem(span: SourceSpan, source: string, file: string): string | undefined {
  if (span.file !== file) return `file ${span.file} is not ${file}`;
  if (!Number.isInteger(span.offset) || !Number.isInteger(span.length)) return `non-integer span ${JSON.stringify(span)}`;
  if (span.offset < 0 || span.length < 0 || span.offset + span.length > source.length) {
    return `span ${span.offset}+${span.length} outside a source of ${source.length} characters`;
  }
  const expected = positionByScan(source, span.offset);
  if (expected.line !== span.line || expected.column !== span.column) {
    return `span at ${span.offset} says ${span.line}:${span.column}, expected ${expected.line}:${expected.column}`;
  }
  return undefined;
}

/**
 * Parses a program that must be valid: no diagnostics, sound spans, and printing then parsing
 * again gives the same tree. Returns the program.
 */
export function parseOk(source: string, file = 'test.bt'): Program {
  const result = parser.parse(source, file);
  assert.equal(result.diagnostics.map((d) => d.message), [], `unexpected diagnostics for:\n${source}`);
  const program = result.program;
  if (program === undefined) throw new Error(`no program for:\n${source}`);
  for (const { path, span } of allSpans(program)) {
    const problem = spanProblem(span, source, file);
    if (problem) assert.unreachable(`${path}: ${problem}`);
  }
  const printed = printProgram(program);
  const again = parser.parse(printed, 'printed.bt');
  assert.equal(again.diagnostics.map((d) => d.message), [], `printed program does not parse:\n${printed}`);
  assert.equal(withoutSpans(again.program), withoutSpans(program), `round trip changed the tree:\n${printed}`);
  return program;
}

/** Parses a program that must fail; returns its diagnostics (at least one error). */
export function parseErrors(source: string, file = 'test.bt'): readonly Diagnostic[] {
  const result = parser.parse(source, file);
  assert.is(result.program, undefined, 'a program with errors must not produce a tree');
  assert.ok(result.diagnostics.some((d) => d.severity === 'error'), 'expected at least one error');
  return result.diagnostics;
}

/** The statements of `BEGIN { <body> }`. */
export function statementsOf(body: string): readonly Statement[] {
  return parseOk(`BEGIN { ${body} }`).probes[0]!.body.statements;
}

/** The expression `text`, parsed as the value of `$x = text;`. */
export function expressionOf(text: string): Expression {
  const statement = statementsOf(`$x = ${text};`)[0]!;
  if (statement.kind !== 'assignment') throw new Error(`not an assignment: ${statement.kind}`);
  return statement.value;
}

/** A compact Lisp-like rendering of an expression tree, to assert shapes in one line. */
export function shape(expression: Expression): string {
  switch (expression.kind) {
    case 'integer':
      return expression.value.toString();
    case 'string':
      return JSON.stringify(expression.value);
    case 'boolean':
      return String(expression.value);
    case 'identifier':
      return expression.name;
    case 'variable':
      return `$${expression.name}`;
    case 'map':
      return expression.keys.length === 0 ? `@${expression.name}` : `(@${expression.name} ${expression.keys.map(shape).join(' ')})`;
    case 'positional':
      return `$${expression.index}`;
    case 'positionalCount':
      return '$#';
    case 'call':
      return `(call ${expression.name}${expression.arguments.map((argument) => ` ${shape(argument)}`).join('')})`;
    case 'sizeof':
      return `(sizeof ${'kind' in expression.operand && isTypeKind(expression.operand.kind) ? 'type' : 'expr'})`;
    case 'offsetof':
      return `(offsetof ${expression.fields.join('.')})`;
    case 'fieldAccess':
      return `(${expression.arrow ? '->' : '.'} ${shape(expression.object)} ${expression.field})`;
    case 'tupleIndex':
      return `(.${expression.index} ${shape(expression.object)})`;
    case 'index':
      return `([] ${shape(expression.object)} ${shape(expression.index)})`;
    case 'unary':
      return `(${expression.operator} ${shape(expression.operand)})`;
    case 'update':
      return expression.prefix ? `(${expression.operator}pre ${shape(expression.operand)})` : `(${expression.operator}post ${shape(expression.operand)})`;
    case 'binary':
      return `(${expression.operator} ${shape(expression.left)} ${shape(expression.right)})`;
    case 'conditional':
      return `(? ${shape(expression.condition)} ${shape(expression.whenTrue)} ${shape(expression.whenFalse)})`;
    case 'cast':
      return `(cast ${shape(expression.operand)})`;
    case 'tuple':
      return `(tuple ${expression.elements.map(shape).join(' ')})`;
  }
}

function isTypeKind(kind: string): boolean {
  return kind === 'namedType' || kind === 'recordType' || kind === 'pointerType' || kind === 'arrayType';
}

/** Source text of a span. */
export function textOf(source: string, span: SourceSpan): string {
  return source.slice(span.offset, span.offset + span.length);
}

export function lineMapOf(source: string, file = 'test.bt'): LineMap {
  return new LineMap(file, source);
}
