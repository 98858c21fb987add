// A tracer run as a command, the way a person runs it, under the exec wrapper (c-programs.ts), which
// reports the tool's pid, its start and end on CLOCK_MONOTONIC, and its peak RSS. Output lines are
// stamped with process.hrtime (also CLOCK_MONOTONIC) as they arrive, so "launch → banner" is the
// wrapper's fork time to the line's arrival, without this process's spawn overhead.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { toolEnvironment } from './cli-tools.js';

export type StreamName = 'stdout' | 'stderr';

export interface TimedLine {
  readonly stream: StreamName;
  readonly text: string;
  /** CLOCK_MONOTONIC nanoseconds when the chunk that completed the line arrived. */
  readonly atNs: bigint;
}

export interface ToolExit {
  readonly endNs: bigint;
  readonly peakRssKb: number;
  /** The exit status, or 128 + signal. */
  readonly exitCode: number;
}

interface Waiter {
  readonly stream: StreamName;
  readonly pattern: RegExp;
  resolve(line: TimedLine): void;
}

/** Lines kept per stream; a chatty run (events printed to stdout) should not grow without bound. */
const keptLines = 5000;
/** Wrappers still running, so that an interrupted benchmark can end their tools. */
const live = new Set<ToolProcess>();

export class ToolProcess {
  readonly started: Promise<{ readonly pid: number; readonly startNs: bigint }>;
  readonly exited: Promise<ToolExit>;
  private readonly wrapper: ChildProcess;
  private readonly kept: Record<StreamName, TimedLine[]> = { stdout: [], stderr: [] };
  private readonly counts: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  private waiters: Waiter[] = [];
  private toolPid: number | undefined;
  private finished = false;

  constructor(execWrapper: string, command: readonly string[], environment: NodeJS.ProcessEnv = toolEnvironment()) {
    this.wrapper = spawn(execWrapper, command, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: environment });
    live.add(this);
    this.collect(this.wrapper.stdout!, 'stdout');
    this.collect(this.wrapper.stderr!, 'stderr');
    let report = '';
    const reports = this.wrapper.stdio[3] as Readable;
    reports.setEncoding('utf8');
    this.started = new Promise((resolve, reject) => {
      reports.on('data', (chunk: string) => {
        report += chunk;
        const started = /^started (\d+) (\d+)$/m.exec(report);
        if (started && this.toolPid === undefined) {
          this.toolPid = Number(started[1]);
          resolve({ pid: this.toolPid, startNs: BigInt(started[2]!) });
        }
      });
      this.wrapper.once('error', reject);
      this.wrapper.once('close', () => reject(new Error(`${command[0]} did not start: ${this.text('stderr')}`)));
    });
    this.exited = new Promise((resolve, reject) => {
      this.wrapper.once('error', reject);
      this.wrapper.once('close', (code, signal) => {
        this.finished = true;
        live.delete(this);
        const exited = /^exited (\d+) (\d+) (\d+)$/m.exec(report);
        if (!exited) {
          reject(new Error(`the exec wrapper for ${command[0]} ended without a report (${signal ?? `exit ${code}`})`));
          return;
        }
        resolve({ endNs: BigInt(exited[1]!), peakRssKb: Number(exited[2]), exitCode: Number(exited[3]) });
      });
    });
    // Callers await these when they need them; a rejection nobody awaits must not end the process.
    this.started.catch(() => {});
    this.exited.catch(() => {});
  }

  /** The first line on `stream` matching `pattern`, seen already or still to come. */
  waitForLine(stream: StreamName, pattern: RegExp, timeoutMs: number): Promise<TimedLine> {
    const seen = this.kept[stream].find((line) => pattern.test(line.text));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`no line matching ${pattern} on ${stream} within ${timeoutMs} ms; stderr: ${this.text('stderr').slice(-500)}`));
      }, timeoutMs);
      const entry: Waiter = {
        stream,
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(entry);
      void this.exited.then(
        () => {
          if (!this.waiters.includes(entry)) return;
          this.waiters = this.waiters.filter((waiter) => waiter !== entry);
          clearTimeout(timer);
          reject(new Error(`ended before a line matching ${pattern} on ${stream}; stderr: ${this.text('stderr').slice(-500)}`));
        },
        () => {},
      );
    });
  }

  /** Sends SIGINT to the tool (not the wrapper) and returns when, on CLOCK_MONOTONIC. */
  interrupt(): bigint {
    if (this.toolPid === undefined) throw new Error('interrupt before the tool started');
    const sentNs = process.hrtime.bigint();
    try {
      process.kill(this.toolPid, 'SIGINT');
    } catch {
      // Already gone: the exit report says when.
    }
    return sentNs;
  }

  /**
   * SIGINT, repeated every `resendMs` until the tool exits. bpftrace 0.17 can miss a SIGINT that
   * arrives while it is busy with events (it checks its flag only after a wakeup with events), and
   * then waits for the next event, forever when none comes; a second SIGINT interrupts its wait.
   * The times count from the first signal; `interrupts` says how many it took.
   */
  async stop(resendMs: number): Promise<{ readonly exit: ToolExit; readonly interruptedNs: bigint; readonly interrupts: number }> {
    const interruptedNs = this.interrupt();
    let interrupts = 1;
    const timer = setInterval(() => {
      interrupts++;
      this.interrupt();
    }, resendMs);
    try {
      return { exit: await this.exited, interruptedNs, interrupts };
    } finally {
      clearInterval(timer);
    }
  }

  /** Ends the tool and the wrapper at once (cleanup after a failure). */
  kill(): void {
    if (this.finished) return;
    if (this.toolPid !== undefined) {
      try {
        process.kill(this.toolPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.wrapper.kill('SIGKILL');
  }

  lines(stream: StreamName): readonly TimedLine[] {
    return this.kept[stream];
  }

  lineCount(stream: StreamName): number {
    return this.counts[stream];
  }

  text(stream: StreamName): string {
    return this.kept[stream].map((line) => line.text).join('\n');
  }

  private collect(readable: Readable, stream: StreamName): void {
    let partial = '';
    readable.setEncoding('utf8');
    readable.on('data', (chunk: string) => {
      const atNs = process.hrtime.bigint();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const text of parts) this.addLine({ stream, text, atNs });
    });
    readable.on('end', () => {
      if (partial !== '') this.addLine({ stream, text: partial, atNs: process.hrtime.bigint() });
    });
  }

  private addLine(line: TimedLine): void {
    this.counts[line.stream]++;
    if (this.kept[line.stream].length < keptLines) this.kept[line.stream].push(line);
    for (const waiter of this.waiters) {
      if (waiter.stream !== line.stream || !waiter.pattern.test(line.text)) continue;
      this.waiters = this.waiters.filter((other) => other !== waiter);
      waiter.resolve(line);
    }
  }
}

/** For signal handlers and crashes: SIGKILL every tool still running. */
export function killAllTools(): void {
  for (const tool of live) tool.kill();
}

export const nsToMs = (ns: bigint): number => Number(ns) / 1e6;
