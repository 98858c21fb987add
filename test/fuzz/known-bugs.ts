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
export const knownBugs: readonly KnownBug[] = [];

/** The known bug a failure's text matches, if any. */
export function knownBugFor(failureText: string): KnownBug | undefined {
  return knownBugs.find((bug) => bug.signature.test(failureText));
}
