// Section: per-event kernel cost (measure.ts does one measurement). Every round runs each program
// under both tools back to back, alternating which goes first, and starts with an untraced loop.
import type { Benchmark } from './benchmarks.js';
import { prepareLoad, type LoadGenerator } from './load-generator.js';
import { measureOnce, type Measurement } from './measure.js';
import { median, summarize, type SummaryRow } from './summary.js';
import type { ToolName } from './tracers.js';

export interface PerEventConfig {
  readonly rounds: number;
  readonly calls: number;
  readonly benchmarks: readonly Benchmark[];
  readonly tools: readonly ToolName[];
  readonly generator: LoadGenerator;
  readonly interrupted: () => boolean;
  readonly log: (line: string) => void;
}

export interface PerEventResults {
  readonly rows: readonly SummaryRow[];
  readonly measurements: readonly Measurement[];
  /** The generator's loop per call with nothing attached. */
  readonly baselineLoopNsPerCall: number;
}

async function baselineLoop(generator: LoadGenerator, calls: number): Promise<number> {
  const load = prepareLoad(generator, calls, 'getppid');
  try {
    return (await load.run()).loopNs / calls;
  } finally {
    load.kill();
  }
}

function progress(measurement: Measurement): string {
  const costs = measurement.programs.map((program) => `${program.tracepoint} ${program.nsPerEvent.toFixed(1)} ns × ${program.runCount}`).join(', ');
  return `per-event round ${measurement.round + 1} ${measurement.benchmark.padEnd(16)} ${measurement.tool.padEnd(8)} ${costs}; loop ${measurement.loopNsPerCall.toFixed(0)} ns/call`;
}

export async function runPerEvent(config: PerEventConfig): Promise<PerEventResults> {
  const measurements: Measurement[] = [];
  const baselines: number[] = [];
  for (let round = 0; round < config.rounds && !config.interrupted(); round++) {
    baselines.push(await baselineLoop(config.generator, config.calls));
    for (const [index, benchmark] of config.benchmarks.entries()) {
      // Alternate which tool goes first so slow drift (thermal, other load) hits both alike.
      const order = (round + index) % 2 === 0 ? config.tools : [...config.tools].reverse();
      for (const tool of order) {
        if (config.interrupted()) break;
        let measurement: Measurement;
        try {
          measurement = await measureOnce({ tool, benchmark, round, calls: config.calls, generator: config.generator, captureXlated: round === 0 });
        } catch (error) {
          // Ctrl-C reaches bpftrace too (same process group), which then fails the measurement.
          if (config.interrupted()) break;
          throw error;
        }
        measurements.push(measurement);
        config.log(progress(measurement));
      }
    }
  }
  return { rows: summarize(config.benchmarks, measurements), measurements, baselineLoopNsPerCall: median(baselines) };
}
