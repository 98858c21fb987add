// C macros and constant expressions. A `#define`d name used as a bare identifier stands for its value
// read as an expression of the script's grammar (as bpftrace re-parses it), in probe bodies and in
// the definitions (array lengths, enum values, attribute arguments, `#if`); a function-like macro
// used as a call has its arguments put in place of its parameters first. Constant expressions are
// evaluated here in 64 bits.
import type { SourceSpan } from '../diagnostics/span.js';
import type { CallExpression, Expression, TypeExpression } from '../parser/ast.js';
import { parse } from '../parser/parse.js';
import { printExpression } from '../parser/printer.js';
import type { ProviderSyntaxTable } from '../model/provider-syntax.js';

export interface CMacro {
  readonly name: string;
  /** The replacement text as written (continuations joined). */
  readonly body: string;
  /** Present for a function-like macro. */
  readonly parameters?: readonly string[];
  /** Where it was defined (absent for predefined macros). */
  readonly span?: SourceSpan;
}

/** An expansion, or why there is none. */
export type Expansion = { readonly expression: Expression } | { readonly error: string };

/** Expands macros in expressions; `syntax` is the grammar's (a macro's value is parsed with it). */
export class MacroExpander {
  /** Macros being expanded, outermost first: meeting one again is a recursion. */
  private readonly active: string[] = [];

  constructor(readonly macros: ReadonlyMap<string, CMacro>, private readonly syntax: ProviderSyntaxTable) {}

  /** Whether `node` (an identifier or a call) names a macro this expander replaces. */
  replaces(node: Expression): boolean {
    if (node.kind === 'identifier') {
      const macro = this.macros.get(node.name);
      return macro !== undefined && macro.parameters === undefined && macro.body !== '';
    }
    return node.kind === 'call' && this.macros.get(node.name)?.parameters !== undefined;
  }

  /** The expansion of an identifier or call that `replaces()`, with every macro inside expanded too. */
  expand(node: Expression, span: SourceSpan): Expansion {
    const name = (node as { name: string }).name;
    if (this.active.includes(name)) return { error: `Macro recursion: ${this.active.join('->')}` };
    const macro = this.macros.get(name)!;
    let text = macro.body;
    if (node.kind === 'call') {
      const call = node as CallExpression;
      const parameters = macro.parameters!;
      if (call.arguments.length !== parameters.length) {
        return { error: `macro ${name} takes ${parameters.length} argument${parameters.length === 1 ? '' : 's'}, not ${call.arguments.length}` };
      }
      text = substituteParameters(text, parameters, call.arguments.map((argument) => `(${printExpression(argument)})`));
    }
    const parsed = parseExpressionText(text, this.syntax);
    if (parsed === undefined) return { error: `unable to expand macro as an expression: ${macro.body}` };
    this.active.push(name);
    try {
      return this.expandWithin(relocated(parsed, span), span);
    } finally {
      this.active.pop();
    }
  }

  /** `expression` with every macro in it expanded (a copy where something changed). */
  expandWithin(expression: Expression, span?: SourceSpan): Expansion {
    let failure: string | undefined;
    const rewritten = rewriteExpressions(expression, (node) => {
      if (failure !== undefined || !this.replaces(node)) return undefined;
      const expansion = this.expand(node, span ?? node.span);
      if ('error' in expansion) {
        failure = expansion.error;
        return node;
      }
      return expansion.expression;
    });
    return failure === undefined ? { expression: rewritten } : { error: failure };
  }
}

/**
 * Copies `node` with expressions replaced where `replace` returns one (identifiers and calls are
 * offered, children first being left alone when replaced). Untouched subtrees keep their identity.
 */
export function rewriteExpressions<T>(node: T, replace: (expression: Expression) => Expression | undefined): T {
  if (Array.isArray(node)) {
    let changed = false;
    const items = node.map((item) => {
      const next = rewriteExpressions(item, replace);
      changed ||= next !== item;
      return next;
    });
    return (changed ? items : node) as T;
  }
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (record.kind === 'identifier' || record.kind === 'call') {
    const replaced = replace(node as unknown as Expression);
    if (replaced !== undefined) return replaced as unknown as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'span' || value === null || typeof value !== 'object') continue;
    const next = rewriteExpressions(value, replace);
    if (next !== value) (copy ??= { ...record })[key] = next;
  }
  return (copy ?? node) as T;
}

/** A copy of a parsed expansion with every span set to the use site (diagnostics point there). */
function relocated<T>(node: T, span: SourceSpan): T {
  if (Array.isArray(node)) return node.map((item) => relocated(item, span)) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) copy[key] = key === 'span' ? span : relocated(value, span);
  return copy as T;
}

/** Replaces whole-word parameter names in a function-like macro's body. */
function substituteParameters(body: string, parameters: readonly string[], values: readonly string[]): string {
  return body.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (word) => {
    const index = parameters.indexOf(word);
    return index < 0 ? word : values[index]!;
  });
}

/** `text` read as one expression of the script's grammar, or undefined. */
export function parseExpressionText(text: string, syntax: ProviderSyntaxTable): Expression | undefined {
  if (text.trim() === '' || /[{};]/.test(text)) return undefined;
  // The grammar reads expressions inside a probe: the text becomes the one statement of one.
  const parsed = parse(`BEGIN { ${text}\n; }`, '<macro>', { providers: syntax });
  const statements = parsed.program?.probes[0]?.body.statements;
  if (parsed.program?.probes.length !== 1 || statements?.length !== 1 || statements[0]!.kind !== 'expression') return undefined;
  return statements[0].expression;
}

/** What constant expressions may name. */
export interface ConstantScope {
  /** The value of an identifier (an enumerator), or undefined when it has none. */
  identifier(name: string): bigint | undefined;
  /** sizeof(type) in bytes, or why it cannot be measured. */
  sizeOf?(type: TypeExpression): number | string;
}

/** The value of a C constant expression in 64 bits, or why it is not one. */
export function evaluateConstant(expression: Expression, scope: ConstantScope): bigint | string {
  const value = (operand: Expression) => evaluateConstant(operand, scope);
  switch (expression.kind) {
    case 'integer':
      return expression.value;
    case 'boolean':
      return expression.value ? 1n : 0n;
    case 'identifier': {
      const known = scope.identifier(expression.name);
      return known ?? `'${expression.name}' is not a constant`;
    }
    case 'unary': {
      const operand = value(expression.operand);
      if (typeof operand === 'string') return operand;
      if (expression.operator === '-') return BigInt.asIntN(64, -operand);
      if (expression.operator === '~') return BigInt.asIntN(64, ~operand);
      if (expression.operator === '!') return operand === 0n ? 1n : 0n;
      return `'${expression.operator}' is not allowed in a constant expression`;
    }
    case 'binary': {
      const left = value(expression.left);
      if (typeof left === 'string') return left;
      if (expression.operator === '&&' && left === 0n) return 0n;
      if (expression.operator === '||' && left !== 0n) return 1n;
      const right = value(expression.right);
      if (typeof right === 'string') return right;
      return binary(expression.operator, left, right);
    }
    case 'conditional': {
      const condition = value(expression.condition);
      if (typeof condition === 'string') return condition;
      return value(condition !== 0n ? expression.whenTrue : expression.whenFalse);
    }
    case 'cast':
      return value(expression.operand);
    case 'sizeof': {
      const operand = expression.operand;
      if (!scope.sizeOf || !['namedType', 'recordType', 'pointerType', 'arrayType'].includes(operand.kind)) return 'sizeof here needs a type';
      const size = scope.sizeOf(operand as TypeExpression);
      return typeof size === 'string' ? size : BigInt(size);
    }
    default:
      return 'not a constant expression';
  }
}

function binary(operator: string, left: bigint, right: bigint): bigint | string {
  const wrap = (result: bigint) => BigInt.asIntN(64, result);
  switch (operator) {
    case '+': return wrap(left + right);
    case '-': return wrap(left - right);
    case '*': return wrap(left * right);
    case '/': return right === 0n ? 'division by zero' : wrap(left / right);
    case '%': return right === 0n ? 'division by zero' : wrap(left % right);
    case '<<': return wrap(left << (right & 63n));
    case '>>': return left >> (right & 63n);
    case '&': return left & right;
    case '|': return left | right;
    case '^': return left ^ right;
    case '&&': return left !== 0n && right !== 0n ? 1n : 0n;
    case '||': return left !== 0n || right !== 0n ? 1n : 0n;
    case '==': return left === right ? 1n : 0n;
    case '!=': return left !== right ? 1n : 0n;
    case '<': return left < right ? 1n : 0n;
    case '<=': return left <= right ? 1n : 0n;
    case '>': return left > right ? 1n : 0n;
    case '>=': return left >= right ? 1n : 0n;
    default: return `'${operator}' is not allowed in a constant expression`;
  }
}

/**
 * The value of an `#if`/`#elif` condition: `defined NAME` and `defined(NAME)` first, then macros
 * expanded; any other identifier is 0, as in C.
 */
export function conditionValue(text: string, macros: ReadonlyMap<string, CMacro>, syntax: ProviderSyntaxTable): bigint | string {
  const replaced = text.replace(/\bdefined\s*(?:\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|([A-Za-z_][A-Za-z0-9_]*))/g, (_, inParentheses, bare) => (macros.has(inParentheses ?? bare) ? '1' : '0'));
  const parsed = parseExpressionText(replaced, syntax);
  if (parsed === undefined) return `cannot read '${text}' as a condition`;
  const expander = new MacroExpander(macros, syntax);
  const expanded = expander.expandWithin(parsed);
  if ('error' in expanded) return expanded.error;
  return evaluateConstant(expanded.expression, { identifier: () => 0n });
}
