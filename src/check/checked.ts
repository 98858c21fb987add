// The checker's output: the parsed program plus side tables (types, variable bindings, maps, probe
// contexts). The AST itself stays untouched; later stages look nodes up here.
import type { Diagnostic } from '../diagnostics/index.js';
import type { Expression, ProbeBlock, Program, VariableExpression } from '../parser/ast.js';
import type { TracepointField } from '../loader/tracefs.js';
import type { UsdtArgument } from '../elf/usdt-arguments.js';
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
  /**
   * Raw tracepoints and fentry/fexit: the context is an array of u64 arguments. `fields` names them
   * (`args.prev`) from BTF when known, each at its slot's offset; fentry/fexit also carry the function.
   */
  | {
      readonly kind: 'rawtracepoint';
      readonly fields?: readonly TracepointField[];
      readonly kernelFunction?: KernelFunction;
    }
  /** uprobe/uretprobe/kprobe/kretprobe/usdt: the context is `struct pt_regs`. */
  | {
      readonly kind: 'registers'; readonly space: 'user' | 'kernel'; readonly isReturn: boolean; readonly functionName?: string;
      /** usdt: where each argument is, from the probe location's note (rip-relative symbols already resolved). */
      readonly usdtArguments?: readonly UsdtArgument[];
    }
  /** profile/interval/software/hardware: `struct bpf_perf_event_data` (pt_regs first). */
  | { readonly kind: 'perf' };

/** fentry/fexit: the traced function as BTF describes it. */
export interface KernelFunction {
  readonly name: string;
  /** The BTF FUNC's id in vmlinux: the program's attach_btf_id. */
  readonly btfId: number;
  readonly isReturn: boolean;
  /** fexit: the u64 slot after the arguments that holds the return value. */
  readonly returnSlot: number;
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
  /** `-p PID`: uprobes without a binary probe this process's executable; uprobes and usdt fire only in it. */
  readonly targetPid?: number;
  /** `-c CMD`: uprobes and usdt fire only in the child. */
  readonly childPid?: number;
  /** Route many syscall tracepoints through one raw_syscalls program ('auto': from 8 on). */
  readonly syscallRouting: 'auto' | 'always' | 'never';
}

export const defaultConfig: CompileConfig = { maxStringLength: 64, maxMapKeys: 4096, positional: [], unsafe: false, syscallRouting: 'auto' };
