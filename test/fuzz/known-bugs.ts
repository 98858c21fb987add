// Compiler bugs the generators found that are not fixed yet (their fixes belong to files other
// people are changing). Each has a minimal reproducer and how it fails today. While a bug is here the
// program generator steers around it (see `avoidKnownBugs`), and a failure matching its signature is
// reported as known instead of failing a run; test/fuzz/known-bugs.test.ts checks that every
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

export const knownBugs: readonly KnownBug[] = [
  {
    id: 'loop-verifier-complexity',
    summary: 'bounded loops: the verifier walks every iteration and the paths inside multiply (a comparison with strlen(str(…)) in a 15-iteration loop, or len(@m) beside a printf in 100 iterations, exceed 1M instructions)',
    where: 'src/codegen loop lowering: states at the loop head do not prune; bpf_loop for long or branchy bodies would verify the body once',
    reproducer: 'tracepoint:syscalls:sys_enter_openat { $w = 0; while ($w < 15) { $w++; if ((args.flags % $w) == strlen(str(probe))) { } } }',
    stage: 'load',
    signature: /BPF program is too large/,
  },
];

/** The known bug a failure's text matches, if any. */
export function knownBugFor(failureText: string): KnownBug | undefined {
  return knownBugs.find((bug) => bug.signature.test(failureText));
}
