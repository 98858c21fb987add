// What a compilation is asked to do besides the source: string and map sizes, positional parameters,
// process filters, syscall routing. Set by the caller (the CLI reads bpftrace's environment variables).

export interface CompileConfig {
  /** Capacity of `str()` results (bpftrace's max_strlen: 1024 today, 64 in 0.17). */
  readonly maxStringLength: number;
  /** Printed after a string that fills its whole capacity with no NUL (bpftrace's str_trunc_trailer). */
  readonly stringTrailer: string;
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
  /** `-k` (bpftrace's --warnings): a failed bpf_probe_read_* is reported at its place ("Bad address"). */
  readonly probeReadWarnings: boolean;
  /** `--include FILE`: headers included before the script's C definitions, as if it began with them. */
  readonly includeFiles: readonly string[];
  /** `-I DIR`: where `#include` looks for a file after the script's directory. */
  readonly includeDirs: readonly string[];
}

export type MissingProbes = 'error' | 'warn' | 'ignore';

export const defaultConfig: CompileConfig = {
  maxStringLength: 1024, stringTrailer: '..', maxMapKeys: 4096, positional: [], unsafe: false, syscallRouting: 'auto', license: 'GPL', missingProbes: 'error', probeReadWarnings: false, includeFiles: [], includeDirs: [],
};

/**
 * Bytes str() reads: one more than max_strlen while it is below 1024, as bpftrace reads (its
 * pad_max_strlen). The string keeps max_strlen bytes; a string that filled them had no NUL among them,
 * and prints with the trailer. From 1024 on there is no extra byte: the NUL takes the last one, and an
 * over-long string is cut to max_strlen - 1 characters without a trailer.
 */
export function stringReadLength(maxStringLength: number): number {
  return maxStringLength < 1024 ? maxStringLength + 1 : maxStringLength;
}
