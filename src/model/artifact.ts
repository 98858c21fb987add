// What compilation produces and the runtime consumes: programs with symbolic map references, the maps
// they need, and the descriptions userspace uses to decode ring-buffer records and map contents.
// Plain data, no kernel objects: compile() returns it without touching the kernel.
import type { AsmItem, AssembledProgram } from '../bpf/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Type } from './types.js';
import type { ProbeAttachment } from './probe.js';

export interface CompiledScript {
  readonly programs: readonly CompiledProgram[];
  readonly maps: readonly MapDescription[];
  /** Ring-buffer record kinds, indexed by `id` (the record's first u64). */
  readonly actions: readonly ActionDescription[];
  /** Names of the internal maps with a fixed role. */
  readonly ringBufferMap: string;
  readonly lostEventsMap: string;
  /** Array map with one entry of `GlobalsLayout`, written by userspace before attach. */
  readonly globalsMap?: string;
  /** The license every program is loaded with (the script's `config = { license = … }`); absent: GPL. */
  readonly license?: string;
  /**
   * The binaries ustack and usym values may be named from when their process is gone: such a value
   * carries 1 + an index into this list (0: none), set by a probe with a single uprobe/usdt target.
   */
  readonly userCodeFiles?: readonly UserCodeFile[];
  /** Printed after a string that fills its capacity with no NUL (str_trunc_trailer); absent: `..`. */
  readonly stringTrailer?: string;
}

/** The user binary a probe fires in (ProviderRecord.userCode). */
export interface UserCodeFile {
  /** As the provider resolved the probe's target. */
  readonly path: string;
  /**
   * File offset of the instruction the probe fires at, which is a user stack's innermost frame: the
   * load address of a position-independent binary follows from it. Absent for return probes.
   */
  readonly entryOffset?: number;
}

export interface CompiledProgram {
  /** Kernel program name (≤ 15 significant chars are kept by the kernel). */
  readonly name: string;
  readonly programType: number; // ProgramType
  readonly expectedAttachType?: number;
  /** fentry/fexit: the vmlinux BTF id of the traced function. */
  readonly attachBtfId?: number;
  readonly attachments: readonly ProbeAttachment[];
  /** The instructions before assembly, with spans: `-d asm` prints these. */
  readonly items: readonly AsmItem[];
  readonly assembled: AssembledProgram;
  /** Bytes of stack the program uses (for `-v`). */
  readonly stackBytes: number;
  /** Local functions (bpf_loop callbacks): their start slots, for BTF func_info. */
  readonly functions: readonly { readonly name: string; readonly slot: number }[];
  /** Programs placed in a program array for tail calls (dispatch): array map name and index. */
  readonly tailCall?: { readonly arrayMap: string; readonly indices: readonly number[] };
  /** Attach points reached through a syscall dispatcher's tail call instead of their own attachment. */
  readonly reachedBy?: readonly ProbeAttachment[];
  /** The raw_syscalls dispatcher that replaces many syscall tracepoint attachments. */
  readonly routesSyscalls?: boolean;
}

/** How userspace reads a map's value bytes. */
export type MapValueKind =
  | { readonly kind: 'scalar'; readonly type: Type } // plain @x = v
  | { readonly kind: 'count' } // u64
  | { readonly kind: 'sum'; readonly signed: boolean } // 64-bit
  | { readonly kind: 'min' | 'max'; readonly signed: boolean } // { value: s64/u64, isSet: u64 }
  | { readonly kind: 'avg' | 'stats'; readonly signed: boolean } // { total: s64, count: u64 }
  | { readonly kind: 'hist'; readonly bits: number } // key has a trailing u64 bucket index; value u64 count
  | { readonly kind: 'lhist'; readonly min: bigint; readonly max: bigint; readonly step: bigint }; // likewise

export type MapRole = 'user' | 'ring-buffer' | 'lost-events' | 'globals' | 'scratch' | 'stack-traces' | 'program-array' | 'constants';

export interface MapDescription {
  /** Kernel map name (also the name instructions refer to). */
  readonly name: string;
  readonly role: MapRole;
  /** `@x` or `@` for user maps. */
  readonly scriptName?: string;
  readonly mapType: number; // MapType
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  /** max_entries is the machine's number of possible CPUs instead, known when the map is created (a CPU-indexed scratch area). */
  readonly entryPerCpu?: boolean;
  readonly flags: number;
  /** User maps: the key's type (undefined for a keyless map stored at index 0 of an array). */
  readonly keyType?: Type;
  readonly value?: MapValueKind;
  /** Per-CPU map: userspace combines the CPUs' values. */
  readonly perCpu: boolean;
  /** Stack-trace maps: whose stacks they hold. */
  readonly stackSpace?: 'kernel' | 'user';
  /** Constant maps (an array read-only to programs): the values of indices 0, 1, …, written and frozen when it is created. */
  readonly contents?: readonly Uint8Array[];
  readonly span?: SourceSpan;
}

/** One field of a record: where its bytes sit after the u64 action id, and how to decode them. */
export interface RecordField {
  readonly offset: number;
  readonly type: Type;
}

/**
 * What one ring-buffer record kind means, keyed by `kind`: the output function that emits it declares
 * its description here (declaration merging, in its file under src/functions/), and the runtime finds
 * that function's decoder by the same key. Plain data: the id (the record's first u64) and the
 * record's size, then whatever the function's decoder needs.
 */
export interface ActionDescriptions {
  /** A fault the program met and went on from (a division by zero): warned about, with its place. */
  'runtime-error': RuntimeErrorAction;
  /** A bpf_probe_read_* that failed, with -k: the record holds the helper's return value. */
  'helper-error': HelperErrorAction;
}

export interface HelperErrorAction {
  readonly kind: 'helper-error';
  readonly id: number;
  readonly size: number;
  readonly helper: string;
  readonly span: SourceSpan;
}

export interface RuntimeErrorAction {
  readonly kind: 'runtime-error';
  readonly id: number;
  readonly size: number;
  readonly message: string;
  readonly span: SourceSpan;
}

export type ActionDescription = ActionDescriptions[keyof ActionDescriptions];

/** Fixed fields of the globals map, written by userspace before attach. */
export const GlobalsLayout = {
  /** CLOCK_MONOTONIC ns at session start, for `elapsed`. */
  startNs: 0,
  size: 8,
} as const;
