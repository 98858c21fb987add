// Runs tsbpf programs end to end for the tests: compile, load into the real verifier, attach, fire
// (BEGIN, or syscalls the test makes itself) and capture exactly what the session prints.
import { readFileSync } from 'node:fs';
import { compile } from '../../src/compile.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { hasErrors, renderDiagnostics, type Diagnostic } from '../../src/diagnostics/index.js';
import { startSession } from '../../src/index.js';
import type { Session } from '../../src/runtime/session.js';

/** The test process's identity, which programs filter on and outputs are asserted against. */
export const self = {
  pid: process.pid,
  uid: process.getuid!(),
  gid: process.getgid!(),
  comm: readFileSync('/proc/self/comm', 'utf8').trim(),
} as const;

/** A predicate that keeps only this process's events (other processes run on the machine too). */
export const onlySelf = `/pid == ${self.pid}/`;

export interface RunOptions {
  /** Runs after attach; the session stops when it returns (unless `awaitExit`). */
  readonly trigger?: () => void;
  /** After `trigger`, wait for the program's own exit() instead of stopping the session. */
  readonly awaitExit?: boolean;
  /** `$1`, `$2`, … */
  readonly positional?: readonly string[];
  /** A session still running after this long is stopped and the run fails. */
  readonly timeoutMs?: number;
  readonly format?: 'text' | 'json';
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export class CompileFailure extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly rendered: string) {
    super(`compilation failed:\n${rendered}`);
  }
}

/** Compiles or throws a CompileFailure carrying the rendered diagnostics. */
export function compileScript(source: string, positional: readonly string[] = []): CompiledScript {
  const result = compile(source, { fileName: 'test.bt', positional });
  if (!result.script || hasErrors(result.diagnostics)) {
    throw new CompileFailure(result.diagnostics, renderDiagnostics(result.diagnostics, () => source));
  }
  return result.script;
}

/** The rendered diagnostics of a program that must not compile (throws if it compiles). */
export function compileErrors(source: string): string {
  const result = compile(source, { fileName: 'test.bt' });
  if (result.script && !hasErrors(result.diagnostics)) throw new Error(`expected a compile error, but this compiled:\n${source}`);
  return renderDiagnostics(result.diagnostics, () => source);
}

/** Runs a program to its end and returns what it printed (stdout without the banner, stderr). */
export async function run(source: string, options: RunOptions = {}): Promise<RunResult> {
  const script = compileScript(source, options.positional);
  let stdout = '';
  let stderr = '';
  const session = startSession(script, {
    banner: false,
    output: {
      format: options.format ?? 'text',
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
  });
  const exitCode = await finish(session, options);
  if (session.failure) throw session.failure;
  return { stdout, stderr, exitCode };
}

async function finish(session: Session, options: RunOptions): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void session.stop();
  }, timeoutMs);
  try {
    if (options.trigger) {
      options.trigger();
      if (!options.awaitExit) return await session.stop();
    }
    const code = await session.done;
    if (timedOut) throw new Error(`the session did not exit within ${timeoutMs} ms`);
    return code;
  } finally {
    clearTimeout(timer);
  }
}

/** Makes `times` getppid syscalls from this thread (Node reads process.ppid with one getppid). */
export function callGetppid(times: number): void {
  for (let index = 0; index < times; index++) void process.ppid;
}

/** `BEGIN { body exit(); }`: the common shape of a test that needs no event. */
export function begin(body: string): string {
  return `BEGIN { ${body} exit(); }`;
}
