// bpftrace's runtime cases for C types, followed with our own traced program
// (test/fixtures/c/script-types-target.c): each case names the bpftrace case it follows, its program
// writes `TARGET` for the program's path, and, like bpftrace's EXPECT, each expected line must be a
// line of the output. The expected values are computed from the C program's contents, which the test
// files restate.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileErrors, run, type RunOptions } from './harness.js';
import { cc, kernelBtf, needs, type Requirement } from '../support/skip.js';
import { scriptTypesTargetPath } from './types-target.js';

export interface ScriptCase extends Omit<RunOptions, 'trigger'> {
  /** bpftrace's case: its file under tests/runtime and its NAME. */
  readonly name: string;
  readonly program: string;
  /** The traced program's arguments (its mode); none for programs that end by themselves. */
  readonly mode?: readonly string[];
  /** A trigger of its own (another process, a syscall), instead of a mode. */
  readonly trigger?: () => unknown;
  /** Lines the output must have (EXPECT); `TARGET` stands for the program's path here too. */
  readonly lines?: readonly string[];
  /** Patterns the output must match (EXPECT_REGEX). */
  readonly matches?: readonly RegExp[];
  /** Patterns stderr must match. */
  readonly stderr?: readonly RegExp[];
  /** The program must not compile; its diagnostics match (WILL_FAIL). */
  readonly error?: RegExp;
  /** What the machine needs besides the C compiler and BTF (a tracepoint). */
  readonly requires?: readonly Requirement[];
}

/** The traced program's path (built on first use). */
export const target = (): string => scriptTypesTargetPath();

/** Runs the traced program with these arguments; its exit status is its own business (retval returns -37). */
export function runTarget(...args: string[]): void {
  const result = spawnSync(target(), args, { stdio: 'ignore' });
  if (result.error) throw result.error;
}

/** Registers one test per case; every case needs the C compiler and the kernel's BTF. */
export function defineScriptCases(cases: readonly ScriptCase[]): void {
  for (const one of cases) {
    needs(test, one.name, [cc, kernelBtf, ...(one.requires ?? [])], async () => {
      const program = one.program.replaceAll('TARGET', target());
      if (one.error) {
        assert.match(compileErrors(program, one), one.error);
        return;
      }
      const mode = one.mode;
      // Without a trigger the session stops once started (BEGIN has run), unless it awaits its own exit().
      const trigger = one.trigger ?? (mode ? () => runTarget(...mode) : () => undefined);
      const { stdout, stderr } = await run(program, { ...one, trigger });
      const lines = stdout.split('\n').map((line) => line.trim());
      for (const line of (one.lines ?? []).map((text) => text.replaceAll('TARGET', target()))) assert.ok(lines.includes(line), `no line ${JSON.stringify(line)} in:\n${stdout}\nstderr:\n${stderr}`);
      for (const pattern of one.matches ?? []) assert.match(stdout, pattern);
      for (const pattern of one.stderr ?? []) assert.match(stderr, pattern);
      if (!one.stderr) assert.not.match(stderr, /ERROR|WARNING/);
    });
  }
  test.run();
}

/** The traced program's comm: its name as the kernel keeps it (15 bytes). */
export const targetComm = 'script-types-target'.slice(0, 15);

/** `{ .a = 1, .b = 2 }`: a struct value as text. */
export function structText(fields: Readonly<Record<string, string | number>>): string {
  return `{ ${Object.entries(fields).map(([name, value]) => `.${name} = ${value}`).join(', ')} }`;
}

/** `[1,2,3]`: an array as text. */
export function arrayText(values: readonly (number | string)[]): string {
  return `[${values.join(',')}]`;
}
