// Driving the C load generator (c-programs.ts): a process blocked before its loop, so that its pid
// is known before any tracer starts and the loop runs fully traced; or a trickle that runs until
// killed, for noticing when a tracer starts delivering events.
import { spawn } from 'node:child_process';

/** `getppid`: N calls flat out; `open`: N/2 open+close pairs; `paced`: N getppid calls at a rate. */
export type LoadMode = 'getppid' | 'open' | 'paced';

export interface LoadGenerator {
  /** The compiled generator. */
  readonly path: string;
}

/** A generator process blocked before its loop; its pid is known before any tracer starts. */
export interface PendingLoad {
  readonly pid: number;
  /** Starts the loop; resolves with the loop's wall time once the process exits. */
  run(): Promise<{ readonly loopNs: number }>;
  /** Kills the process if it has not finished (cleanup after a failure). */
  kill(): void;
}

/** `ratePerSecond` is for the paced mode only. */
export function prepareLoad(generator: LoadGenerator, calls: number, mode: LoadMode, ratePerSecond?: number): PendingLoad {
  const args = [String(calls), mode, ...(ratePerSecond !== undefined ? [String(ratePerSecond)] : [])];
  const child = spawn(generator.path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error(`could not start ${generator.path}`);
  const pid = child.pid;
  return {
    pid,
    async run() {
      child.stdin.end('g');
      const { code, signal } = await exited;
      const loopNs = Number(stdout.trim());
      if (code !== 0 || !Number.isFinite(loopNs)) {
        throw new Error(`load generator ${pid} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || stdout.trim()}`);
      }
      return { loopNs };
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export interface Trickle {
  readonly pid: number;
  stop(): void;
}

/** One getppid() every `intervalUs` microseconds until stopped. */
export function startTrickle(generator: LoadGenerator, intervalUs: number): Trickle {
  const child = spawn(generator.path, ['0', 'trickle', String(intervalUs)], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error(`could not start ${generator.path}`);
  return {
    pid: child.pid,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
