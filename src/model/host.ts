// Everything the compiler reads from the machine it compiles for, behind one interface: tracefs
// (tracepoints and their record layouts), the kernel's BTF and symbols, user binaries (ELF files and
// how a target name resolves to one), CPU counts, and what the kernel can attach. liveHost() (src/host/)
// reads the running machine and keeps each answer for the host's lifetime (one compile, unless the
// caller shares one); a fixture host answers from recorded data, so compile() runs without tracefs or
// BPF. Check and codegen see only this interface.
import type { BtfReader } from '../btf/reader.js';
import type { ElfFile } from '../elf/elf-file.js';
import type { TargetResolution } from '../elf/target.js';
import type { TracepointField } from './probe.js';

export interface TracepointName {
  readonly category: string;
  readonly name: string;
}

/** A dynamic PMU (`kprobe`, `uprobe`): its perf type and where its config bits go. */
export interface DynamicPmu {
  readonly type: number;
  /** Bit of `config` that makes a return probe. */
  readonly retprobeBit: number;
  /** Lowest bit of `config` holding ref_ctr_offset (uprobe semaphores), when the PMU has it. */
  readonly refCtrShift?: number;
}

export type TrampolineSupport =
  | { readonly kind: 'available' }
  /** The kernel refused a trampoline program that a privileged process may load: `errno` says how. */
  | { readonly kind: 'unavailable'; readonly errno: number }
  /** We cannot tell (not privileged enough to load any program): the load will decide. */
  | { readonly kind: 'unknown'; readonly errno: number };

/**
 * A pid namespace as bpf_get_ns_current_pid_tgid names it: the nsfs device (the kernel's dev_t
 * encoding, major << 20 | minor) and the namespace's inode.
 */
export interface PidNamespace {
  readonly device: number;
  readonly inode: number;
}

export interface Host {
  /** Every tracepoint under tracefs; throws TracefsError (or an errno error) when they cannot be listed. */
  tracepoints(): readonly TracepointName[];
  /** The record layout of one tracepoint; throws TracefsError (`tracepoint not found: …`, …). */
  tracepointFields(category: string, name: string): readonly TracepointField[];
  /** vmlinux BTF; undefined when the kernel has none. */
  kernelBtf(): BtfReader | undefined;
  /** Text symbols of the kernel proper (kallsyms), sorted; [] when they cannot be read. */
  kernelFunctions(): readonly string[];
  /** A kernel symbol's address (kallsyms); undefined when unknown. */
  kernelSymbolAddress(name: string): bigint | undefined;
  /** Possible CPUs: per-CPU map values carry one slot each. */
  possibleCpuCount(): number;
  /** Online CPUs, for opening one perf event per CPU. */
  onlineCpus(): readonly number[];
  /** A uprobe/usdt target as written (a path, a program in $PATH, a library) → its file. */
  userTarget(target: string, pid: number | undefined): TargetResolution;
  /** A wildcard uprobe target (`*`, a path glob) → the binaries it names, sorted; `*` with `pid`: its mapped files. */
  userTargets(pattern: string, pid: number | undefined): readonly string[];
  /** The executable of process `pid`; throws an errno error when it has none to read. */
  processExecutable(pid: number): string;
  /** Opens `path` as ELF; throws ElfError. The caller closes it. */
  openElf(path: string): ElfFile;
  /** The kprobe or uprobe PMU; undefined when the kernel has none. */
  dynamicPmu(name: 'kprobe' | 'uprobe'): DynamicPmu | undefined;
  /** tracefs's kprobe_events (kprobes on kernels without the PMU); undefined when missing. */
  kprobeEventsFile(): string | undefined;
  /** Whether perf has hardware counters (a CPU PMU). */
  hasHardwarePmu(): boolean;
  /** Whether fentry/fexit programs load here, tried on BTF function `btfId`. */
  trampolineSupport(btfId: number): TrampolineSupport;
  /**
   * tsbpf's own pid namespace when it is not the initial one (a container): programs then number
   * processes as tsbpf sees them. Undefined in the initial namespace, or when it cannot be read.
   */
  pidNamespace(): PidNamespace | undefined;
  /** Whether one BPF link can place a program on many functions of a binary (uprobe_multi, Linux 6.6+). */
  uprobeMulti(): boolean;
  /** The cgroup v2 id of a cgroupfs directory (its inode number); undefined when there is none. */
  cgroupId(path: string): bigint | undefined;
}
