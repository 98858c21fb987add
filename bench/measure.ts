// One measurement: a blocked load generator, a tracer attached, the programs' counters read, the
// generator released, the counters read again. The per-event cost is the difference in run_time_ns
// over the difference in run_cnt, so attach and detach time never enter it.
import type { Benchmark } from './benchmarks.js';
import { attachedTracepointPrograms, dumpXlated, ProgramById, runCounters, type RunCounters } from './kernel-programs.js';
import { prepareLoad, type LoadGenerator } from './load-generator.js';
import { startTracer, type RunningTracer, type ToolName } from './tracers.js';

export interface ProgramSample {
  readonly tracepoint: string;
  readonly programId: number;
  readonly runCount: number;
  readonly runTimeNs: number;
  readonly nsPerEvent: number;
  readonly xlatedInstructions: number;
  readonly jitedBytes: number;
  /** Instructions the verifier processed. */
  readonly verifiedInstructions: number;
  /** `bpftool prog dump xlated`, only when asked for. */
  readonly xlated?: string;
}

export interface Measurement {
  readonly tool: ToolName;
  readonly benchmark: string;
  readonly round: number;
  readonly calls: number;
  /** The generator's loop wall time per syscall while traced. */
  readonly loopNsPerCall: number;
  readonly programs: readonly ProgramSample[];
  /** Printing benchmarks: the generator's lines the tool wrote out (the rest were lost). */
  readonly deliveredRecords?: number;
}

export interface MeasureOptions {
  readonly tool: ToolName;
  readonly benchmark: Benchmark;
  readonly round: number;
  readonly calls: number;
  readonly generator: LoadGenerator;
  readonly captureXlated: boolean;
}

const attachTimeoutMs = 30_000;
const pollIntervalMs = 5;

export async function measureOnce(options: MeasureOptions): Promise<Measurement> {
  const { tool, benchmark, calls } = options;
  const load = prepareLoad(options.generator, calls, benchmark.loadMode);
  let tracer: RunningTracer | undefined;
  let programs: ProgramById[] = [];
  try {
    const linePrefix = benchmark.outputLinePrefix?.(load.pid);
    tracer = startTracer(tool, benchmark.source(tool, load.pid), linePrefix);
    const found = await waitForAttachedPrograms(tracer, benchmark.probeCount);
    programs = found.map(({ programId }) => ProgramById.open(programId));
    const before = programs.map((program) => runCounters(program.info()));
    const { loopNs } = await load.run();
    const afterInfo = programs.map((program) => program.info());
    const failure = tracer.failure();
    if (failure) throw new Error(`${tool} ended during the measurement: ${failure}`);
    const samples: ProgramSample[] = [];
    for (const [index, info] of afterInfo.entries()) {
      const sample = sampleOf(found[index]!.tracepoint, info.id, before[index]!, runCounters(info), info);
      samples.push(options.captureXlated ? { ...sample, xlated: await dumpXlated(info.id) } : sample);
    }
    for (const program of programs) program.close();
    // Stopping first lets the tool drain and flush what it still holds before lines are counted.
    await tracer.stop();
    return {
      tool,
      benchmark: benchmark.id,
      round: options.round,
      calls,
      loopNsPerCall: loopNs / calls,
      programs: samples,
      ...(linePrefix !== undefined ? { deliveredRecords: tracer.matchingLines() } : {}),
    };
  } finally {
    load.kill();
    for (const program of programs) program.close();
    await tracer?.stop();
  }
}

function sampleOf(
  tracepoint: string,
  programId: number,
  before: RunCounters,
  after: RunCounters,
  info: { xlatedProgLen: number; jitedProgLen: number; verifiedInsns: number },
): ProgramSample {
  const runCount = Number(after.runCount - before.runCount);
  const runTimeNs = Number(after.runTimeNs - before.runTimeNs);
  return {
    tracepoint,
    programId,
    runCount,
    runTimeNs,
    nsPerEvent: runCount > 0 ? runTimeNs / runCount : Number.NaN,
    xlatedInstructions: info.xlatedProgLen / 8,
    jitedBytes: info.jitedProgLen,
    verifiedInstructions: info.verifiedInsns,
  };
}

/**
 * Waits until the tracer's process holds `count` tracepoint programs that have each run at least
 * once: a program that has run is attached and enabled, which the fd alone does not prove.
 */
async function waitForAttachedPrograms(tracer: RunningTracer, count: number) {
  const deadline = Date.now() + attachTimeoutMs;
  for (;;) {
    const failure = tracer.failure();
    if (failure) throw new Error(`${tracer.tool} did not attach: ${failure}`);
    const found = attachedTracepointPrograms(tracer.pid);
    if (found.length >= count && found.every(({ programId }) => hasRun(programId))) {
      if (found.length > count) throw new Error(`${tracer.tool} attached ${found.length} programs, expected ${count}`);
      return found;
    }
    if (Date.now() > deadline) throw new Error(`${tracer.tool} did not attach ${count} program(s) within ${attachTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

function hasRun(programId: number): boolean {
  let program: ProgramById | undefined;
  try {
    program = ProgramById.open(programId);
    return program.info().runCnt > 0n;
  } catch {
    return false;
  } finally {
    program?.close();
  }
}
