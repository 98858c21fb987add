// From raw measurements to one row per (benchmark, kernel program): medians per tool and the ratio.
import type { Benchmark } from './benchmarks.js';
import type { Measurement } from './measure.js';
import type { ToolName } from './tracers.js';

export interface ToolSummary {
  readonly samples: number;
  readonly medianNsPerEvent: number;
  readonly minNsPerEvent: number;
  readonly maxNsPerEvent: number;
  readonly medianRunCount: number;
  readonly xlatedInstructions: number;
  readonly jitedBytes: number;
  readonly verifiedInstructions: number;
  readonly medianLoopNsPerCall: number;
  /** Printing benchmarks: median records that reached the output. */
  readonly medianDeliveredRecords?: number;
}

export interface SummaryRow {
  readonly number: number;
  readonly benchmark: string;
  readonly title: string;
  readonly tracepoint: string;
  readonly targetRatio?: number;
  readonly tsbpf?: ToolSummary;
  readonly bpftrace?: ToolSummary;
  /** tsbpf median / bpftrace median. */
  readonly ratio?: number;
  /** The same after subtracting each tool's calibration (floor) median: the generated code's own share. */
  readonly ratioAboveFloor?: number;
  readonly targetMet?: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The benchmark whose cost every other program pays too (see benchmarks.ts). */
const floorBenchmark = 'floor';

export function summarize(benchmarks: readonly Benchmark[], measurements: readonly Measurement[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const floorOf = (tool: ToolName) => {
    const floor = measurements.filter((measurement) => measurement.benchmark === floorBenchmark && measurement.tool === tool);
    return median(floor.flatMap((measurement) => measurement.programs.map((program) => program.nsPerEvent)));
  };
  const floors = { tsbpf: floorOf('tsbpf'), bpftrace: floorOf('bpftrace') };
  for (const benchmark of benchmarks) {
    const ofBenchmark = measurements.filter((measurement) => measurement.benchmark === benchmark.id);
    const tracepoints = [...new Set(ofBenchmark.flatMap((measurement) => measurement.programs.map((program) => program.tracepoint)))].sort();
    for (const tracepoint of tracepoints) {
      const tsbpf = summarizeTool(ofBenchmark, 'tsbpf', tracepoint);
      const bpftrace = summarizeTool(ofBenchmark, 'bpftrace', tracepoint);
      const ratio = tsbpf && bpftrace ? tsbpf.medianNsPerEvent / bpftrace.medianNsPerEvent : undefined;
      const aboveFloor =
        tsbpf && bpftrace && benchmark.id !== floorBenchmark && Number.isFinite(floors.tsbpf) && Number.isFinite(floors.bpftrace)
          ? (tsbpf.medianNsPerEvent - floors.tsbpf) / (bpftrace.medianNsPerEvent - floors.bpftrace)
          : undefined;
      rows.push({
        number: benchmark.number,
        benchmark: benchmark.id,
        title: benchmark.title,
        tracepoint,
        ...(benchmark.targetRatio !== undefined ? { targetRatio: benchmark.targetRatio } : {}),
        ...(tsbpf ? { tsbpf } : {}),
        ...(bpftrace ? { bpftrace } : {}),
        ...(ratio !== undefined ? { ratio } : {}),
        ...(aboveFloor !== undefined ? { ratioAboveFloor: aboveFloor } : {}),
        ...(ratio !== undefined && benchmark.targetRatio !== undefined ? { targetMet: ratio <= benchmark.targetRatio } : {}),
      });
    }
  }
  return rows;
}

function summarizeTool(measurements: readonly Measurement[], tool: ToolName, tracepoint: string): ToolSummary | undefined {
  const ofTool = measurements.filter((measurement) => measurement.tool === tool);
  const samples = ofTool.flatMap((measurement) => measurement.programs.filter((program) => program.tracepoint === tracepoint));
  if (samples.length === 0) return undefined;
  const delivered = ofTool.flatMap((measurement) => (measurement.deliveredRecords === undefined ? [] : [measurement.deliveredRecords]));
  const costs = samples.map((sample) => sample.nsPerEvent).filter((value) => Number.isFinite(value));
  return {
    samples: samples.length,
    medianNsPerEvent: median(costs),
    minNsPerEvent: Math.min(...costs),
    maxNsPerEvent: Math.max(...costs),
    medianRunCount: median(samples.map((sample) => sample.runCount)),
    // Sizes do not vary between rounds except for immediates (the generator's pid), so any sample will do.
    xlatedInstructions: samples[0]!.xlatedInstructions,
    jitedBytes: samples[0]!.jitedBytes,
    verifiedInstructions: samples[0]!.verifiedInstructions,
    medianLoopNsPerCall: median(ofTool.map((measurement) => measurement.loopNsPerCall)),
    ...(delivered.length > 0 ? { medianDeliveredRecords: median(delivered) } : {}),
  };
}
