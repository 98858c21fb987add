// What every stage knows about a probe: where a program attaches (targets and attachments, chosen by
// the providers, attached by the runtime) and the context its body reads (tracepoint fields, raw
// tracepoint and fentry arguments, pt_regs with USDT argument locations, perf event data).
import type { SourceSpan } from '../diagnostics/span.js';
import type { X86Register } from './x86-registers.js';

/**
 * Each kind of probe target's own fields, by kind. `begin`/`end` programs are run once with
 * BPF_PROG_TEST_RUN (the session knows them); every other kind is declared by the provider record
 * that attaches it (src/providers/<name>.ts), through declaration merging, e.g.
 * `declare module '../model/probe.js' { interface ProbeTargets { software: { readonly event: string } } }`.
 */
export interface ProbeTargets {
  begin: {};
  end: {};
}

/** Where a program attaches. */
export type ProbeTarget = { [Kind in keyof ProbeTargets]: { readonly kind: Kind } & Readonly<ProbeTargets[Kind]> }[keyof ProbeTargets];

export interface ProbeAttachment {
  /** The attach point as the user wrote it after wildcard expansion, e.g. `tracepoint:syscalls:sys_enter_openat`. */
  readonly name: string;
  readonly target: ProbeTarget;
  readonly span: SourceSpan;
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
      /**
       * uprobe_multi: one program on these functions through one link; the attach cookie is the index
       * of the function that fired (`func`).
       */
      readonly functionsByCookie?: readonly string[];
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

export interface TracepointField {
  readonly name: string;
  /** The C type without the field name or array suffix, e.g. `const char *`, `char`, `unsigned long`. */
  readonly type: string;
  /** The declaration as tracefs prints it, e.g. `char comm[16]`. */
  readonly declaration: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** `__data_loc`: the field holds (length << 16 | offset) of variable data inside the record. */
  readonly isDataLoc: boolean;
  /** `__rel_loc`: like __data_loc, but the offset counts from the end of this field. */
  readonly isRelativeLoc: boolean;
  /** Element count for fixed arrays (`char comm[16]` → 16); undefined for scalars and `[]`. */
  readonly arrayLength?: number;
  /** One of the `common_*` fields every record starts with. */
  readonly common: boolean;
  /** The field's type id in vmlinux BTF, when the field comes from a BTF prototype (raw tracepoints, fentry). */
  readonly btfType?: number;
}

export interface TracepointFormat {
  readonly name: string;
  readonly id: number;
  readonly fields: readonly TracepointField[];
  readonly printFormat: string;
}

export type UsdtLocation =
  /** The value is the register's bits from `bitOffset` (8 only for %ah, %bh, %ch, %dh). */
  | { readonly kind: 'register'; readonly register: X86Register; readonly bitOffset: 0 | 8 }
  /**
   * The value is in memory at base + index * scale + offset (+ the symbol's address when given,
   * then `base` is rip). `base` is absent for `(,%index,scale)` and plain absolute addresses.
   */
  | {
      readonly kind: 'memory';
      readonly base: X86Register | undefined;
      readonly offset: bigint;
      readonly index: X86Register | undefined;
      readonly scale: 1 | 2 | 4 | 8;
      readonly symbol: string | undefined;
    }
  | { readonly kind: 'constant'; readonly value: bigint };

export interface UsdtArgument {
  /** Bytes to read or keep: 1, 2, 4 or 8. */
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly location: UsdtLocation;
  /** The argument's own text, for messages. */
  readonly text: string;
}

