/**
 * The syntax tree of a tsbpf program: plain, immutable-by-convention data. Every node has a `kind`
 * (the discriminant of its category's union) and a `span` (where it is written). Names are stored
 * without their sigils (`$x` → `x`, `@m` → `m`). Nothing here is resolved or typed: that is the
 * checker's job. Attach points are in attach-point-ast.ts; definitions and type expressions are
 * in ast-declarations.ts and re-exported here.
 */
import type { SourceSpan } from '../diagnostics/span.js';
import type { AttachPoint } from './attach-point-ast.js';
import type { Definition, EnumValue, FieldDeclaration, TypeExpression } from './ast-declarations.js';

export type { AttachPoint } from './attach-point-ast.js';
export type * from './ast-declarations.js';

// ─── Program ──────────────────────────────────────────────────────────────────────────────────────

/** A whole script. Top-level items are grouped by category; each list keeps source order. */
export interface Program {
  readonly kind: 'program';
  readonly span: SourceSpan;
  /** The `#!...` first line, without its line break, if present. */
  readonly shebang?: string;
  /** `#include`, `#define`, other `#` lines, `struct`/`union`/`enum` definitions. */
  readonly definitions: readonly Definition[];
  /** `config = { ... }` blocks (bpftrace allows one; the checker says so). */
  readonly configs: readonly ConfigBlock[];
  /** Top-level `let @m = hash(N);` map declarations. */
  readonly mapDeclarations: readonly MapDeclaration[];
  readonly probes: readonly ProbeBlock[];
}

/** `probe[, probe...] [/predicate/] { ... }` */
export interface ProbeBlock {
  readonly kind: 'probe';
  readonly span: SourceSpan;
  readonly attachPoints: readonly AttachPoint[];
  readonly predicate?: Expression;
  readonly body: BlockStatement;
}

/** `config = { key = value; ... }`: values are literals or bare names (e.g. `stack_mode = perf`). */
export interface ConfigBlock {
  readonly kind: 'config';
  readonly span: SourceSpan;
  readonly entries: readonly ConfigEntry[];
}

export interface ConfigEntry {
  readonly kind: 'configEntry';
  readonly span: SourceSpan;
  readonly key: string;
  readonly value: Expression;
}

/** `let @name = mapType(arguments...);` at top level, e.g. `let @a = lruhash(100);`. */
export interface MapDeclaration {
  readonly kind: 'mapDeclaration';
  readonly span: SourceSpan;
  readonly name: string;
  /** The constructor name as written: hash, lruhash, percpuhash, percpulruhash, percpuarray, ... */
  readonly mapType: string;
  readonly arguments: readonly Expression[];
}

// ─── Statements ───────────────────────────────────────────────────────────────────────────────────

export type Statement =
  | ExpressionStatement
  | AssignmentStatement
  | LetStatement
  | IfStatement
  | UnrollStatement
  | WhileStatement
  | ForMapStatement
  | ForRangeStatement
  | BreakStatement
  | ContinueStatement
  | ReturnStatement
  | BlockStatement
  | DispatchStatement;

/** `{ statement; ... }`: a probe body, a branch, a loop body, or a nested scope. */
export interface BlockStatement {
  readonly kind: 'block';
  readonly span: SourceSpan;
  readonly statements: readonly Statement[];
}

/** An expression evaluated for its effect: `printf(...)`, `@x++`, `delete(@m[k])`, `exit()`. */
export interface ExpressionStatement {
  readonly kind: 'expression';
  readonly span: SourceSpan;
  readonly expression: Expression;
}

export type AssignmentOperator = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';

/** `target op value`; compound operators are kept as written (not expanded). */
export interface AssignmentStatement {
  readonly kind: 'assignment';
  readonly span: SourceSpan;
  readonly target: MapExpression | VariableExpression;
  readonly operator: AssignmentOperator;
  readonly value: Expression;
}

/** `let $name[: type] [= value]`: declares a scratch variable in the enclosing block. */
export interface LetStatement {
  readonly kind: 'let';
  readonly span: SourceSpan;
  readonly variable: VariableExpression;
  readonly type?: TypeExpression;
  readonly value?: Expression;
}

export interface IfStatement {
  readonly kind: 'if';
  readonly span: SourceSpan;
  readonly condition: Expression;
  readonly then: BlockStatement;
  /** `else { ... }` is a block; `else if` is the nested if statement. */
  readonly else?: BlockStatement | IfStatement;
}

/** `unroll (count) { ... }` */
export interface UnrollStatement {
  readonly kind: 'unroll';
  readonly span: SourceSpan;
  readonly count: Expression;
  readonly body: BlockStatement;
}

export interface WhileStatement {
  readonly kind: 'while';
  readonly span: SourceSpan;
  readonly condition: Expression;
  readonly body: BlockStatement;
}

/** `for ($kv : @map) { ... }`: `$kv.0` is the key, `$kv.1` the value. */
export interface ForMapStatement {
  readonly kind: 'forMap';
  readonly span: SourceSpan;
  readonly variable: VariableExpression;
  readonly map: MapExpression;
  readonly body: BlockStatement;
}

/** `for ($i : start..end) { ... }`: end exclusive. */
export interface ForRangeStatement {
  readonly kind: 'forRange';
  readonly span: SourceSpan;
  readonly variable: VariableExpression;
  readonly start: Expression;
  readonly end: Expression;
  readonly body: BlockStatement;
}

export interface BreakStatement {
  readonly kind: 'break';
  readonly span: SourceSpan;
}

export interface ContinueStatement {
  readonly kind: 'continue';
  readonly span: SourceSpan;
}

/** `return;` leaves the probe; `return value;` is kept for subprograms. */
export interface ReturnStatement {
  readonly kind: 'return';
  readonly span: SourceSpan;
  readonly value?: Expression;
}

/** `dispatch (selector) { 59: { ... } 222, 223: { ... } }`: tail calls chosen by an integer. */
export interface DispatchStatement {
  readonly kind: 'dispatch';
  readonly span: SourceSpan;
  readonly selector: Expression;
  readonly cases: readonly DispatchCase[];
}

export interface DispatchCase {
  readonly kind: 'dispatchCase';
  readonly span: SourceSpan;
  readonly labels: readonly IntegerLiteral[];
  readonly body: BlockStatement;
}

// ─── Expressions ──────────────────────────────────────────────────────────────────────────────────

export type Expression =
  | IntegerLiteral
  | StringLiteral
  | BooleanLiteral
  | IdentifierExpression
  | VariableExpression
  | MapExpression
  | PositionalParameter
  | PositionalCount
  | CallExpression
  | SizeofExpression
  | OffsetofExpression
  | FieldAccess
  | TupleIndex
  | IndexExpression
  | UnaryExpression
  | UpdateExpression
  | BinaryExpression
  | ConditionalExpression
  | CastExpression
  | TupleExpression;

export type DurationUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * An integer: decimal, `0x` hex, `0b` binary, leading-zero octal, `_` separators, `1e6`, a C suffix
 * (`u`, `l`, `ul`, `ull`, ...) or a duration unit. `value` is exact; durations are in nanoseconds.
 * Negative numbers are a unary `-` applied to a literal.
 */
export interface IntegerLiteral {
  readonly kind: 'integer';
  readonly span: SourceSpan;
  readonly value: bigint;
  /** The spelling in the source, printed back unchanged. */
  readonly text: string;
  /** The C suffix as written (`ull`, `U`, ...), if any. */
  readonly suffix?: string;
  readonly unit?: DurationUnit;
}

/**
 * A string literal. `value` holds bytes, one character per byte (code 0–255): escapes decoded and
 * non-ASCII source text UTF-8 encoded. `Buffer.from(value, 'latin1')` gives the bytes.
 */
export interface StringLiteral {
  readonly kind: 'string';
  readonly span: SourceSpan;
  readonly value: string;
}

export interface BooleanLiteral {
  readonly kind: 'boolean';
  readonly span: SourceSpan;
  readonly value: boolean;
}

/** A bare name: a builtin without `()` (`pid`, `comm`, `args`), an enum value, `perf` in `kstack(perf)`. */
export interface IdentifierExpression {
  readonly kind: 'identifier';
  readonly span: SourceSpan;
  readonly name: string;
}

/** `$name` */
export interface VariableExpression {
  readonly kind: 'variable';
  readonly span: SourceSpan;
  readonly name: string;
}

/**
 * `@name`, `@name[key]` or `@name[k1, k2]` (several keys form a tuple key); `@` alone has name ''.
 * `keys` is empty for a map without `[...]`.
 */
export interface MapExpression {
  readonly kind: 'map';
  readonly span: SourceSpan;
  readonly name: string;
  readonly keys: readonly Expression[];
}

/** `$1`, `$2`, ...: a command-line parameter. */
export interface PositionalParameter {
  readonly kind: 'positional';
  readonly span: SourceSpan;
  readonly index: number;
}

/** `$#`: the number of command-line parameters. */
export interface PositionalCount {
  readonly kind: 'positionalCount';
  readonly span: SourceSpan;
}

/** `name(arguments...)`: functions, builtins written with `()`, map functions, `delete(...)`. */
export interface CallExpression {
  readonly kind: 'call';
  readonly span: SourceSpan;
  readonly name: string;
  readonly arguments: readonly Expression[];
}

/** `sizeof(type)` or `sizeof(expression)`. */
export interface SizeofExpression {
  readonly kind: 'sizeof';
  readonly span: SourceSpan;
  readonly operand: TypeExpression | Expression;
}

/** `offsetof(struct foo, a.b)` or `offsetof($x, a)`: `fields` is the member path. */
export interface OffsetofExpression {
  readonly kind: 'offsetof';
  readonly span: SourceSpan;
  readonly record: TypeExpression | Expression;
  readonly fields: readonly string[];
}

/** `object.field` or `object->field` (both accepted; `arrow` records which was written). */
export interface FieldAccess {
  readonly kind: 'fieldAccess';
  readonly span: SourceSpan;
  readonly object: Expression;
  readonly field: string;
  readonly arrow: boolean;
}

/** `tuple.0` */
export interface TupleIndex {
  readonly kind: 'tupleIndex';
  readonly span: SourceSpan;
  readonly object: Expression;
  readonly index: number;
}

/** `object[index]`: array, pointer or tuple indexing (map keys are part of MapExpression). */
export interface IndexExpression {
  readonly kind: 'index';
  readonly span: SourceSpan;
  readonly object: Expression;
  readonly index: Expression;
}

/** `!x`, `~x`, `-x`, `*p` (dereference), `&x` (address of). */
export interface UnaryExpression {
  readonly kind: 'unary';
  readonly span: SourceSpan;
  readonly operator: '!' | '~' | '-' | '*' | '&';
  readonly operand: Expression;
}

/** `++x`, `x++`, `--x`, `x--` on a map or variable (the checker enforces the target). */
export interface UpdateExpression {
  readonly kind: 'update';
  readonly span: SourceSpan;
  readonly operator: '++' | '--';
  readonly prefix: boolean;
  readonly operand: Expression;
}

export type BinaryOperator =
  | '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';

/** C precedence and left associativity (see precedence.ts). */
export interface BinaryExpression {
  readonly kind: 'binary';
  readonly span: SourceSpan;
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** `condition ? whenTrue : whenFalse` */
export interface ConditionalExpression {
  readonly kind: 'conditional';
  readonly span: SourceSpan;
  readonly condition: Expression;
  readonly whenTrue: Expression;
  readonly whenFalse: Expression;
}

/** `(type)operand`, e.g. `(uint32)x`, `(struct task_struct *)curtask`, `(int8[8])x`. */
export interface CastExpression {
  readonly kind: 'cast';
  readonly span: SourceSpan;
  readonly type: TypeExpression;
  readonly operand: Expression;
}

/** `(a, b, ...)` with at least two elements (`(a)` is just `a`). */
export interface TupleExpression {
  readonly kind: 'tuple';
  readonly span: SourceSpan;
  readonly elements: readonly Expression[];
}

/** Any node, for generic walks. */
export type Node =
  | Program
  | ProbeBlock
  | AttachPoint
  | ConfigBlock
  | ConfigEntry
  | MapDeclaration
  | Definition
  | FieldDeclaration
  | EnumValue
  | TypeExpression
  | Statement
  | DispatchCase
  | Expression;
