// The one session runner of the tests: compile a program (as the CLI would: environment variables,
// --unsafe, positional parameters), start it with its output captured, fire it, and end it. The e2e
// cases, the function tests, the examples and the differential fuzzer all run sessions through here.
import { compile } from '../../src/compile.js';
import { configFromEnvironment } from '../../src/cli/environment.js';
import { hasErrors, renderDiagnostics, type Diagnostic } from '../../src/diagnostics/index.js';
import { startSession, type Session } from '../../src/index.js';
import type { CompiledScript } from '../../src/model/artifact.js';

export interface CompileSettings {
  /** `$1`, `$2`, … */
  readonly positional?: readonly string[];
  /** Environment variables read as the CLI reads them (BPFTRACE_MAX_STRLEN). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly unsafe?: boolean;
  /** -k: failed probe reads are reported. */
  readonly probeReadWarnings?: boolean;
  /** -p PID */
  readonly targetPid?: number;
  /** Name shown in diagnostics. */
  readonly fileName?: string;
}

export interface CaptureOptions {
  readonly format?: 'text' | 'json';
  /** Print the `Attached N probes` banner (JSON: the attached_probes message). */
  readonly banner?: boolean;
  /** Pids the session's symbolizer reads at start (as -p does). */
  readonly tracedProcesses?: readonly number[];
  readonly ringBufferBytes?: number;
}

export interface RunOptions extends CompileSettings, CaptureOptions {
  /** Runs after attach (awaited when it returns a promise); the session then stops, unless `awaitExit`. */
  readonly trigger?: () => unknown;
  /** After `trigger`, wait for the program's own exit() instead of stopping the session. */
  readonly awaitExit?: boolean;
  /** A session still running after this long is stopped and the run fails. */
  readonly timeoutMs?: number;
  /** Called once the session runs, before the trigger. */
  readonly onStart?: (session: Session) => void;
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

function compiled(source: string, settings: CompileSettings) {
  return compile(source, {
    fileName: settings.fileName ?? 'test.bt',
    positional: settings.positional ?? [],
    environment: configFromEnvironment(settings.environment ?? {}),
    ...(settings.unsafe ? { unsafe: true } : {}),
    ...(settings.probeReadWarnings ? { probeReadWarnings: true } : {}),
    ...(settings.targetPid !== undefined ? { targetPid: settings.targetPid } : {}),
  });
}

/** Compiles or throws a CompileFailure carrying the rendered diagnostics. */
export function compileScript(source: string, settings: CompileSettings = {}): CompiledScript {
  const result = compiled(source, settings);
  if (!result.script || hasErrors(result.diagnostics)) throw new CompileFailure(result.diagnostics, renderDiagnostics(result.diagnostics, () => source));
  return result.script;
}

/** The rendered diagnostics of a program that must not compile (throws if it compiles). */
export function compileErrors(source: string, settings: CompileSettings = {}): string {
  const result = compiled(source, settings);
  if (result.script && !hasErrors(result.diagnostics)) throw new Error(`expected a compile error, but this compiled:\n${source}`);
  return renderDiagnostics(result.diagnostics, () => source);
}

export interface CapturedSession {
  readonly session: Session;
  /** Everything printed so far (stdout and stderr separately). */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once stdout matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts a compiled script with its output captured. */
export function startCaptured(script: CompiledScript, options: CaptureOptions = {}): CapturedSession {
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const session = startSession(script, {
    banner: options.banner ?? false,
    output: {
      format: options.format ?? 'text',
      stdout: {
        write: (text: string) => {
          stdout += text;
          for (const waiter of [...waiters]) {
            if (!waiter.pattern.test(stdout)) continue;
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
    },
    ...(options.tracedProcesses ? { tracedProcesses: options.tracedProcesses } : {}),
    ...(options.ringBufferBytes ? { ringBufferBytes: options.ringBufferBytes } : {}),
  });
  return {
    session,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs = 5000) => new Promise<void>((resolve, reject) => {
      if (pattern.test(stdout)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in the output within ${timeoutMs} ms:\n${stdout}`)), timeoutMs);
      waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
    }),
  };
}

/** Compiles, runs and ends a program; what it printed and its exit code. */
export async function runScript(source: string, options: RunOptions = {}): Promise<RunResult> {
  const captured = startCaptured(compileScript(source, options), options);
  const { session } = captured;
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
    if (timedOut) throw new Error(`the session did not end within ${timeoutMs} ms; stdout so far:\n${captured.stdout()}`);
    if (session.failure) throw session.failure;
    return { stdout: captured.stdout(), stderr: captured.stderr(), exitCode };
  } finally {
    clearTimeout(timer);
  }
}
