/**
 * Syntax tree, part two: top-level definitions (`#include`, `#define`, other `#` lines, C
 * `struct`/`union`/`enum`) and type expressions (casts, `let` types, fields). Re-exported by ast.ts.
 */
import type { SourceSpan } from '../diagnostics/span.js';
import type { Expression } from './ast.js';

// ─── Definitions ──────────────────────────────────────────────────────────────────────────────────

export type Definition = IncludeDefinition | MacroDefinition | PreprocessorDirective | RecordDefinition | EnumDefinition;

/** `#include <path>` (system) or `#include "path"`. */
export interface IncludeDefinition {
  readonly kind: 'include';
  readonly span: SourceSpan;
  readonly path: string;
  readonly system: boolean;
}

/** `#define NAME body` or `#define NAME(a, b) body`; the body is kept as text (continuations joined). */
export interface MacroDefinition {
  readonly kind: 'define';
  readonly span: SourceSpan;
  readonly name: string;
  /** Present for function-like macros, even when empty: `#define F() 1`. */
  readonly parameters?: readonly string[];
  readonly body: string;
}

/** Any other `#` line (`#ifdef`, `#undef`, `#pragma`, ...), kept so later stages can name it. */
export interface PreprocessorDirective {
  readonly kind: 'preprocessor';
  readonly span: SourceSpan;
  /** The directive word after `#`, e.g. `ifdef`; empty for a lone `#`. */
  readonly directive: string;
  /** The rest of the line after the directive word, trimmed. */
  readonly text: string;
}

/**
 * A C `struct` or `union` definition: at top level, or inline as a member's type (`struct { int x; } a;`,
 * where the name may be '' for an anonymous type).
 */
export interface RecordDefinition {
  readonly kind: 'record';
  readonly span: SourceSpan;
  readonly keyword: 'struct' | 'union';
  readonly name: string;
  readonly fields: readonly FieldDeclaration[];
  /** `struct __attribute__((packed)) s { … }` and `… } __attribute__((aligned(8)))`, in order. */
  readonly attributes?: readonly CAttribute[];
  /** Definitions inside the body that declare no member (`struct outer { struct inner { int x; }; };`). */
  readonly nested?: readonly (RecordDefinition | EnumDefinition)[];
}

/**
 * One member of a record: `type name[N];`, a bit field `type name : width;` (unnamed: name ''), or an
 * anonymous struct/union member (name '', its type an inline RecordType definition).
 */
export interface FieldDeclaration {
  readonly kind: 'field';
  readonly span: SourceSpan;
  readonly name: string;
  readonly type: TypeExpression;
  readonly bitWidth?: number;
  /** `int x __attribute__((aligned(8)));` */
  readonly attributes?: readonly CAttribute[];
}

/** `packed` or `aligned(8)`: one attribute of an `__attribute__((…))` list; arguments as written. */
export interface CAttribute {
  readonly kind: 'attribute';
  readonly span: SourceSpan;
  readonly name: string;
  readonly arguments: readonly Expression[];
}

/** `enum name { … }`; the name is '' for an anonymous enum (`enum { A, B };`). */
export interface EnumDefinition {
  readonly kind: 'enum';
  readonly span: SourceSpan;
  readonly name: string;
  readonly values: readonly EnumValue[];
}

/** `NAME` or `NAME = expression` inside an enum. */
export interface EnumValue {
  readonly kind: 'enumValue';
  readonly span: SourceSpan;
  readonly name: string;
  readonly value?: Expression;
}

// ─── Types ────────────────────────────────────────────────────────────────────────────────────────

export type TypeExpression = NamedType | RecordType | PointerType | ArrayType | TypeofType;

/**
 * A type named by words: bpftrace scalars (`int8` … `uint64`, `bool`, `string`, `buffer`, `void`),
 * C spellings inside definitions (`unsigned long`, `char`, words joined by one space, `const` and
 * `volatile` dropped) and typedef names (`pid_t`). A function pointer member (`void (*f)(int)`) is
 * kept as a pointer to `void`: only its size matters to a layout.
 */
export interface NamedType {
  readonly kind: 'namedType';
  readonly span: SourceSpan;
  readonly name: string;
}

/**
 * `struct foo`, `union foo` or `enum foo`, referred to by name. Inside a C definition a member's type
 * may carry its body (`struct { int x; } a;`, `enum { A, B } e;`): `definition` holds it, and `name`
 * is '' when the type is anonymous.
 */
export interface RecordType {
  readonly kind: 'recordType';
  readonly span: SourceSpan;
  readonly keyword: 'struct' | 'union' | 'enum';
  readonly name: string;
  readonly definition?: RecordDefinition | EnumDefinition;
}

export interface PointerType {
  readonly kind: 'pointerType';
  readonly span: SourceSpan;
  readonly target: TypeExpression;
}

/**
 * `element[length]`. `string[16]` is an array of `string`: the checker reads it as a sized string.
 * Inside a C definition the length may be a constant expression (`[TASK_COMM_LEN]`, `[2 * N]`), kept
 * in `lengthExpression` for the checker to evaluate (`length` is 0 then), or absent (`int x[]`, a
 * flexible array member: length 0).
 * `element[]` in a cast (`(int8[])x`) has no length of its own (`unsized`, length 0): the cast takes it from its operand.
 */
export interface ArrayType {
  readonly kind: 'arrayType';
  readonly span: SourceSpan;
  readonly element: TypeExpression;
  readonly length: number;
  readonly lengthExpression?: Expression;
  readonly unsized?: boolean;
}

/** `typeof(type)` or `typeof(expression)`: the type of its operand (never evaluated). */
export interface TypeofType {
  readonly kind: 'typeofType';
  readonly span: SourceSpan;
  readonly operand: TypeExpression | Expression;
}
