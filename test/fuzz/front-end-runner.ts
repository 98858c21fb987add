// Runs a front-end fuzz over worker threads with a per-input time bound: a watchdog reads each
// worker's current index from shared memory, and a worker stuck on one input longer than the bound
// is terminated (which stops even an endless loop), the input recorded as a hang, and a new worker
// carries on after it.
import { Worker } from 'node:worker_threads';
import { frontEndInput } from './front-end.js';
import type { WorkerMessage, WorkerRange } from './front-end-worker.js';

export interface FrontEndRunOptions {
  readonly runSeed: number;
  readonly count: number;
  /** First input index (default 0). */
  readonly first?: number;
  readonly workers?: number;
  /** An input still being checked after this long is a hang. */
  readonly timeLimitMs: number;
  /** Called now and then with the number of inputs checked so far. */
  readonly onProgress?: (checked: number) => void;
  /** Test seam: the worker spins forever on this input. */
  readonly hangAt?: number;
}

export interface FrontEndFailure {
  readonly index: number;
  readonly source: string;
  readonly problem: string;
}

export interface FrontEndRunResult {
  readonly checked: number;
  readonly compiled: number;
  readonly failures: readonly FrontEndFailure[];
  readonly slowestMs: number;
  readonly slowestIndex: number;
}

const workerUrl = new URL('./front-end-worker.js', import.meta.url);
/** Loading the compiler in a new worker takes a few hundred milliseconds; far more is a failure. */
const startupLimitMs = 60_000;

export async function runFrontEndFuzz(options: FrontEndRunOptions): Promise<FrontEndRunResult> {
  const first = options.first ?? 0;
  const workers = Math.max(1, options.workers ?? 2);
  const share = Math.ceil(options.count / workers);
  const failures: FrontEndFailure[] = [];
  let compiled = 0;
  let slowestMs = 0;
  let slowestIndex = first;
  const counters: Int32Array[] = [];
  const runs: Promise<void>[] = [];
  for (let worker = 0; worker < workers; worker++) {
    const start = first + worker * share;
    const end = Math.min(first + options.count, start + share);
    if (start < end) runs.push(runRange(start, end));
  }

  async function runRange(start: number, end: number): Promise<void> {
    while (start < end) {
      const progress = new SharedArrayBuffer(8);
      const counter = new Int32Array(progress);
      counters.push(counter);
      // -1 until the worker has loaded and begins its first input: start-up is not an input's time.
      Atomics.store(counter, 0, -1);
      const range: WorkerRange = { runSeed: options.runSeed, start, end, progress, ...(options.hangAt !== undefined ? { hangAt: options.hangAt } : {}) };
      const outcome = await watch(range, counter);
      if (outcome.kind === 'done') {
        compiled += outcome.compiled;
        if (outcome.slowestMs > slowestMs) {
          slowestMs = outcome.slowestMs;
          slowestIndex = outcome.slowestIndex;
        }
        return;
      }
      // A hang or a crashed worker: record the input and go on after it.
      if (outcome.index === -1) throw new Error(`a fuzz worker did not start: ${outcome.problem}`);
      failures.push({ index: outcome.index, source: frontEndInput(options.runSeed, outcome.index), problem: outcome.problem });
      Atomics.add(counter, 1, 1);
      start = outcome.index + 1;
    }
  }

  function watch(range: WorkerRange, counter: Int32Array): Promise<Extract<WorkerMessage, { kind: 'done' }> | { kind: 'stopped'; index: number; problem: string }> {
    return new Promise((resolve) => {
      const worker = new Worker(workerUrl, { workerData: range });
      let settled = false;
      let watchedIndex = Atomics.load(counter, 0);
      let since = Date.now();
      const settle = (value: Parameters<typeof resolve>[0]) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        resolve(value);
      };
      const timer = setInterval(() => {
        const index = Atomics.load(counter, 0);
        if (index !== watchedIndex) {
          watchedIndex = index;
          since = Date.now();
          return;
        }
        const limit = index === -1 ? Math.max(startupLimitMs, options.timeLimitMs) : options.timeLimitMs;
        if (Date.now() - since > limit) {
          void worker.terminate();
          settle({ kind: 'stopped', index, problem: `no result within ${options.timeLimitMs} ms (a hang)` });
        }
      }, Math.min(250, options.timeLimitMs / 4));
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'problem') failures.push({ index: message.index, source: message.source, problem: message.problem });
        else settle(message);
      });
      worker.on('error', (error) => settle({ kind: 'stopped', index: Atomics.load(counter, 0), problem: `the worker died: ${error.stack ?? String(error)}` }));
      worker.on('exit', (code) => settle({ kind: 'stopped', index: Atomics.load(counter, 0), problem: `the worker exited with code ${code}` }));
    });
  }

  const reporter = options.onProgress
    ? setInterval(() => options.onProgress!(counters.reduce((sum, counter) => sum + Atomics.load(counter, 1), 0)), 2000)
    : undefined;
  try {
    await Promise.all(runs);
  } finally {
    if (reporter) clearInterval(reporter);
  }
  failures.sort((a, b) => a.index - b.index);
  return { checked: options.count, compiled, failures, slowestMs, slowestIndex };
}
