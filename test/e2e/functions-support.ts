// Shared by the string, function, stack and JSON end-to-end tests: the tests' session runner (an async
// trigger, --unsafe, max_strlen through the environment, traced pids: test/support/session.ts) and
// the C helper program (test/fixtures/c/stack-target.c) started behind a gate so
// that the probes are attached, knowing its pid, before it does anything.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileErrors, runScript, type RunOptions, type RunResult } from '../support/session.js';

export { runScript, type RunOptions as ScriptOptions, type RunResult as ScriptRun } from '../support/session.js';

/** The rendered diagnostics of a script that must not compile. */
export function diagnosticsOf(source: string, environment: Readonly<Record<string, string>> = {}): string {
  return compileErrors(source, { environment });
}

const fixtureSource = fileURLToPath(new URL('../../../test/fixtures/c/stack-target.c', import.meta.url));
let targetPath: string | undefined;

/**
 * The helper program built with frame pointers at -O0 (so user stacks unwind through its own
 * functions). Tests that call it need the `cc` requirement (test/support/skip.ts): a compiler that
 * is there but fails on the fixture throws, and fails the test, it does not skip it.
 */
export function stackTargetPath(): string {
  if (targetPath === undefined) {
    const output = join(mkdtempSync(join(tmpdir(), 'tsbpf-e2e-')), 'stack-target');
    execFileSync('cc', ['-O0', '-g', '-fno-omit-frame-pointer', '-o', output, fixtureSource], { stdio: ['ignore', 'ignore', 'pipe'] });
    targetPath = output;
  }
  return targetPath;
}

export interface GatedTarget {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Lets it run (it reads one line from stdin first). */
  release(): void;
  /** Settles when it has exited: its code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the helper with `args`, blocked until release(). */
export function startTarget(path: string, args: readonly string[]): GatedTarget {
  const child = spawn(path, args, { stdio: ['pipe', 'ignore', 'inherit'] });
  if (child.pid === undefined) throw new Error(`could not start ${path}`);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  // Neither the child nor its stdin keeps this test process alive: a failed test must still end
  // (the child then reads EOF and exits without doing anything).
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  return { pid: child.pid, process: child, release: () => child.stdin!.end('go\n'), exited };
}

/** Runs the program `script(pid)` writes for the helper started with `args`, released once attached and run to its end. */
export async function runOnTarget(args: readonly string[], script: (pid: number) => string, options: RunOptions = {}): Promise<RunResult> {
  const target = startTarget(stackTargetPath(), args);
  return runScript(script(target.pid), {
    tracedProcesses: [target.pid],
    ...options,
    trigger: async () => {
      target.release();
      await target.exited;
    },
  });
}
