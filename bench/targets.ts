// The targets of issue 8, checked against a run's summaries. A target without the data to check it
// (a section skipped, bpftrace missing) is reported as unknown, never as met.
import { losslessUpTo, type MetricRow, type ThroughputRow } from './section-summaries.js';
import type { SummaryRow } from './summary.js';

export interface TargetResult {
  readonly target: string;
  readonly wanted: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const ratioText = (ratio: number) => `${ratio.toFixed(2)}×`;

function ratioTarget(rows: readonly MetricRow[], id: string, target: string, wanted: number): TargetResult {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row || row.ratio === undefined || !row.tsbpf || !row.bpftrace) return { target, wanted: `≤ ${wanted}×`, measured: 'not measured', met: undefined };
  const unit = row.unit === 'ms' ? 'ms' : 'MB';
  return {
    target,
    wanted: `≤ ${wanted}×`,
    measured: `${ratioText(row.ratio)} (${row.tsbpf.median.toFixed(1)} vs ${row.bpftrace.median.toFixed(1)} ${unit})`,
    met: row.ratio <= wanted,
  };
}

/** The loss target's boundary: no loss at any tested paced rate up to this many records per second. */
export const losslessTargetRate = 1_000_000;

export function evaluateTargets(metrics: readonly MetricRow[], perEvent: readonly SummaryRow[] | undefined, throughput: readonly ThroughputRow[] | undefined): TargetResult[] {
  const results: TargetResult[] = [
    ratioTarget(metrics, 'startup-banner', 'startup: launch → banner, one tracepoint', 0.5),
    ratioTarget(metrics, 'startup-first-event', 'startup: launch → first event (really attached), one tracepoint', 0.5),
    ratioTarget(metrics, 'begin-exit', '`BEGIN { printf("hi\\n"); exit(); }` total', 0.3),
  ];
  const wildcard = metrics.find((row) => row.id === 'teardown-wildcard')?.tsbpf;
  results.push({
    target: 'wildcard teardown (tsbpf SIGINT → exit)',
    wanted: '< 2000 ms',
    measured: wildcard ? `${wildcard.median.toFixed(0)} ms (max ${wildcard.max.toFixed(0)})` : 'not measured',
    met: wildcard ? wildcard.median < 2000 : undefined,
  });
  for (const row of perEvent ?? []) {
    if (row.targetRatio === undefined) continue;
    results.push({
      target: `per-event cost #${row.number} \`${row.title}\` (${row.tracepoint})`,
      wanted: `≤ ${row.targetRatio.toFixed(1)}×`,
      measured: row.ratio === undefined ? 'not measured' : `${ratioText(row.ratio)} (${row.tsbpf!.medianNsPerEvent.toFixed(1)} vs ${row.bpftrace!.medianNsPerEvent.toFixed(1)} ns)`,
      met: row.targetMet,
    });
  }
  for (const row of metrics.filter((candidate) => candidate.section === 'memory')) results.push(ratioTarget(metrics, row.id, `peak RSS: ${row.label}`, 0.6));
  if (throughput && throughput.length > 0) {
    const tested = throughput.filter((row) => row.targetRate !== 'max' && row.targetRate <= losslessTargetRate && row.tsbpf);
    const lossy = tested.filter((row) => !row.tsbpf!.lossless);
    const upTo = losslessUpTo(throughput, 'tsbpf');
    results.push({
      target: 'no event loss below 1M printf records/s (tsbpf)',
      wanted: `0 lost at every paced rate ≤ ${(losslessTargetRate / 1e6).toFixed(0)}M/s`,
      measured:
        lossy.length === 0
          ? `lossless at every tested rate up to ${(upTo / 1000).toFixed(0)}k/s`
          : `lossless up to ${(upTo / 1000).toFixed(0)}k/s; loss at ${lossy.map((row) => `${((row.targetRate as number) / 1000).toFixed(0)}k/s (${row.tsbpf!.missing.toLocaleString('en-US')} of ${row.tsbpf!.sent.toLocaleString('en-US')})`).join(', ')}`,
      met: tested.length === 0 ? undefined : lossy.length === 0,
    });
  } else {
    results.push({ target: 'no event loss below 1M printf records/s (tsbpf)', wanted: '0 lost', measured: 'not measured', met: undefined });
  }
  return results;
}
