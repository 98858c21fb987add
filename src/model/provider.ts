// What a probe provider is to the rest of tsbpf: one record per provider (src/providers/<name>.ts)
// answering every question a stage asks about its probes. The checker resolves attach points through
// it and asks what argN/args/retval/func mean in its contexts; codegen asks where an argument is and
// which program type to load; `-l` asks what it can list; the session asks whether and how to attach.
// The stages receive the table from their caller (compile(), the session, the CLI): none imports
// providers/.
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { AttachPoint, ProviderName } from '../parser/attach-point-ast.js';
import type { UserCodeFile } from './artifact.js';
import type { Host } from './host.js';
import type { ProviderSyntax, ProviderSyntaxTable } from './provider-syntax.js';
import type { ProbeAttachment, ProbeContext, ProbeTarget, TracepointField } from './probe.js';

export interface ResolvedAttachment {
  readonly attachment: ProbeAttachment;
  readonly context: ProbeContext;
}

export interface ResolveEnvironment {
  readonly diagnostics: DiagnosticCollector;
  readonly host: Host;
  /** `-p PID`: uprobes without a binary probe its executable, and fire only in it. */
  readonly targetPid?: number;
  /** `-c CMD`: uprobes and usdt fire only in the child. */
  readonly childPid?: number;
  /** `--unsafe`: uprobes may be placed where no symbol bounds the instruction. */
  readonly unsafe: boolean;
  /**
   * Programs must not be shared across the matches of a wildcard (the body names `probe`): a provider
   * that could attach every match through one link (uprobe_multi) attaches each on its own instead.
   */
  readonly perMatchPrograms: boolean;
  /**
   * The attach point matches nothing here (`No matches for <provider> <what>`): an error, a warning,
   * or nothing, as the missing_probes setting says; the provider leaves the point out.
   */
  noMatches(span: SourceSpan, provider: string, what: string, hint?: string): void;
  /**
   * The attach point names something that cannot be attached (`reason`), as bpftrace finds when it
   * attaches: `reason`, then `Unable to attach probe: <probe>`, as errors or warnings, or nothing, as
   * missing_probes says; the provider leaves the point out.
   */
  cannotAttach(span: SourceSpan, reason: string, probe: string): void;
}

export interface ProgramLoad {
  readonly programType: number;
  readonly expectedAttachType?: number;
  readonly attachBtfId?: number;
}

export type BuiltinVerdict = { readonly available: true } | { readonly available: false; readonly message: string; readonly hint?: string };

/** Named arguments (`args.x`), with the category that decides whose memory pointers point to. */
export interface NamedArguments {
  readonly fields: readonly TracepointField[];
  readonly category: string;
}

/**
 * Where `argN` or `retval` is, for the code generator. Offsets count from the program's context
 * (pt_regs, the u64 argument array); a register or memory place is read, cut to `size` bytes and
 * sign- or zero-extended.
 */
export type ArgumentPlace =
  | { readonly kind: 'context'; readonly offset: number }
  | { readonly kind: 'constant'; readonly value: bigint }
  | { readonly kind: 'register'; readonly offset: number; readonly bitOffset: 0 | 8; readonly size: 1 | 2 | 4 | 8; readonly signed: boolean }
  /** User memory at [base] + [index] × scale + offset, base and index being context offsets. */
  | {
      readonly kind: 'userMemory'; readonly base?: number; readonly index?: number; readonly scale: 1 | 2 | 4 | 8;
      readonly offset: bigint; readonly size: 1 | 2 | 4 | 8; readonly signed: boolean;
    };

export interface ListedProbe {
  /** What -l prints, e.g. `tracepoint:syscalls:sys_enter_openat`, `software:cpu-clock:`, `BEGIN`. */
  readonly line: string;
  /** -lv: the probe's arguments as declarations (`const char * filename`); read only when asked. */
  readonly arguments?: () => readonly string[];
}

export type ProviderListing =
  /** `note`: said once on stderr when the provider is searched (e.g. that these cannot attach here). */
  | { readonly kind: 'probes'; readonly probes: readonly ListedProbe[]; readonly note?: string }
  /** The kernel cannot attach these here: said on stderr, nothing listed. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** tsbpf cannot enumerate these (yet). */
  | { readonly kind: 'unlisted'; readonly reason: string };

/** A loaded program, as attaching needs it. */
export interface ProgramHandle {
  readonly fd: number;
  readonly name?: string;
}

/** One kernel attachment, undone by close(). */
export interface AttachedProbe {
  readonly target: string;
  close(): void;
}

/** Receives each kernel attachment as soon as it exists, so that a later failure still closes it. */
export type Own = (attachment: AttachedProbe) => void;

export interface ProviderRecord<Point extends AttachPoint = AttachPoint, Target extends ProbeTarget = ProbeTarget> {
  /** The attach-point providers (long names) this record resolves, e.g. kprobe and kretprobe. */
  readonly providers: readonly Point['provider'][];
  /** How each is written (spellings, usage, its fields): what the parser reads, one entry per provider. */
  readonly syntax: readonly { [Name in Point['provider']]: ProviderSyntax<Name> }[Point['provider']][];
  /** The probe target kinds its attachments have. */
  readonly targets: readonly Target['kind'][];
  /** Which of its providers a plain `-l` (without a provider named) lists, in that order. */
  readonly listedByDefault: readonly Point['provider'][];
  /**
   * Where those stand among all records' (`-l` consults providers, and says why one lists nothing,
   * in ascending rank; records without one come last, by file name).
   */
  readonly listRank?: number;
  /**
   * Its probes take parameters after a name (`interval:s:1`, `software:faults:100`): `-l` lists the
   * name alone (`software:faults:`), and a search matches only the name.
   */
  readonly parameterized?: boolean;
  /**
   * Its probes are attached in reverse declaration order: the kernel runs the last probe attached at a
   * place first (uprobes, kprobes, trampolines), so that probes on one place fire in script order.
   */
  readonly attachesInReverse?: boolean;
  /**
   * With -p, its programs leave at once unless the current process is the target (bpftrace injects the
   * same check); providers that open perf events or uprobes for the target filter when attaching instead.
   */
  readonly filtersTargetPid?: boolean;
  /** Expands one attach point; reports a diagnostic at its span and returns [] when it cannot. */
  resolve(point: Point, environment: ResolveEnvironment): ResolvedAttachment[];
  /** The program type (and load options) a context of this provider needs. */
  programLoad(context: ProbeContext): ProgramLoad;
  /**
   * The provider's word on builtin `name` (argN, retval, func, …) in this context; undefined leaves it
   * to the builtin's generic rule (the contexts it exists in).
   */
  builtin(context: ProbeContext, name: string): BuiltinVerdict | undefined;
  /** What `args` holds here, if anything. */
  namedArguments(context: ProbeContext): NamedArguments | undefined;
  /** What `func` holds here, if anything. */
  functionName(context: ProbeContext): string | undefined;
  /**
   * When one program serves several functions through one link: the names `func` chooses from when
   * the program runs, by the attach cookie (the index of the function that fired).
   */
  functionByCookie?(context: ProbeContext): readonly string[] | undefined;
  /** Where argument `index` (or, for 'retval', the return value) is; the checker has allowed it. */
  argumentPlace(context: ProbeContext, index: number | 'retval'): ArgumentPlace;
  /** Whether one program can serve both contexts (the body reads arguments when `readsArguments`). */
  canShareProgram(first: ProbeContext, other: ProbeContext, readsArguments: boolean): boolean;
  /**
   * What `-l` shows for `provider` (one of this record's), on this host. `search`: what the pattern
   * says after `provider:`, where a uprobe's or usdt's binary is named.
   */
  list(provider: Point['provider'], host: Host, search?: string): ProviderListing;
  /** Why this host cannot attach `target`, said before anything is created; undefined when it can. */
  unattachable(target: Target, host: Host): string | undefined;
  /** How many probes `target` is, as bpftrace counts them ("Attached N probes"); 1 when absent. */
  countProbes?(target: Target): number;
  /** Attaches `program` to `target`, handing each kernel attachment to `own` as soon as it exists. */
  attach(program: ProgramHandle, name: string, target: Target, own: Own, host: Host): void;
  /** User-space probes: the binary `target` fires in, for naming the stacks of exited processes. */
  userCode?(target: Target): UserCodeFile;
}

/** A probe kind the runtime cannot attach here, said in words (no errno soup). */
export class AttachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachError';
  }
}

/** The providers tsbpf knows, found by the attach point's provider or by a target's kind. */
export interface ProviderTable {
  /** By `listRank`, then by file name. */
  readonly records: readonly ProviderRecord[];
  /** Every record's syntax: what the parser is given. */
  readonly syntax: ProviderSyntaxTable;
  forProvider(name: ProviderName): ProviderRecord | undefined;
  forTarget(kind: ProbeTarget['kind']): ProviderRecord;
}
