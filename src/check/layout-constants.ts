// sizeof() and offsetof(): compile-time constants. bpftrace's own types take their size from
// types.ts; kernel types (`struct task_struct`, `pid_t`, `unsigned long`) from the running kernel's
// BTF, as the host has it. The checker reports what cannot be measured; the code generator asks again
// for the value (the same answer: both read the same host), so no side table has to travel between them.
import { BtfError, BtfLookupError, VMLINUX_BTF_PATH, type BtfReader, type BtfType } from '../btf/index.js';
import type { Host } from '../model/host.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Expression, OffsetofExpression, SizeofExpression, TypeExpression } from '../parser/ast.js';
import { builtinVariables } from './builtins.js';
import { sizeOf, type RecordField, type Type } from '../model/types.js';
import type { ScriptDefinitions } from './script-types.js';

export type LayoutConstant =
  | { readonly kind: 'value'; readonly value: bigint }
  | { readonly kind: 'error'; readonly span: SourceSpan; readonly message: string };

export interface LayoutContext {
  /** The type of an expression operand (`sizeof($x)`, `sizeof(comm)`); never evaluated. */
  typeOf(expression: Expression): Type;
  /** Capacity of `string` written without a size. */
  readonly maxStringLength: number;
  /** Where kernel types are measured. */
  readonly host: Host;
  /** Whether a bare word is a builtin written as a function record (`pid`, `kstack`), not a type name. */
  isBuiltin(name: string): boolean;
  /** The script's C definitions: its structs, unions and enums win over the kernel's of the same name. */
  readonly definitions?: ScriptDefinitions;
}

type Measured = { readonly size: number } | { readonly error: string };

export function layoutConstant(expression: SizeofExpression | OffsetofExpression, context: LayoutContext): LayoutConstant {
  try {
    return expression.kind === 'sizeof' ? sizeofConstant(expression, context) : offsetofConstant(expression, context);
  } catch (error) {
    if (error instanceof BtfLookupError || error instanceof BtfError) return { kind: 'error', span: expression.span, message: error.message };
    throw error;
  }
}

function sizeofConstant(expression: SizeofExpression, context: LayoutContext): LayoutConstant {
  const operand = expression.operand;
  const measured = isTypeExpression(operand) ? typeSize(operand, context)
    : typeWord(operand, context) !== undefined ? namedTypeSize(typeWord(operand, context)!, context)
    : valueSize(context.typeOf(operand));
  return 'error' in measured ? { kind: 'error', span: operand.span, message: measured.error } : { kind: 'value', value: BigInt(measured.size) };
}

function offsetofConstant(expression: OffsetofExpression, context: LayoutContext): LayoutConstant {
  const record = expression.record;
  const path = expression.fields;
  if (isTypeExpression(record) || typeWord(record, context) !== undefined) {
    const name = isTypeExpression(record) ? kernelTypeName(record) : typeWord(record, context)!;
    if (name === undefined) return { kind: 'error', span: record.span, message: 'offsetof() needs a struct or union' };
    const script = context.definitions?.records.get(name);
    if (script) return scriptOffset(script, path, expression);
    const location = kernelTypes(context).memberOffset(name, path);
    if (location.bitfieldSize !== 0) return { kind: 'error', span: expression.span, message: `offsetof() of a bitfield: ${path.join('.')} is ${location.bitfieldSize} bits` };
    return { kind: 'value', value: BigInt(location.byteOffset) };
  }
  let type = context.typeOf(record);
  let offset = 0;
  for (const name of path) {
    const field = type.kind === 'record' ? type.fields.find((candidate) => candidate.name === name) : undefined;
    if (!field) return { kind: 'error', span: record.span, message: `offsetof(): ${describe(type)} has no field '${name}'` };
    if (field.bitSize !== undefined) return { kind: 'error', span: expression.span, message: `offsetof() of a bitfield: ${name} is ${field.bitSize} bits` };
    offset += field.offset;
    type = field.type;
  }
  return { kind: 'value', value: BigInt(offset) };
}

/** offsetof() in a script-defined record: a member path through nested records (anonymous members flattened). */
function scriptOffset(record: Type, path: readonly string[], expression: OffsetofExpression): LayoutConstant {
  let type = record;
  let offset = 0;
  for (const name of path) {
    const field: RecordField | undefined = type.kind === 'record' ? type.fields.find((candidate) => candidate.name === name) : undefined;
    if (!field) return { kind: 'error', span: expression.span, message: `'${describe(type)}' has no field named '${name}'` };
    if (field.bitSize !== undefined) return { kind: 'error', span: expression.span, message: `offsetof() of a bitfield: ${name} is ${field.bitSize} bits` };
    offset += field.offset;
    type = field.type;
  }
  return { kind: 'value', value: BigInt(offset) };
}

function typeSize(type: TypeExpression, context: LayoutContext): Measured {
  switch (type.kind) {
    case 'namedType':
      return namedTypeSize(type.name, context);
    case 'recordType': {
      const script = context.definitions?.records.get(`${type.keyword} ${type.name}`) ?? context.definitions?.enums.get(`${type.keyword} ${type.name}`);
      if (script) return { size: sizeOf(script) };
      return btfSize(kernelTypes(context).findType(`${type.keyword} ${type.name}`), `${type.keyword} ${type.name}`, context);
    }
    case 'pointerType':
      return { size: 8 };
    case 'arrayType': {
      if (type.element.kind === 'namedType' && type.element.name === 'string') return { size: type.length };
      const element = typeSize(type.element, context);
      return 'error' in element ? element : { size: element.size * type.length };
    }
  }
}

/** bpftrace's scalar names first (`uint32`, `string`), then any C or kernel name in the BTF. */
function namedTypeSize(name: string, context: LayoutContext): Measured {
  const integer = /^u?int(8|16|32|64)$/.exec(name);
  if (integer) return { size: Number(integer[1]) / 8 };
  if (name === 'bool') return { size: 1 };
  if (name === 'string') return { size: context.maxStringLength };
  if (name === 'void') return { error: 'sizeof(void) has no size' };
  return btfSize(kernelTypes(context).findType(name), name, context);
}

function btfSize(type: BtfType | undefined, name: string, context: LayoutContext): Measured {
  if (!type) return { error: `unknown type: ${name}` };
  if (type.kind === 'forward') return { error: `${name} is only declared, not defined, in the kernel's BTF` };
  if (type.kind === 'func' || type.kind === 'funcProto' || type.kind === 'variable' || type.kind === 'void') return { error: `${name} is not a type with a size` };
  return { size: kernelTypes(context).sizeof(type.id) };
}

function valueSize(type: Type): Measured {
  if (type.kind === 'none') return { error: 'this expression has no value to measure' };
  return { size: sizeOf(type) };
}

/** `struct foo` / `union foo` as the BTF reader names them; enums have no members. */
function kernelTypeName(type: TypeExpression): string | undefined {
  if (type.kind === 'recordType') return type.keyword === 'enum' ? undefined : `${type.keyword} ${type.name}`;
  if (type.kind === 'namedType') return type.name;
  return undefined;
}

/**
 * A bare word that is no variable of the language reads as a type name: `sizeof(pid_t)`,
 * `offsetof(task_struct, pid)`. The parser cannot tell; bpftrace resolves it the same way.
 */
function typeWord(expression: Expression, context: LayoutContext): string | undefined {
  if (expression.kind !== 'identifier') return undefined;
  const name = expression.name;
  if (builtinVariables[name] || context.isBuiltin(name) || name === 'args') return undefined;
  // An enumerator is a value: `sizeof(FOO)` measures it (8 bytes, as bpftrace).
  if (context.definitions?.enumerator(name)) return undefined;
  return name;
}

function isTypeExpression(operand: TypeExpression | Expression): operand is TypeExpression {
  return operand.kind === 'namedType' || operand.kind === 'recordType' || operand.kind === 'pointerType' || operand.kind === 'arrayType';
}

function describe(type: Type): string {
  return type.kind === 'record' ? type.name : type.kind;
}

function kernelTypes(context: LayoutContext): BtfReader {
  const btf = context.host.kernelBtf();
  if (!btf) throw new BtfError(`cannot read kernel BTF at ${VMLINUX_BTF_PATH}; the kernel needs CONFIG_DEBUG_INFO_BTF`);
  return btf;
}
