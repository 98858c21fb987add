// Compiler bugs the generators found that are not fixed yet. Each has a minimal reproducer and how it
// fails today. A failure matching a signature is reported as known instead of failing a run; test/fuzz/known-bugs.test.ts checks that every
// reproducer still fails, so that a fixed bug is noticed and removed from this list.

export interface KnownBug {
  readonly id: string;
  readonly summary: string;
  /** Where the fix belongs. */
  readonly where: string;
  readonly reproducer: string;
  /**
   * `compile`: compile() throws or reports an error; `load`: the verifier rejects it; `attach`:
   * starting a session fails; `run`: wrong output.
   */
  readonly stage: 'compile' | 'load' | 'attach' | 'run';
  /** Matches the failure's text (exception, diagnostic, verifier summary, or output). */
  readonly signature: RegExp;
  /** `run` bugs: the output the program should print (and today does not). */
  readonly expectedOutput?: string;
}

// loop-verifier-complexity (branchy bounded loops exceeding the verifier's 1M-instruction walk) was
// fixed by lowering such loops to bpf_loop callbacks (src/codegen/loop-callback.ts).
//
// The two below were found by the differential fuzzer against bpftrace 0.17 (issue 21,
// docs/bpftrace-differences.md); its generator writes around them. Their map names are unique so that
// their signatures match only these reproducers.
export const knownBugs: readonly KnownBug[] = [
  {
    id: 'delete-hist-entry',
    summary: 'delete() of a hist or lhist entry leaves the entry in the map',
    where: 'src/codegen (delete on a map whose kernel key is (key, bucket)) or the runtime',
    reproducer: 'BEGIN { @tsbpf_deleted_hist[1] = hist(3); delete(@tsbpf_deleted_hist[1]); print(@tsbpf_deleted_hist); exit(); }',
    stage: 'run',
    signature: /^@tsbpf_deleted_hist\[1\]:\n\[2, 4\)/,
    expectedOutput: '',
  },
  {
    id: 'self-read-first-write',
    summary: 'a map read in its own first write takes int64, not the type a later write gives it (bpftrace infers the later type)',
    where: 'src/check (map type inference)',
    reproducer: 'BEGIN { @tsbpf_self_read[1] = @tsbpf_self_read[2]; @tsbpf_self_read[3] = "a"; exit(); }',
    stage: 'compile',
    signature: /type mismatch for @tsbpf_self_read: it holds int64/,
  },
];

/** The known bug a failure's text matches, if any. */
export function knownBugFor(failureText: string): KnownBug | undefined {
  return knownBugs.find((bug) => bug.signature.test(failureText));
}
