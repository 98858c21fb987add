// `npm run bench`: tsbpf against bpftrace on this machine — startup, teardown, per-event kernel cost,
// event throughput, peak RSS, compile time and install footprint. Writes bench/results.md,
// bench/results.json and bench/xlated.md, and prints the targets table. Installs nothing: it checks
// that bpftrace, bpftool and cc are present and says how to get them if not.
//
// Options: --sections a,b (startup, wildcard, per-event, throughput, compile, footprint; default all)
//          --rounds N (per-event, default 7)   --calls N (per-event syscalls per run, default 500000)
//          --only id,id (per-event benchmarks) --lifecycle-rounds N (default 7)
//          --wildcard-rounds N (default 3)     --throughput-rounds N (default 3)
//          --rates r,r,max (default 100000,250000,500000,1000000,2000000,max)
//          --compile-runs N (default 3)        --tsbpf-only (no bpftrace needed)   --out DIR
import { availableParallelism, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enableStats } from '../src/loader/programs.js';
import { benchmarks as allBenchmarks, type Benchmark } from './benchmarks.js';
import { buildCPrograms, type CPrograms } from './c-programs.js';
import { checkPrerequisites, ensureBundle, missingPrerequisites, repositoryRoot, strippedEnvironment } from './cli-tools.js';
import { runCompileTimes, type CompileResults } from './compile-time.js';
import { measureFootprint, type Footprint } from './footprint.js';
import { targetsTable, writeFullResults, type FullResults } from './full-report.js';
import { measureBeginExit, measureSingleProbe, measureWildcard, type BeginExitSample, type SingleProbeSample, type WildcardSample } from './lifecycle.js';
import { runPerEvent, type PerEventResults } from './per-event.js';
import { metricRows, throughputRows } from './section-summaries.js';
import { evaluateTargets } from './targets.js';
import { measureThroughput, type TargetRate, type ThroughputSample } from './throughput.js';
import { killAllTools } from './tool-process.js';
import { killAllBpftrace, type ToolName } from './tracers.js';

const sectionNames = ['footprint', 'compile', 'startup', 'throughput', 'per-event', 'wildcard'] as const;
type Section = (typeof sectionNames)[number];

interface Config {
  readonly sections: readonly Section[];
  readonly perEventRounds: number;
  readonly calls: number;
  readonly benchmarks: readonly Benchmark[];
  readonly lifecycleRounds: number;
  readonly wildcardRounds: number;
  readonly throughputRounds: number;
  readonly rates: readonly TargetRate[];
  readonly throughputSeconds: number;
  readonly compileRuns: number;
  readonly tsbpfOnly: boolean;
  readonly outputDirectory: string;
}

class UsageError extends Error {}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${option} wants a positive integer, not '${text}'`);
  return value;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseConfig(): Config {
  const { values } = parseArgs({
    options: {
      sections: { type: 'string' },
      rounds: { type: 'string', default: '7' },
      calls: { type: 'string', default: '500000' },
      only: { type: 'string' },
      'lifecycle-rounds': { type: 'string', default: '7' },
      'wildcard-rounds': { type: 'string', default: '3' },
      'throughput-rounds': { type: 'string', default: '3' },
      rates: { type: 'string', default: '100000,250000,500000,1000000,2000000,max' },
      'compile-runs': { type: 'string', default: '3' },
      'tsbpf-only': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const sections = values.sections === undefined ? [...sectionNames] : list(values.sections);
  const unknownSections = sections.filter((name) => !(sectionNames as readonly string[]).includes(name));
  if (unknownSections.length > 0) throw new UsageError(`unknown section ${unknownSections.join(', ')}; known: ${sectionNames.join(', ')}`);
  const wanted = values.only === undefined ? undefined : list(values.only);
  const unknown = wanted?.filter((id) => !allBenchmarks.some((benchmark) => benchmark.id === id)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}; known: ${allBenchmarks.map((b) => b.id).join(', ')}`);
  const rates = list(values.rates!).map((rate) => (rate === 'max' ? 'max' : positiveInteger(rate, '--rates')));
  return {
    sections: sectionNames.filter((name) => sections.includes(name)),
    perEventRounds: positiveInteger(values.rounds!, '--rounds'),
    calls: positiveInteger(values.calls!, '--calls'),
    benchmarks: wanted ? allBenchmarks.filter((benchmark) => wanted.includes(benchmark.id)) : allBenchmarks,
    lifecycleRounds: positiveInteger(values['lifecycle-rounds']!, '--lifecycle-rounds'),
    wildcardRounds: positiveInteger(values['wildcard-rounds']!, '--wildcard-rounds'),
    throughputRounds: positiveInteger(values['throughput-rounds']!, '--throughput-rounds'),
    rates,
    throughputSeconds: 1,
    compileRuns: positiveInteger(values['compile-runs']!, '--compile-runs'),
    tsbpfOnly: values['tsbpf-only']!,
    outputDirectory: values.out ?? join(repositoryRoot, 'bench'),
  };
}

let interrupted = false;
const isInterrupted = () => interrupted;
const log = (line: string) => void process.stderr.write(`${line}\n`);

function installInterruptHandlers(): void {
  const onSignal = () => {
    // First signal: finish the measurement under way and write what exists. Second: leave now.
    if (interrupted) {
      killAllTools();
      killAllBpftrace();
      process.exit(130);
    }
    interrupted = true;
    log('\ninterrupted: finishing the current measurement (again to abort)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Runs `measure` for each tool, alternating which goes first by `turn`; a failed run is logged and skipped. */
async function eachTool<T>(tools: readonly ToolName[], turn: number, what: string, notes: string[], measure: (tool: ToolName) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const tool of turn % 2 === 0 ? tools : [...tools].reverse()) {
    if (interrupted) break;
    try {
      results.push(await measure(tool));
    } catch (error) {
      if (interrupted) break;
      const message = `${what} (${tool}) failed: ${error instanceof Error ? error.message : String(error)}`;
      notes.push(message);
      log(message);
    }
  }
  return results;
}

interface Collected {
  singleProbe: SingleProbeSample[];
  beginExit: BeginExitSample[];
  wildcard: WildcardSample[];
  throughput: ThroughputSample[];
  perEvent?: PerEventResults;
  compile?: CompileResults;
  footprint?: Footprint;
}

async function runSections(config: Config, tools: readonly ToolName[], programs: CPrograms, notes: string[]): Promise<Collected> {
  const collected: Collected = { singleProbe: [], beginExit: [], wildcard: [], throughput: [] };
  const ms = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(1)} ms`);
  for (const section of config.sections) {
    if (interrupted) break;
    log(`== ${section}`);
    switch (section) {
      case 'footprint':
        collected.footprint = measureFootprint();
        break;
      case 'compile':
        collected.compile = await runCompileTimes({ programs, processRuns: config.compileRuns, withBpftrace: tools.includes('bpftrace'), interrupted: isInterrupted, log });
        break;
      case 'startup':
        for (let round = 0; round < config.lifecycleRounds && !interrupted; round++) {
          for (const sample of await eachTool(tools, round, 'one tracepoint', notes, (tool) => measureSingleProbe(programs, tool, round))) {
            collected.singleProbe.push(sample);
            log(`startup round ${round + 1} ${sample.tool.padEnd(8)} banner ${ms(sample.bannerMs)}, first event ${ms(sample.firstEventMs)}, teardown ${ms(sample.teardownMs)}, ${(sample.peakRssKb / 1024).toFixed(0)} MB`);
          }
          for (const sample of await eachTool(tools, round + 1, 'BEGIN/exit', notes, (tool) => measureBeginExit(programs, tool, round))) {
            collected.beginExit.push(sample);
            log(`startup round ${round + 1} ${sample.tool.padEnd(8)} BEGIN…exit ${ms(sample.totalMs)}, ${(sample.peakRssKb / 1024).toFixed(0)} MB${sample.printed ? '' : ' (did not print hi)'}`);
          }
        }
        break;
      case 'wildcard':
        for (let round = 0; round < config.wildcardRounds && !interrupted; round++) {
          for (const sample of await eachTool(tools, round, 'sys_enter_*', notes, (tool) => measureWildcard(programs, tool, round))) {
            collected.wildcard.push(sample);
            log(`wildcard round ${round + 1} ${sample.tool.padEnd(8)} ${sample.probes} probes: attached ${ms(sample.allAttachedMs)}, teardown ${ms(sample.teardownMs)}, ${(sample.peakRssKb / 1024).toFixed(0)} MB`);
          }
        }
        break;
      case 'throughput':
        for (let round = 0; round < config.throughputRounds && !interrupted; round++) {
          for (const [index, rate] of config.rates.entries()) {
            for (const sample of await eachTool(tools, round + index, `throughput ${rate}`, notes, (tool) => measureThroughput(programs, tool, rate, config.throughputSeconds, round))) {
              collected.throughput.push(sample);
              log(`throughput round ${round + 1} ${sample.tool.padEnd(8)} ${String(rate).padStart(8)}: reached ${Math.round(sample.achievedRate)}/s, delivered ${sample.delivered} of ${sample.sent}, reported lost ${sample.reportedLost}`);
            }
          }
        }
        break;
      case 'per-event':
        collected.perEvent = await runPerEvent({
          rounds: config.perEventRounds,
          calls: config.calls,
          benchmarks: config.benchmarks,
          tools,
          generator: { path: programs.loadGenerator },
          interrupted: isInterrupted,
          log,
        });
        break;
      default: {
        const unknown: never = section;
        throw new Error(`unknown section ${String(unknown)}`);
      }
    }
  }
  return collected;
}

async function main(): Promise<number> {
  const config = parseConfig();
  if (process.getuid?.() !== 0) {
    log('bench: needs root (bpf(), tracefs and BPF_ENABLE_STATS)');
    return 1;
  }
  const found = checkPrerequisites();
  const missing = missingPrerequisites(found, !config.tsbpfOnly);
  if (missing.length > 0) {
    log(`bench: missing prerequisites (the benchmark installs nothing by itself):\n${missing.map((problem) => `  - ${problem}`).join('\n')}`);
    if (!config.tsbpfOnly && found.compiler) log('  (or run with --tsbpf-only to measure tsbpf alone)');
    return 1;
  }
  const tools: ToolName[] = config.tsbpfOnly ? ['tsbpf'] : ['tsbpf', 'bpftrace'];
  installInterruptHandlers();
  const notes: string[] = [];
  const stripped = strippedEnvironment.filter((name) => process.env[name] !== undefined);
  if (stripped.length > 0) notes.push(`Both tools ran without ${stripped.join(', ')} (set in this environment; see cli-tools.ts).`);
  const bundle = ensureBundle();
  log(`bench: ${bundle}`);
  if (bundle !== 'bundle up to date') notes.push(`dist/tsbpf.js: ${bundle}.`);
  const started = Date.now();
  const loadAverageAtStart = loadavg()[0]!;
  const programs = buildCPrograms();
  const stats = enableStats();
  let collected: Collected;
  try {
    collected = await runSections(config, tools, programs, notes);
  } finally {
    stats.close();
    programs.dispose();
  }
  if (interrupted) notes.push('The run was interrupted: some sections are incomplete.');

  const lifecycle = config.sections.some((section) => section === 'startup' || section === 'wildcard')
    ? { singleProbe: collected.singleProbe, beginExit: collected.beginExit, wildcard: collected.wildcard }
    : undefined;
  const throughput = config.sections.includes('throughput') ? collected.throughput : undefined;
  const metrics = metricRows(lifecycle, throughput);
  const rateRows = throughput ? throughputRows(throughput) : undefined;
  const results: FullResults = {
    context: {
      date: new Date().toISOString().slice(0, 16).replace('T', ' '),
      kernel: release(),
      bpftraceVersion: found.bpftraceVersion ?? 'bpftrace missing',
      bpftoolVersion: found.bpftoolVersion ?? 'bpftool missing',
      nodeVersion: process.version,
      cpus: availableParallelism(),
      loadAverageAtStart,
      sections: config.sections,
      rounds: { perEvent: config.perEventRounds, lifecycle: config.lifecycleRounds, wildcard: config.wildcardRounds, throughput: config.throughputRounds, compile: config.compileRuns },
      durationSeconds: (Date.now() - started) / 1000,
      notes,
    },
    targets: evaluateTargets(metrics, collected.perEvent?.rows, rateRows),
    metrics,
    perEventBenchmarks: config.benchmarks,
    ...(collected.perEvent ? { perEvent: collected.perEvent } : {}),
    ...(lifecycle ? { lifecycle } : {}),
    ...(throughput && rateRows ? { throughput: { rows: rateRows, samples: throughput, durationSeconds: config.throughputSeconds } } : {}),
    ...(collected.compile ? { compile: collected.compile } : {}),
    ...(collected.footprint ? { footprint: collected.footprint } : {}),
  };
  writeFullResults(config.outputDirectory, results);
  process.stdout.write(`${targetsTable(results.targets)}\n\n${results.context.durationSeconds.toFixed(0)} s; wrote ${config.outputDirectory}/results.{md,json}, xlated.md\n`);
  return interrupted ? 130 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killAllTools();
    killAllBpftrace();
    log(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
