// results.md (for people; the targets table is also printed) and results.json (every sample, for
// tools) for a whole run: targets first, then one section per measurement, each saying how it was
// measured in a few lines.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Benchmark } from './benchmarks.js';
import type { CompileResults } from './compile-time.js';
import type { Footprint, SizedItem } from './footprint.js';
import type { LifecycleSamples, MetricRow, MetricSection, Spread, ThroughputRow, RateSummary } from './section-summaries.js';
import { lifecyclePrograms } from './lifecycle.js';
import type { PerEventResults } from './per-event.js';
import { perEventSection, xlatedListing } from './report.js';
import type { TargetResult } from './targets.js';
import { throughputProgram, type ThroughputSample } from './throughput.js';

export interface RunContext {
  readonly date: string;
  readonly kernel: string;
  readonly bpftraceVersion: string;
  readonly bpftoolVersion: string;
  readonly nodeVersion: string;
  readonly cpus: number;
  /** 1-minute load average when the run started: other work on the machine skews wall times. */
  readonly loadAverageAtStart: number;
  readonly sections: readonly string[];
  readonly rounds: { readonly perEvent: number; readonly lifecycle: number; readonly wildcard: number; readonly throughput: number; readonly compile: number };
  readonly durationSeconds: number;
  readonly notes: readonly string[];
}

export interface FullResults {
  readonly context: RunContext;
  readonly targets: readonly TargetResult[];
  readonly metrics: readonly MetricRow[];
  readonly perEvent?: PerEventResults;
  readonly perEventBenchmarks: readonly Benchmark[];
  readonly lifecycle?: LifecycleSamples;
  readonly throughput?: { readonly rows: readonly ThroughputRow[]; readonly samples: readonly ThroughputSample[]; readonly durationSeconds: number };
  readonly compile?: CompileResults;
  readonly footprint?: Footprint;
}

const fixed = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const spreadText = (spread: Spread | undefined, digits = 1) => (spread ? `${fixed(spread.median, digits)} (${fixed(spread.min, digits)}–${fixed(spread.max, digits)})` : '–');
const ratioText = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);
const metText = (met: boolean | undefined) => (met === undefined ? 'unknown' : met ? 'met' : '**missed**');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const rateText = (rate: number | 'max') => (rate === 'max' ? 'flat out' : `${(rate / 1000).toLocaleString('en-US')}k/s`);

export function targetsTable(targets: readonly TargetResult[]): string {
  const lines = ['| target | wanted | measured (tsbpf vs bpftrace) | |', '|---|---|---|---|'];
  for (const target of targets) lines.push(`| ${target.target.replaceAll('|', '\\|')} | ${target.wanted} | ${target.measured} | ${metText(target.met)} |`);
  return lines.join('\n');
}

function metricTable(rows: readonly MetricRow[], section: MetricSection): string[] {
  const chosen = rows.filter((row) => row.section === section);
  if (chosen.length === 0) return ['Not measured in this run.'];
  const unit = chosen[0]!.unit;
  const lines = [`| measurement | tsbpf ${unit} median (min–max) | bpftrace ${unit} median (min–max) | ratio |`, '|---|---|---|---|'];
  for (const row of chosen) lines.push(`| ${row.label.replaceAll('|', '\\|')} | ${spreadText(row.tsbpf)} | ${spreadText(row.bpftrace)} | ${ratioText(row.ratio)} |`);
  return lines;
}

function rateCells(summary: RateSummary | undefined): string {
  if (!summary) return '– | – | –';
  const lost = summary.missing === 0 && summary.reportedLost === 0 ? '0' : `${count(summary.missing)} (${count(summary.reportedLost)})`;
  return `${count(summary.achievedRate)} | ${count(summary.delivered)} / ${count(summary.sent)} | ${lost}`;
}

function throughputSection(throughput: FullResults['throughput']): string[] {
  if (!throughput) return ['Not measured in this run.'];
  const lines = [
    `\`${throughputProgram(0)}\` (\`0\` = the generator's pid), output to a file in tmpfs (\`-o\`), ${throughput.durationSeconds} s of load per paced rate, 2,000,000 records flat out; median of the rounds.`,
    '',
    '| rate asked | tsbpf rate reached | tsbpf delivered / sent | tsbpf lost (reported) | bpftrace rate reached | bpftrace delivered / sent | bpftrace lost (reported) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of throughput.rows) lines.push(`| ${rateText(row.targetRate)} | ${rateCells(row.tsbpf)} | ${rateCells(row.bpftrace)} |`);
  const flatOut = throughput.rows.find((row) => row.targetRate === 'max');
  if (flatOut) {
    lines.push('', `Delivered per second of load, flat out: tsbpf ${count(flatOut.tsbpf?.deliveredRate ?? Number.NaN)}, bpftrace ${count(flatOut.bpftrace?.deliveredRate ?? Number.NaN)}.`);
  }
  lines.push(
    '',
    '"lost" is sent − delivered (lines in the output file that came from the generator); "reported" is the sum of the',
    'tool\'s own `Lost N events` lines. Each round runs every rate under both tools, alternating which goes first.',
    'A paced rate the generator could not reach under tracing shows as a lower "rate reached".',
  );
  return lines;
}

function compileSection(compile: CompileResults | undefined): string[] {
  if (!compile) return ['Not measured in this run.'];
  const lines = [
    '| example | lines | compile() cold ms (CPU) | compile() warm ms | tsbpf --dry-run ms | bpftrace -d ms |',
    '|---|---|---|---|---|---|',
  ];
  for (const example of compile.examples) {
    const status = example.tsbpf.compiled ? '' : ` (${example.tsbpf.errors} errors)`;
    const bpftrace = example.bpftraceDebug ? `${fixed(example.bpftraceDebug.medianMs, 0)}${example.bpftraceDebug.exitCode !== 0 ? ' (failed)' : ''}` : '–';
    const dryRun = `${fixed(example.tsbpfDryRun.medianMs, 0)}${example.tsbpfDryRun.exitCode !== 0 ? ' (failed)' : ''}`;
    lines.push(`| ${example.example}${status} | ${example.lines} | ${fixed(example.tsbpf.coldMs)} (${fixed(example.tsbpf.coldCpuMs)}) | ${fixed(example.tsbpf.warmMedianMs, 2)} | ${dryRun} | ${bpftrace} |`);
  }
  const importMs = compile.examples.map((example) => example.tsbpf.importMs).sort((a, b) => a - b);
  lines.push(
    '',
    `Importing the unbundled compiler (dist/src/compile.js) took ${fixed(importMs[importMs.length >> 1])} ms (median over the examples' processes); the CLI loads one bundled file instead.`,
    '**compile() cold** is the first compile in a fresh process (parser construction, tracefs/BTF reads and JIT warm-up',
    'included), **warm** the median of 10 more. The two whole-process columns are references, not like for like:',
    '`--dry-run` also loads every program into the verifier; bpftrace 0.17\'s `-d` parses, analyses and prints the AST and',
    'LLVM IR but loads nothing. Both include process start-up.',
    '',
    'Parser benchmark (`node dist/bench/parser.js`, its own report):',
    '',
    '```json',
    JSON.stringify(compile.parser, null, 2),
    '```',
  );
  return lines;
}

function itemsText(items: readonly SizedItem[], limit: number): string {
  const shown = items.slice(0, limit).map((item) => `${item.name.split('/').pop()} ${mb(item.bytes)}`);
  return items.length > limit ? `${shown.join(', ')}, … (${items.length} in all)` : shown.join(', ');
}

function footprintSection(footprint: Footprint | undefined): string[] {
  if (!footprint) return ['Not measured in this run.'];
  const { tsbpf, bpftrace } = footprint;
  const nodeLibraries = tsbpf.node.libraries.reduce((total, library) => total + library.bytes, 0);
  const lines = [
    '| | bytes | what |',
    '|---|---|---|',
    `| tsbpf CLI | ${mb(tsbpf.cliBytes)} | dist/tsbpf.js ${mb(tsbpf.bundleBytes)} (chevrotain and commander inside) + addon ${mb(tsbpf.addonBytes)}; source map ${mb(tsbpf.bundleSourceMapBytes)} beside it |`,
    `| tsbpf runtime dependencies | ${mb(tsbpf.runtimeDependencyBytes)} | chevrotain, commander and their dependencies as installed (needed by the library, not by the bundled CLI) |`,
    `| tsbpf \`npm install\` closure | ${mb(tsbpf.dependencyClosureBytes)} | ${itemsText(tsbpf.dependencyClosure, 6)} (cmake-js and node-addon-api only build the addon) |`,
    `| tsbpf dist/ + build/ as built | ${mb(tsbpf.distBytes + tsbpf.buildBytes)} | dist ${mb(tsbpf.distBytes)} (tests and bench included), build ${mb(tsbpf.buildBytes)} (cmake tree) |`,
    `| Node (needed by tsbpf) | ${mb(tsbpf.node.bytes + nodeLibraries)} | ${tsbpf.node.path} ${mb(tsbpf.node.bytes)} + shared libraries ${mb(nodeLibraries)} |`,
  ];
  if (bpftrace) {
    lines.push(
      `| bpftrace package files | ${mb(bpftrace.packageFileBytes)} | \`dpkg -L bpftrace\` (binary, tools, man pages) |`,
      `| bpftrace shared libraries | ${mb(bpftrace.librariesBytes)} | \`ldd\`: ${itemsText(bpftrace.libraries, 5)} |`,
      `| of which node does not load | ${mb(bpftrace.ownLibrariesBytes)} | leaving out the C/C++ runtime both use |`,
      `| bpftrace's Debian packages | ${mb(bpftrace.packagesBytes)} | Installed-Size of bpftrace and its libraries' packages: ${itemsText(bpftrace.packages, 5)} |`,
    );
    const tsbpfTotal = tsbpf.cliBytes + tsbpf.node.bytes + nodeLibraries;
    const bpftraceTotal = bpftrace.packageFileBytes + bpftrace.librariesBytes;
    lines.push('', `Like for like (program + everything it loads): tsbpf CLI + Node + Node's libraries ${mb(tsbpfTotal)} vs bpftrace package + its libraries ${mb(bpftraceTotal)} (${ratioText(tsbpfTotal / bpftraceTotal)}).`);
  }
  return lines;
}

function contextLine(context: RunContext): string {
  return (
    `${context.date} · Linux ${context.kernel} · ${context.cpus} CPUs · load average ${context.loadAverageAtStart.toFixed(2)} at start · ` +
    `${context.bpftraceVersion} · ${context.bpftoolVersion} · Node ${context.nodeVersion} · ${context.durationSeconds.toFixed(0)} s total`
  );
}

export function markdownReport(results: FullResults): string {
  const { context } = results;
  const lifecycleRounds = `${context.rounds.lifecycle} rounds (${context.rounds.wildcard} for \`sys_enter_*\`)`;
  return [
    '# Benchmarks: tsbpf vs bpftrace',
    '',
    contextLine(context),
    '',
    `Generated by \`npm run bench\` (sections: ${context.sections.join(', ')}). Both tools run in the same run on the same programs, alternating which goes first; medians over the rounds. BPF statistics are on through a BPF_ENABLE_STATS fd held for the whole run.`,
    ...context.notes.map((note) => `- ${note}`),
    '',
    '## Targets (issue 8)',
    '',
    targetsTable(results.targets),
    '',
    '## 1. Startup',
    '',
    `Each tool as a command (\`node dist/tsbpf.js\`, \`bpftrace\`), started through a small C wrapper that timestamps the fork and reports wait4's peak RSS; lines are timestamped as they arrive on pipes (\`-B none\`). ${lifecycleRounds}.`,
    '',
    ...metricTable(results.metrics, 'startup'),
    '',
    `- One tracepoint: \`${lifecyclePrograms.singleProbe(0)}\` while a process (\`0\`) calls getppid() every 200 µs.`,
    '- bpftrace 0.17 prints `Attaching N probes...` **before** it attaches; tsbpf prints `Attached N probes` after. The',
    '  first event printed is when tracing has really begun, the same for both.',
    '- `sys_enter_*` "all attached": for bpftrace, when the process holds one tracepoint perf-event fd per probe (polled',
    '  every 50 ms); for tsbpf, its banner (it may route the syscall tracepoints through a single attachment).',
    '',
    '## 2. Teardown',
    '',
    'SIGINT sent to the tool 300 ms after it was running (first event / all attached) → the process has exited, maps printed.',
    '',
    ...metricTable(results.metrics, 'teardown'),
    '',
    `- \`${lifecyclePrograms.wildcard}\`: ${wildcardDetail(results.lifecycle)}`,
    '',
    '## 3. Per-event cost',
    '',
    ...(results.perEvent
      ? perEventSection(results.perEvent.rows, { rounds: context.rounds.perEvent, calls: results.perEvent.measurements[0]?.calls ?? 0, baselineLoopNsPerCall: results.perEvent.baselineLoopNsPerCall }, results.perEventBenchmarks)
      : ['Not measured in this run.']),
    '',
    '## 4. Event throughput',
    '',
    ...throughputSection(results.throughput),
    '',
    '## 5. Memory: peak RSS of the tool process',
    '',
    'ru_maxrss from wait4 of the tool process (for tsbpf the node process), from the runs above. Kernel memory for maps and',
    'buffers is not in it.',
    '',
    ...metricTable(results.metrics, 'memory'),
    '',
    '## 6. Compile only',
    '',
    ...compileSection(results.compile),
    '',
    '## 7. Install footprint',
    '',
    ...footprintSection(results.footprint),
    '',
    'Raw samples: `bench/results.json`. Why the missed targets are missed: `bench/analysis.md`.',
    '',
  ].join('\n');
}

function wildcardDetail(lifecycle: LifecycleSamples | undefined): string {
  const sample = (tool: 'tsbpf' | 'bpftrace') => lifecycle?.wildcard.find((candidate) => candidate.tool === tool);
  const describe = (tool: 'tsbpf' | 'bpftrace') => {
    const found = sample(tool);
    return found ? `${tool} announced ${found.probes} probes, held ${found.attachmentFds} tracepoint fds, printed ${found.mapEntries} map entries` : `${tool} not run`;
  };
  return `${describe('tsbpf')}; ${describe('bpftrace')} (first round).`;
}

export function writeFullResults(directory: string, results: FullResults): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(`${directory}/results.md`, markdownReport(results));
  if (results.perEvent) writeFileSync(`${directory}/xlated.md`, xlatedListing(results.perEvent.measurements, results.perEventBenchmarks));
  const { perEventBenchmarks: _benchmarks, perEvent, ...rest } = results;
  const json = {
    ...rest,
    ...(perEvent
      ? {
          perEvent: {
            ...perEvent,
            measurements: perEvent.measurements.map((measurement) => ({
              ...measurement,
              programs: measurement.programs.map(({ xlated: _xlated, ...program }) => program),
            })),
          },
        }
      : {}),
  };
  writeFileSync(`${directory}/results.json`, `${JSON.stringify(json, null, 2)}\n`);
}
