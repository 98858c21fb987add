// sizeof() and offsetof(): compile-time constants of any type — bpftrace's own (`uint32`, `string[5]`,
// tuples), C and kernel types by name (`struct task_struct`, `pid_t`, `unsigned long`, the script's
// definitions), and the type of an expression, which is never evaluated. Names resolve through the
// program's CTypes, so script definitions and BTF are measured the same way. The checker records the
// value for code generation (the facts pass), or reports what cannot be measured.
import type { SourceSpan } from '../diagnostics/span.js';
import type { Expression, OffsetofExpression, SizeofExpression, TypeExpression } from '../parser/ast.js';
import { builtinVariables } from './builtins.js';
import { sizeOf, typeName, type Type } from '../model/types.js';
import { isTypeExpression, type CTypes } from './c-types.js';

export type LayoutConstant =
  | { readonly kind: 'value'; readonly value: bigint }
  | { readonly kind: 'error'; readonly span: SourceSpan; readonly message: string; readonly hint?: string };

export interface LayoutContext {
  /** The type of an expression operand (`sizeof($x)`, `sizeof(comm)`); never evaluated. */
  typeOf(expression: Expression): Type;
  /** Capacity of `string` written without a size. */
  readonly maxStringLength: number;
  /** Types by name: the script's definitions, then the kernel's BTF. */
  readonly cTypes: CTypes;
  /** Whether a bare word is a builtin written as a function record (`pid`, `kstack`), not a type name. */
  isBuiltin(name: string): boolean;
}

type Resolved = { readonly type: Type } | { readonly error: string; readonly hint?: string };

export function layoutConstant(expression: SizeofExpression | OffsetofExpression, context: LayoutContext): LayoutConstant {
  return expression.kind === 'sizeof' ? sizeofConstant(expression, context) : offsetofConstant(expression, context);
}

function sizeofConstant(expression: SizeofExpression, context: LayoutContext): LayoutConstant {
  const operand = expression.operand;
  const word = typeWord(operand, context);
  // An enum identifier is a 64-bit value (bpftrace: sizeof(BTF_VAR_STATIC) is 8).
  if (word !== undefined && context.cTypes.enumerator(word)) return { kind: 'value', value: 8n };
  const resolved = isTypeExpression(operand) ? context.cTypes.resolve(operand, context.maxStringLength, context.typeOf)
    : word !== undefined ? namedType(word, context)
    : { type: context.typeOf(operand) };
  if ('error' in resolved) return { kind: 'error', span: operand.span, message: resolved.error, ...(resolved.hint ? { hint: resolved.hint } : {}) };
  if (resolved.type.kind === 'none') return { kind: 'error', span: operand.span, message: isTypeExpression(operand) || word !== undefined ? 'sizeof(void) has no size' : 'this expression has no value to measure' };
  return { kind: 'value', value: BigInt(sizeOf(resolved.type)) };
}

function offsetofConstant(expression: OffsetofExpression, context: LayoutContext): LayoutConstant {
  const record = expression.record;
  const word = typeWord(record, context);
  const resolved = isTypeExpression(record) ? context.cTypes.resolve(record, context.maxStringLength, context.typeOf)
    : word !== undefined ? namedType(word, context)
    : { type: context.typeOf(record) };
  if ('error' in resolved) {
    const name = isTypeExpression(record) ? typeText(record) : word!;
    return { kind: 'error', span: record.span, message: `'${name}' does not exist.`, ...(resolved.hint ? { hint: resolved.hint } : {}) };
  }
  let type = resolved.type;
  let offset = 0;
  for (const name of expression.fields) {
    if (type.kind !== 'record') return { kind: 'error', span: expression.span, message: `'${typeName(type)}' is not a C type.` };
    const field = type.fields.find((candidate) => candidate.name === name);
    if (!field) return { kind: 'error', span: expression.span, message: `'${type.name}' has no field named '${name}'` };
    if (field.bitSize !== undefined) return { kind: 'error', span: expression.span, message: `offsetof() of a bitfield: ${name} is ${field.bitSize} bits` };
    offset += field.offset;
    type = field.type;
  }
  return { kind: 'value', value: BigInt(offset) };
}

/** A bare name as a type: a typedef or C name (`pid_t`), or a struct/union without its keyword (`task_struct`). */
function namedType(name: string, context: LayoutContext): Resolved {
  const type = context.cTypes.byName(name, context.maxStringLength) ?? context.cTypes.named(`struct ${name}`) ?? context.cTypes.named(`union ${name}`);
  return type ? { type } : { error: `Cannot resolve unknown type "${name}"` };
}

/**
 * A bare word that is no variable of the language reads as a type name: `sizeof(pid_t)`,
 * `offsetof(task_struct, pid)`. The parser cannot tell; bpftrace resolves it the same way.
 */
function typeWord(expression: TypeExpression | Expression, context: LayoutContext): string | undefined {
  if (expression.kind !== 'identifier') return undefined;
  const name = expression.name;
  if (builtinVariables[name] || context.isBuiltin(name) || name === 'args') return undefined;
  return name;
}


function typeText(type: TypeExpression): string {
  switch (type.kind) {
    case 'namedType': return type.name;
    case 'recordType': return `${type.keyword} ${type.name}`;
    case 'pointerType': return `${typeText(type.target)} *`;
    case 'arrayType': return `${typeText(type.element)}[${type.length}]`;
    case 'typeofType': return 'typeof(...)';
  }
}
