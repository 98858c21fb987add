// `npm run bench`: per-event kernel cost of tsbpf's generated programs against bpftrace's, on
// tracepoint:raw_syscalls:sys_enter (and sys_exit) under a C load generator. Writes
// bench/results.md, bench/results.json and bench/xlated.md, and prints the table.
//
// Options: --rounds N (default 9), --calls N syscalls per run (default 500000),
//          --only id,id (benchmark ids from benchmarks.ts), --out DIR (default bench/ of the repo).
import { execFileSync } from 'node:child_process';
import { availableParallelism, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { enableStats } from '../src/loader/programs.js';
import { benchmarks as allBenchmarks, type Benchmark } from './benchmarks.js';
import { buildLoadGenerator, prepareLoad, type LoadGenerator } from './load-generator.js';
import { measureOnce, type Measurement } from './measure.js';
import { markdownTable, writeResults } from './report.js';
import { median, summarize } from './summary.js';
import { killAllBpftrace, type ToolName } from './tracers.js';

interface Config {
  readonly rounds: number;
  readonly calls: number;
  readonly benchmarks: readonly Benchmark[];
  readonly outputDirectory: string;
}

function parseConfig(): Config {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '9' },
      calls: { type: 'string', default: '500000' },
      only: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const rounds = positiveInteger(values.rounds!, '--rounds');
  const calls = positiveInteger(values.calls!, '--calls');
  const wanted = values.only?.split(',').map((id) => id.trim());
  const unknown = wanted?.filter((id) => !allBenchmarks.some((benchmark) => benchmark.id === id)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}; known: ${allBenchmarks.map((b) => b.id).join(', ')}`);
  const benchmarks = wanted ? allBenchmarks.filter((benchmark) => wanted.includes(benchmark.id)) : allBenchmarks;
  // dist/bench/run.js → the repository's bench/ directory, where the results are kept.
  const outputDirectory = values.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');
  return { rounds, calls, benchmarks, outputDirectory };
}

class UsageError extends Error {}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${option} wants a positive integer, not '${text}'`);
  return value;
}

function bpftraceVersion(): string | undefined {
  try {
    return execFileSync('bpftrace', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

let interrupted = false;

function installInterruptHandlers(): void {
  const onSignal = () => {
    // First signal: finish the measurement under way (its cleanup stops both tracers) and write
    // what exists. Second: end the bpftrace children now and leave.
    if (interrupted) {
      killAllBpftrace();
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write('\ninterrupted: finishing the current measurement (again to abort)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
  return `round ${measurement.round + 1} ${measurement.benchmark.padEnd(16)} ${measurement.tool.padEnd(8)} ${costs}; loop ${measurement.loopNsPerCall.toFixed(0)} ns/call\n`;
}

async function main(): Promise<number> {
  const config = parseConfig();
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench: needs root (bpf(), tracefs and BPF_ENABLE_STATS)\n');
    return 1;
  }
  const version = bpftraceVersion();
  const tools: ToolName[] = version ? ['tsbpf', 'bpftrace'] : ['tsbpf'];
  if (!version) process.stderr.write('bench: bpftrace not found; measuring tsbpf alone\n');
  installInterruptHandlers();

  const started = Date.now();
  const generator = buildLoadGenerator();
  const stats = enableStats();
  const measurements: Measurement[] = [];
  const baselines: number[] = [];
  try {
    for (let round = 0; round < config.rounds && !interrupted; round++) {
      baselines.push(await baselineLoop(generator, config.calls));
      for (const [index, benchmark] of config.benchmarks.entries()) {
        // Alternate which tool goes first so slow drift (thermal, other load) hits both alike.
        const order = (round + index) % 2 === 0 ? tools : [...tools].reverse();
        for (const tool of order) {
          if (interrupted) break;
          let measurement: Measurement;
          try {
            measurement = await measureOnce({ tool, benchmark, round, calls: config.calls, generator, captureXlated: round === 0 });
          } catch (error) {
            // Ctrl-C reaches bpftrace too (same process group), which then fails the measurement.
            if (interrupted) break;
            throw error;
          }
          measurements.push(measurement);
          process.stderr.write(progress(measurement));
        }
      }
    }
  } finally {
    stats.close();
    generator.dispose();
  }

  const rows = summarize(config.benchmarks, measurements);
  const context = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    kernel: release(),
    bpftraceVersion: version ?? 'bpftrace missing',
    cpus: availableParallelism(),
    rounds: config.rounds,
    calls: config.calls,
    baselineLoopNsPerCall: median(baselines),
    durationSeconds: (Date.now() - started) / 1000,
  };
  writeResults(config.outputDirectory, rows, measurements, context, config.benchmarks);
  process.stdout.write(`${markdownTable(rows)}\n\nuntraced loop: ${context.baselineLoopNsPerCall.toFixed(1)} ns/call; wrote ${config.outputDirectory}/results.{md,json}, xlated.md\n`);
  return interrupted ? 130 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killAllBpftrace();
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
