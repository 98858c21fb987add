// Shared by the string, function, stack and JSON end-to-end tests: a session runner with an async
// trigger (the events come from a child process or a socket, not only from this thread), compile
// options (--unsafe, max_strlen through the environment, as the CLI reads it), the default symbolizer preloaded with
// traced pids, and the C helper program (test/fixtures/c/stack-target.c) started behind a gate so
// that the probes are attached, knowing its pid, before it does anything.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../src/compile.js';
import { configFromEnvironment } from '../../src/cli/environment.js';
import { hasErrors, renderDiagnostics } from '../../src/diagnostics/index.js';
import { startSession, type Session } from '../../src/index.js';

export interface ScriptRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface ScriptOptions {
  /** Runs after attach; the session stops once it settles, unless `awaitExit`. */
  readonly trigger?: () => void | Promise<void>;
  /** Wait for the script's own exit() instead of stopping after the trigger. */
  readonly awaitExit?: boolean;
  readonly format?: 'text' | 'json';
  readonly unsafe?: boolean;
  /** Pids the session's symbolizer reads at start (as -p does). */
  readonly tracedProcesses?: readonly number[];
  /** Environment variables set while the script compiles (BPFTRACE_MAX_STRLEN). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Print the `Attached N probes` banner (JSON: the attached_probes message). */
  readonly banner?: boolean;
  readonly ringBufferBytes?: number;
  readonly timeoutMs?: number;
  /** Called once the session runs, before the trigger. */
  readonly onStart?: (session: Session) => void;
}

/** Compiles (throwing the rendered diagnostics on failure), runs and returns what was printed. */
export async function runScript(source: string, options: ScriptOptions = {}): Promise<ScriptRun> {
  const result = compile(source, { fileName: 'test.bt', environment: configFromEnvironment(options.environment ?? {}), ...(options.unsafe ? { unsafe: true } : {}) });
  if (!result.script || hasErrors(result.diagnostics)) throw new Error(`compilation failed:\n${renderDiagnostics(result.diagnostics, () => source)}`);
  const script = result.script;
  let stdout = '';
  let stderr = '';
  const session = startSession(script, {
    banner: options.banner ?? false,
    output: { format: options.format ?? 'text', stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } },
    ...(options.tracedProcesses ? { tracedProcesses: options.tracedProcesses } : {}),
    ...(options.ringBufferBytes ? { ringBufferBytes: options.ringBufferBytes } : {}),
  });
  options.onStart?.(session);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void session.stop();
  }, timeoutMs);
  try {
    let exitCode: number;
    if (options.trigger) {
      await options.trigger();
      exitCode = options.awaitExit ? await session.done : await session.stop();
    } else {
      exitCode = await session.done;
    }
    if (timedOut) throw new Error(`the session did not end within ${timeoutMs} ms; stdout so far:\n${stdout}`);
    if (session.failure) throw session.failure;
    return { stdout, stderr, exitCode };
  } finally {
    clearTimeout(timer);
  }
}

/** The rendered diagnostics of a script that must not compile. */
export function diagnosticsOf(source: string, environment: Readonly<Record<string, string>> = {}): string {
  const result = compile(source, { fileName: 'test.bt', environment: configFromEnvironment(environment) });
  if (result.script && !hasErrors(result.diagnostics)) throw new Error(`expected a compile error, but this compiled:\n${source}`);
  return renderDiagnostics(result.diagnostics, () => source);
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
