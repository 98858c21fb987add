// The per-event section of the results: a markdown table for people (also printed), and the
// kernel's xlated listings of both tools' programs side by side for reading.
import type { Benchmark } from './benchmarks.js';
import type { Measurement } from './measure.js';
import type { SummaryRow, ToolSummary } from './summary.js';

export interface PerEventContext {
  readonly rounds: number;
  readonly calls: number;
  readonly baselineLoopNsPerCall: number;
}

const nsText = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(1));
const ratioText = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`);

function spread(summary: ToolSummary | undefined): string {
  if (!summary) return '–';
  return `${nsText(summary.medianNsPerEvent)} (${nsText(summary.minNsPerEvent)}–${nsText(summary.maxNsPerEvent)})`;
}

function pair(tsbpf: number | undefined, bpftrace: number | undefined): string {
  const text = (value: number | undefined) => (value === undefined ? '–' : String(Math.round(value)));
  return `${text(tsbpf)} / ${text(bpftrace)}`;
}

function targetText(row: SummaryRow): string {
  if (row.targetRatio === undefined) return 'record';
  const wanted = `≤ ${row.targetRatio.toFixed(1)}×`;
  if (row.targetMet === undefined) return wanted;
  return `${wanted} ${row.targetMet ? 'met' : '**missed**'}`;
}

export function markdownTable(rows: readonly SummaryRow[]): string {
  const lines = [
    '| # | program | tracepoint | tsbpf ns/event (min–max) | bpftrace ns/event (min–max) | ratio | above floor | target | xlated insns ts/bt | jited bytes ts/bt | loop ns/call ts/bt |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.number} | \`${row.title.replaceAll('|', '\\|')}\` | ${row.tracepoint} | ${spread(row.tsbpf)} | ${spread(row.bpftrace)} | ${ratioText(row.ratio)} | ${ratioText(row.ratioAboveFloor)} | ${targetText(row)} | ` +
        `${pair(row.tsbpf?.xlatedInstructions, row.bpftrace?.xlatedInstructions)} | ${pair(row.tsbpf?.jitedBytes, row.bpftrace?.jitedBytes)} | ` +
        `${pair(row.tsbpf?.medianLoopNsPerCall, row.bpftrace?.medianLoopNsPerCall)} |`,
    );
  }
  return lines.join('\n');
}

function deliveredText(rows: readonly SummaryRow[], calls: number): string[] {
  const printing = rows.filter((row) => row.tsbpf?.medianDeliveredRecords !== undefined || row.bpftrace?.medianDeliveredRecords !== undefined);
  return printing.map((row) => {
    const text = (value: number | undefined) => (value === undefined ? '–' : value.toLocaleString('en-US'));
    return `- Row ${row.number}: records delivered to the output (median) of ${calls.toLocaleString('en-US')}: tsbpf ${text(row.tsbpf?.medianDeliveredRecords)}, bpftrace ${text(row.bpftrace?.medianDeliveredRecords)}.`;
  });
}

/** Section 3 of results.md: the per-event table and how to read it. */
export function perEventSection(rows: readonly SummaryRow[], context: PerEventContext, benchmarks: readonly Benchmark[]): string[] {
  const scripts = benchmarks.map((benchmark) => `${benchmark.number}. \`${benchmark.source('tsbpf', 0).replaceAll('\n', ' ')}\``);
  return [
    `${context.rounds} rounds × ${context.calls.toLocaleString('en-US')} getppid() calls per run.`,
    '',
    markdownTable(rows),
    '',
    'How to read it:',
    '- **ns/event** is Δrun_time_ns / Δrun_cnt of the attached program (BPF_ENABLE_STATS held by the',
    '  benchmark), counted from attach-complete to generator-exit; median of the rounds, min–max after it.',
    '  Each round runs tsbpf and bpftrace back to back, alternating which goes first. tsbpf runs in the',
    '  benchmark\'s process here (compile() + startSession()), bpftrace as a child.',
    '- **ratio** is tsbpf median / bpftrace median; the target applies to that ratio. **above floor** is the',
    '  same ratio after subtracting each tool\'s row-0 median (the cost of entering any program at all, which',
    '  includes the stats accounting): the generated code\'s own share.',
    '- **xlated insns** = xlated_prog_len / 8 and **jited bytes** = jited_prog_len, from bpf_prog_info.',
    `- **loop ns/call** is the generator's wall time per syscall while traced (untraced: ${nsText(context.baselineLoopNsPerCall)} ns).`,
    '- Other processes\' syscalls also run the programs; they are counted in both run_cnt and run_time_ns.',
    '- The printf row records what a record costs; when userspace falls behind, records are dropped, and a',
    '  dropped record is cheaper than a delivered one (both tools).',
    ...deliveredText(rows, context.calls),
    '',
    'Scripts (tsbpf spelling; bpftrace 0.17 gets `args->id`; `0` stands for the generator\'s pid):',
    '',
    ...scripts,
    '',
    'Kernel listings of every program: `bench/xlated.md`.',
  ];
}

export function xlatedListing(measurements: readonly Measurement[], benchmarks: readonly Benchmark[]): string {
  const sections = ['# Xlated programs (bpftool prog dump xlated), first round', ''];
  for (const benchmark of benchmarks) {
    sections.push(`## ${benchmark.id}: \`${benchmark.title}\``, '');
    for (const measurement of measurements.filter((candidate) => candidate.benchmark === benchmark.id)) {
      for (const program of measurement.programs) {
        if (program.xlated === undefined) continue;
        sections.push(`### ${measurement.tool} · ${program.tracepoint} · ${program.xlatedInstructions} insns`, '', '```', program.xlated.trimEnd(), '```', '');
      }
    }
  }
  return sections.join('\n');
}
