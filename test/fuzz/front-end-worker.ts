// One worker of a front-end fuzz run: checks inputs [start, end) and reports each problem. It writes
// the index it is working on into shared memory before each input, so that the parent can tell a
// hang (the index stops moving) and terminate it, which interrupts even an endless loop.
import { parentPort, workerData } from 'node:worker_threads';
import { checkFrontEnd, frontEndInput } from './front-end.js';

export interface WorkerRange {
  readonly runSeed: number;
  readonly start: number;
  readonly end: number;
  /** Int32Array over a SharedArrayBuffer: [0] the index being checked, [1] inputs finished. */
  readonly progress: SharedArrayBuffer;
  /** Test seam: spin forever on this input, as a front-end hang would. */
  readonly hangAt?: number;
}

export type WorkerMessage =
  | { readonly kind: 'problem'; readonly index: number; readonly source: string; readonly problem: string }
  /** `compiled`: inputs that became a script (the rest ended in diagnostics). */
  | { readonly kind: 'done'; readonly slowestMs: number; readonly slowestIndex: number; readonly compiled: number };

const range = workerData as WorkerRange;
const progress = new Int32Array(range.progress);
let slowestMs = 0;
let slowestIndex = range.start;
let compiled = 0;
for (let index = range.start; index < range.end; index++) {
  Atomics.store(progress, 0, index);
  const source = frontEndInput(range.runSeed, index);
  if (index === range.hangAt) for (;;);
  const started = performance.now();
  const { problem, compiled: accepted } = checkFrontEnd(source);
  const elapsed = performance.now() - started;
  if (elapsed > slowestMs) {
    slowestMs = elapsed;
    slowestIndex = index;
  }
  if (accepted) compiled++;
  if (problem !== undefined) parentPort!.postMessage({ kind: 'problem', index, source, problem } satisfies WorkerMessage);
  Atomics.add(progress, 1, 1);
}
parentPort!.postMessage({ kind: 'done', slowestMs, slowestIndex, compiled } satisfies WorkerMessage);
