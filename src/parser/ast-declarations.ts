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

/** A C `struct` or `union` definition. */
export interface RecordDefinition {
  readonly kind: 'record';
  readonly span: SourceSpan;
  readonly keyword: 'struct' | 'union';
  readonly name: string;
  readonly fields: readonly FieldDeclaration[];
}

/** One member of a record: `type name[N];` or a bit field `type name : width;`. */
export interface FieldDeclaration {
  readonly kind: 'field';
  readonly span: SourceSpan;
  readonly name: string;
  readonly type: TypeExpression;
  readonly bitWidth?: number;
}

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
 * `volatile` dropped) and typedef names (`pid_t`).
 */
export interface NamedType {
  readonly kind: 'namedType';
  readonly span: SourceSpan;
  readonly name: string;
}

/** `struct foo`, `union foo` or `enum foo`, referred to by name. */
export interface RecordType {
  readonly kind: 'recordType';
  readonly span: SourceSpan;
  readonly keyword: 'struct' | 'union' | 'enum';
  readonly name: string;
}

export interface PointerType {
  readonly kind: 'pointerType';
  readonly span: SourceSpan;
  readonly target: TypeExpression;
}

/**
 * `element[length]`. `string[16]` is an array of `string`: the checker reads it as a sized string.
 * `element[]` (`(int8[])x`) has no length of its own (`unsized`, length 0): a cast takes it from its operand.
 */
export interface ArrayType {
  readonly kind: 'arrayType';
  readonly span: SourceSpan;
  readonly element: TypeExpression;
  readonly length: number;
  readonly unsized?: boolean;
}

/** `typeof(type)` or `typeof(expression)`: the type of its operand (never evaluated). */
export interface TypeofType {
  readonly kind: 'typeofType';
  readonly span: SourceSpan;
  readonly operand: TypeExpression | Expression;
}
