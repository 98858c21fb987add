// Runs the scripts in examples/ as a user would (compiled under their own file name, attached to
// the real kernel) while the test starts processes for them to see. The examples trace the whole
// machine, so the tests pick out the lines of the processes they started.
import { spawn, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../src/compile.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { hasErrors, renderDiagnostics } from '../../src/diagnostics/index.js';
import type { Session } from '../../src/index.js';
import { startCaptured } from '../support/session.js';

// dist/test/examples → repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** An example's path as diagnostics show it (`examples/bcc-hello.tsbpf`) and its text. */
export function exampleSource(name: string): { fileName: string; text: string } {
  const fileName = join('examples', name);
  return { fileName, text: readFileSync(join(root, fileName), 'utf8') };
}

/** Compile errors and warnings of an example, rendered as the CLI prints them ('' when there are none). */
export function exampleDiagnostics(name: string): string {
  const { fileName, text } = exampleSource(name);
  return renderDiagnostics(compile(text, { fileName }).diagnostics, () => text);
}

export function compileExample(name: string): CompiledScript {
  const { fileName, text } = exampleSource(name);
  const result = compile(text, { fileName });
  if (!result.script || hasErrors(result.diagnostics)) throw new Error(`${name} does not compile:\n${renderDiagnostics(result.diagnostics, () => text)}`);
  return result.script;
}

export interface RunningExample {
  readonly session: Session;
  /** Everything printed so far: stdout, then stderr's lines prefixed `stderr: `. */
  output(): string;
  /** Resolves once the output has a match for `pattern` (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Stops the session (maps are printed) and returns the whole output. */
  stop(): Promise<string>;
}

export function startExample(name: string): RunningExample {
  const captured = startCaptured(compileExample(name));
  const output = () => captured.stdout() + captured.stderr().split('\n').filter(Boolean).map((line) => `stderr: ${line}\n`).join('');
  return {
    session: captured.session,
    output,
    waitFor: (pattern, timeoutMs) => captured.waitFor(pattern, timeoutMs),
    stop: async () => {
      await captured.session.stop();
      if (captured.session.failure) throw captured.session.failure;
      return output();
    },
  };
}

/** Runs a command to its end and returns its pid. `uid` runs it as another user (the tests run as root). */
export function runCommand(file: string, args: readonly string[] = [], options: { uid?: number } = {}): Promise<number> {
  const spawnOptions: SpawnOptions = { stdio: 'ignore', ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}) };
  const child = spawn(file, args, spawnOptions);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(child.pid!);
      else reject(new Error(`${file} ${args.join(' ')} ended with ${signal ?? code}`));
    });
  });
}

/** The output lines printed for one pid by a `printf("%-7d …", pid, …)` example. */
export function linesOf(output: string, pid: number): string[] {
  return output.split('\n').filter((line) => line.startsWith(`${String(pid).padEnd(7)} `));
}

/** `@name[key]: value` lines as { key: value }. */
export function mapEntries(text: string, name: string): Record<string, number> {
  const entries: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^@${name}\\[([^\\]]+)\\]: (-?\\d+)$`, 'gm'))) entries[match[1]!] = Number(match[2]);
  return entries;
}

/** User ids no account on the machine has, so no one else's processes are counted with the tests'. */
export const testUid = { first: 54321, second: 54322 } as const;
