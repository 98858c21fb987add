// The checker's output: the parsed program plus side tables (types, variable bindings, maps, probe
// contexts). The AST itself stays untouched; later stages look nodes up here.
import type { Diagnostic } from '../diagnostics/index.js';
import type { Expression, ProbeBlock, Program, VariableExpression } from '../parser/ast.js';
import type { TracepointField } from '../loader/tracefs.js';
import type { MapValueKind, ProbeAttachment } from '../codegen/artifact.js';
import type { Type } from './types.js';

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

export type ProbeContext =
  | { readonly kind: 'special' } // BEGIN/END: run by BPF_PROG_TEST_RUN, no context to read
  | { readonly kind: 'tracepoint'; readonly category: string; readonly fields: readonly TracepointField[] }
  | { readonly kind: 'rawtracepoint' }
  /** uprobe/uretprobe/kprobe/kretprobe: the context is `struct pt_regs`. */
  | { readonly kind: 'registers'; readonly space: 'user' | 'kernel'; readonly isReturn: boolean; readonly functionName?: string }
  /** profile/interval/software/hardware: `struct bpf_perf_event_data` (pt_regs first). */
  | { readonly kind: 'perf' };

/**
 * One program's worth of a probe block: all its attach points when the body reads nothing
 * probe-specific, else one per attach point (a wildcard over tracepoints with different `args`).
 * Types and bindings are per probe because `args.x` differs between tracepoints.
 */
export interface CheckedProbe {
  readonly block: ProbeBlock;
  readonly attachments: readonly ProbeAttachment[];
  readonly context: ProbeContext;
  readonly types: ReadonlyMap<Expression, Type>;
  readonly bindings: ReadonlyMap<VariableExpression, Binding>;
}

export interface CheckedProgram {
  readonly program: Program;
  readonly probes: readonly CheckedProbe[];
  readonly maps: ReadonlyMap<string, MapInfo>;
  readonly config: CompileConfig;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CompileConfig {
  /** Capacity of `str()` results, NUL included (bpftrace 0.17: 64). */
  readonly maxStringLength: number;
  /** Entries of each user map (bpftrace's max_map_keys). */
  readonly maxMapKeys: number;
  /** Command-line parameters for `$1`…, `$#`. */
  readonly positional: readonly string[];
  /** `--unsafe`: allows system() and signal(). */
  readonly unsafe: boolean;
}

export const defaultConfig: CompileConfig = { maxStringLength: 64, maxMapKeys: 4096, positional: [], unsafe: false };
