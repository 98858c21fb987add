// What a function's type rule (in its record under src/functions/) sees of the checker: the argument
// expressions' types, constants, the maps known so far, and where to report. The rule returns the
// call's type; every mistake is a diagnostic, as everywhere in the checker.
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { CallExpression, Expression, MapExpression } from '../parser/ast.js';
import type { CompileConfig } from '../model/config.js';
import type { Host } from '../model/host.js';
import type { ProbeContext } from '../model/probe.js';
import type { FunctionTable } from '../model/function-record.js';
import { isScalar, typeName, type Type } from '../model/types.js';
import type { MapInfo } from './checked.js';

export interface CallContext {
  readonly diagnostics: DiagnosticCollector;
  readonly config: CompileConfig;
  /** The machine compiled for (kallsyms for kaddr(), …). */
  readonly host: Host;
  /** The attach point the program serves (`probe` is a constant of it). */
  readonly probeName: string;
  /** What the probe's context is (`registers`: pt_regs of a kprobe, uprobe or usdt). */
  readonly probeContext: ProbeContext['kind'];
  /** A C type by name (`struct task_struct`): the script's definition when it has one, else the kernel's. */
  cType(name: string): Type | undefined;
  /** Types an argument (and records its type for codegen). */
  expression(expression: Expression): Type;
  /** Types an argument; its value when it is an integer literal (or a negated one). */
  constantInteger(expression: Expression): bigint | undefined;
  /** A bare word argument such as `perf` in `ustack(perf, 5)`; recorded as a none-typed expression. */
  word(expression: Expression): string | undefined;
  /** Records a type for an expression the rule types itself (a format string, a key tuple). */
  setType(expression: Expression, type: Type): void;
  /** Records the compile-time value of a call (kaddr's address) for code generation (the facts pass). */
  setConstant(call: CallExpression, value: bigint): void;
  /** Maps the script assigns somewhere, as known in this pass. */
  readonly maps: ReadonlyMap<string, MapInfo>;
  undefinedMap(map: MapExpression): void;
  /** The key type of `@m[keys]` (undefined without keys), its parts typed and checked as a key. */
  mapKey(map: MapExpression): Type | undefined;
  /** Reports a key that does not fit the map's other uses. */
  checkKey(info: MapInfo, map: MapExpression, keyType: Type | undefined): void;
}

export type CallRule = (context: CallContext, call: CallExpression) => Type;

/** The checker's view of the function table. */
export type CheckedFunctions = FunctionTable<CallRule>;

/** Reports a wrong argument count; true when it is right. */
export function arity(context: CallContext, call: CallExpression, min: number, max: number): boolean {
  const count = call.arguments.length;
  if (count >= min && count <= max) return true;
  context.diagnostics.error(call.span, `${call.name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${count}`);
  return false;
}

export function needString(context: CallContext, call: CallExpression, index: number): Type | undefined {
  const type = context.expression(call.arguments[index]!);
  if (type.kind === 'string') return type;
  context.diagnostics.error(call.arguments[index]!.span, `${call.name}() needs a string here, not ${typeName(type)}`);
  return undefined;
}

export function needInteger(context: CallContext, call: CallExpression, index: number): void {
  const type = context.expression(call.arguments[index]!);
  if (!isScalar(type)) context.diagnostics.error(call.arguments[index]!.span, `${call.name}() needs an integer here, not ${typeName(type)}`);
}

export function needLiteral(context: CallContext, call: CallExpression, index: number): string | undefined {
  const argument = call.arguments[index]!;
  if (argument.kind !== 'string') {
    context.diagnostics.error(argument.span, `${call.name}() needs a string literal here`);
    return undefined;
  }
  context.expression(argument);
  return argument.value;
}

/** system() and signal() run only with --unsafe. */
export function requireUnsafe(context: CallContext, call: CallExpression): void {
  if (!context.config.unsafe) context.diagnostics.error(call.span, `${call.name}() is an unsafe function`, 'run with --unsafe to allow it');
}

/** clear(), zero(), len(): a whole map, known somewhere in the script. */
export function needWholeMap(context: CallContext, call: CallExpression): void {
  const target = call.arguments[0]!;
  if (target.kind !== 'map' || target.keys.length > 0) {
    context.diagnostics.error(target.span, `${call.name}() takes a whole map, e.g. ${call.name}(@x)`);
  } else if (!context.maps.has(target.name)) {
    context.undefinedMap(target);
  }
}
