// The checker's output: the parsed program plus side tables (types, variable bindings, maps, probe
// contexts). The AST itself stays untouched; later stages look nodes up here.
import type { Diagnostic } from '../diagnostics/index.js';
import type { Expression, ProbeBlock, Program, VariableExpression } from '../parser/ast.js';
import type { MapValueKind } from '../model/artifact.js';
import type { ProbeAttachment, ProbeContext } from '../model/probe.js';
import type { Type } from '../model/types.js';
import type { CompileConfig } from '../model/config.js';
import type { Host } from '../model/host.js';
import type { ProviderRecord } from '../model/provider.js';
import type { ProbeFacts } from './facts.js';

export interface Binding {
  readonly id: number;
  readonly name: string;
  readonly type: Type;
}

export interface MapInfo {
  /** `@` → '', `@x` → 'x'. */
  readonly name: string;
  /** Undefined for a map used without `[...]`. */
  readonly keyType?: Type;
  readonly value: MapValueKind;
  readonly span: import('../diagnostics/span.js').SourceSpan;
}

/**
 * One program's worth of a probe block: all its attach points when the body reads nothing
 * probe-specific, else one per attach point (a wildcard over tracepoints with different `args`).
 * Types and bindings are per probe because `args.x` differs between tracepoints.
 */
export interface CheckedProbe {
  readonly block: ProbeBlock;
  readonly attachments: readonly ProbeAttachment[];
  readonly context: ProbeContext;
  /** The provider of its attachments: what arguments, `func` and the program type mean for it. */
  readonly provider: ProviderRecord;
  readonly types: ReadonlyMap<Expression, Type>;
  readonly bindings: ReadonlyMap<VariableExpression, Binding>;
  /** What code generation needs to know, decided once (./facts.ts). */
  readonly facts: ProbeFacts;
}

export interface CheckedProgram {
  readonly program: Program;
  readonly probes: readonly CheckedProbe[];
  readonly maps: ReadonlyMap<string, MapInfo>;
  /** Maps some probe deletes from with delete(): a keyless count there cannot be a one-slot array. */
  readonly deletedMaps: ReadonlySet<string>;
  readonly config: CompileConfig;
  /** The machine it was checked against: codegen measures kernel types and CPUs there. */
  readonly host: Host;
  readonly diagnostics: readonly Diagnostic[];
}

