// What a compilation is asked to do besides the source: string and map sizes, positional parameters,
// process filters, syscall routing. Set by the caller (the CLI reads bpftrace's environment variables).

export interface CompileConfig {
  /** Capacity of `str()` results, NUL included (bpftrace 0.17: 64). */
  readonly maxStringLength: number;
  /** Entries of each user map (bpftrace's max_map_keys). */
  readonly maxMapKeys: number;
  /** Command-line parameters for `$1`…, `$#`. */
  readonly positional: readonly string[];
  /** `--unsafe`: allows system() and signal(), and uprobes where no symbol bounds the instruction. */
  readonly unsafe: boolean;
  /** `-p PID`: uprobes without a binary probe this process's executable; uprobes and usdt fire only in it. */
  readonly targetPid?: number;
  /** `-c CMD`: uprobes and usdt fire only in the child. */
  readonly childPid?: number;
  /** Route many syscall tracepoints through one raw_syscalls program ('auto': from 8 on). */
  readonly syscallRouting: 'auto' | 'always' | 'never';
  /** The programs' license (a GPL-compatible one: the helpers tsbpf calls are GPL-only). */
  readonly license: string;
  /**
   * bpftrace's missing_probes: an attach point that matches nothing or cannot be attached is an error,
   * a warning (and the attach point is left out), or left out silently.
   */
  readonly missingProbes: MissingProbes;
}

export type MissingProbes = 'error' | 'warn' | 'ignore';

export const defaultConfig: CompileConfig = {
  maxStringLength: 64, maxMapKeys: 4096, positional: [], unsafe: false, syscallRouting: 'auto', license: 'GPL', missingProbes: 'error',
};
