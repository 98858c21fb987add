// End-to-end cases as data, in the spirit of bpftrace's runtime tests (NAME / PROG / EXPECT): each
// program is compiled, loaded into the real verifier, fired and its whole output compared.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run, type RunOptions } from './harness.js';

export interface Case extends RunOptions {
  readonly name: string;
  readonly program: string;
  /** The exact stdout (maps printed at exit included), or a check of it for values only known at run time. */
  readonly expect: string | ((stdout: string) => void);
  readonly exitCode?: number;
}

/** Registers one uvu test per case. */
export function defineCases(cases: readonly Case[]): void {
  for (const one of cases) {
    test(one.name, async () => {
      const result = await run(one.program, one);
      if (typeof one.expect === 'string') assert.is(result.stdout, one.expect);
      else one.expect(result.stdout);
      assert.is(result.stderr, '');
      assert.is(result.exitCode, one.exitCode ?? 0);
    });
  }
}

/** What a session prints after the probes' own output when it ends: two blank lines, then the maps. */
export function atExit(maps = ''): string {
  return `\n\n${maps}`;
}

/** The full text matched against a pattern; returns the captures. */
export function matchAll(stdout: string, pattern: RegExp): string[] {
  const match = pattern.exec(stdout);
  assert.ok(match && match.index === 0 && match[0].length === stdout.length, `output ${JSON.stringify(stdout)} does not match ${pattern}`);
  return match!.slice(1);
}
