// From raw samples to rows: medians with their spread per tool, and the tsbpf/bpftrace ratio, for
// startup, teardown and memory; per-rate summaries for throughput.
import type { BeginExitSample, SingleProbeSample, WildcardSample } from './lifecycle.js';
import { median } from './summary.js';
import type { TargetRate, ThroughputSample } from './throughput.js';
import type { ToolName } from './tracers.js';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

export function spreadOf(values: readonly number[]): Spread | undefined {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), samples: finite.length };
}

export type MetricSection = 'startup' | 'teardown' | 'memory';

export interface MetricRow {
  readonly id: string;
  readonly section: MetricSection;
  readonly label: string;
  readonly unit: 'ms' | 'MB';
  readonly tsbpf?: Spread;
  readonly bpftrace?: Spread;
  /** tsbpf median / bpftrace median. */
  readonly ratio?: number;
}

export interface LifecycleSamples {
  readonly singleProbe: readonly SingleProbeSample[];
  readonly beginExit: readonly BeginExitSample[];
  readonly wildcard: readonly WildcardSample[];
}

function row<T extends { readonly tool: ToolName }>(
  id: string,
  section: MetricSection,
  label: string,
  unit: MetricRow['unit'],
  samples: readonly T[],
  value: (sample: T) => number | undefined,
): MetricRow {
  const of = (tool: ToolName) => spreadOf(samples.filter((sample) => sample.tool === tool).map((sample) => value(sample) ?? Number.NaN));
  const tsbpf = of('tsbpf');
  const bpftrace = of('bpftrace');
  return {
    id,
    section,
    label,
    unit,
    ...(tsbpf ? { tsbpf } : {}),
    ...(bpftrace ? { bpftrace } : {}),
    ...(tsbpf && bpftrace ? { ratio: tsbpf.median / bpftrace.median } : {}),
  };
}

const megabytes = (kilobytes: number) => kilobytes / 1024;

export function metricRows(lifecycle: LifecycleSamples | undefined, throughput: readonly ThroughputSample[] | undefined): MetricRow[] {
  const rows: MetricRow[] = [];
  if (lifecycle) {
    const { singleProbe, beginExit, wildcard } = lifecycle;
    rows.push(
      row('startup-banner', 'startup', 'one tracepoint: launch → banner', 'ms', singleProbe, (sample) => sample.bannerMs),
      row('startup-first-event', 'startup', 'one tracepoint: launch → first event printed', 'ms', singleProbe, (sample) => sample.firstEventMs),
      row('begin-exit', 'startup', '`BEGIN { printf("hi\\n"); exit(); }`: launch → exit', 'ms', beginExit, (sample) => sample.totalMs),
      row('wildcard-banner', 'startup', '`sys_enter_*`: launch → banner', 'ms', wildcard, (sample) => sample.bannerMs),
      row('wildcard-attached', 'startup', '`sys_enter_*`: launch → all probes attached', 'ms', wildcard, (sample) => sample.allAttachedMs),
      row('teardown-single', 'teardown', 'one tracepoint: SIGINT → exit', 'ms', singleProbe, (sample) => sample.teardownMs),
      row('teardown-wildcard', 'teardown', '`sys_enter_* { @[probe] = count(); }`: SIGINT → exit', 'ms', wildcard, (sample) => sample.teardownMs),
      row('rss-single', 'memory', 'one tracepoint (printf + count), run then SIGINT', 'MB', singleProbe, (sample) => megabytes(sample.peakRssKb)),
      row('rss-begin-exit', 'memory', '`BEGIN { printf("hi\\n"); exit(); }`', 'MB', beginExit, (sample) => megabytes(sample.peakRssKb)),
      row('rss-wildcard', 'memory', '`sys_enter_* { @[probe] = count(); }`', 'MB', wildcard, (sample) => megabytes(sample.peakRssKb)),
    );
  }
  if (throughput && throughput.length > 0) {
    rows.push(row('rss-throughput', 'memory', 'printf flat out (throughput, max rate)', 'MB', throughput.filter((sample) => sample.targetRate === 'max'), (sample) => megabytes(sample.peakRssKb)));
  }
  return rows;
}

export interface RateSummary {
  readonly rounds: number;
  readonly sent: number;
  readonly achievedRate: number;
  readonly delivered: number;
  readonly missing: number;
  readonly maxMissing: number;
  readonly reportedLost: number;
  /** Delivered records per second of load (delivered / loop time). */
  readonly deliveredRate: number;
  /** Every round delivered every record. */
  readonly lossless: boolean;
}

export interface ThroughputRow {
  readonly targetRate: TargetRate;
  readonly tsbpf?: RateSummary;
  readonly bpftrace?: RateSummary;
}

function rateSummary(samples: readonly ThroughputSample[]): RateSummary | undefined {
  if (samples.length === 0) return undefined;
  return {
    rounds: samples.length,
    sent: median(samples.map((sample) => sample.sent)),
    achievedRate: median(samples.map((sample) => sample.achievedRate)),
    delivered: median(samples.map((sample) => sample.delivered)),
    missing: median(samples.map((sample) => sample.missing)),
    maxMissing: Math.max(...samples.map((sample) => sample.missing)),
    reportedLost: median(samples.map((sample) => sample.reportedLost)),
    deliveredRate: median(samples.map((sample) => sample.delivered / (sample.sent / sample.achievedRate))),
    lossless: samples.every((sample) => sample.missing === 0 && sample.reportedLost === 0),
  };
}

export function throughputRows(samples: readonly ThroughputSample[]): ThroughputRow[] {
  const rates = [...new Set(samples.map((sample) => sample.targetRate))].sort((a, b) => (a === 'max' ? 1 : b === 'max' ? -1 : a - b));
  return rates.map((targetRate) => {
    const of = (tool: ToolName) => rateSummary(samples.filter((sample) => sample.tool === tool && sample.targetRate === targetRate));
    const tsbpf = of('tsbpf');
    const bpftrace = of('bpftrace');
    return { targetRate, ...(tsbpf ? { tsbpf } : {}), ...(bpftrace ? { bpftrace } : {}) };
  });
}

/** The highest paced rate up to which every tested rate was lossless (0 if the lowest already lost). */
export function losslessUpTo(rows: readonly ThroughputRow[], tool: ToolName): number {
  let rate = 0;
  for (const row of rows) {
    if (row.targetRate === 'max') continue;
    const summary = row[tool];
    if (!summary || !summary.lossless) break;
    rate = row.targetRate;
  }
  return rate;
}
