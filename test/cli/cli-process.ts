// Runs the tsbpf command as a user would, from tsc's output (dist/src/cli/main.js), so that the
// tests do not depend on the bundle. Each run has a deadline: a CLI that does not end is a failure,
// not a hung test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/test/cli/ → dist/src/cli/main.js */
export const cliPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves once stderr (or stdout) contains `text`. */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>;
  readonly result: Promise<CliResult>;
}

export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; stream: 'stdout' | 'stderr'; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if ((waiter.stream === 'stdout' ? stdout : stderr).includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tsbpf ${args.join(' ')} did not end within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    result,
    waitFor: (text, stream = 'stderr') =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, stream, resolve });
        check();
        result.then(() => reject(new Error(`tsbpf ended before printing ${JSON.stringify(text)}\nstdout: ${stdout}\nstderr: ${stderr}`)), reject);
      }),
  };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** The non-empty lines of `text`. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
