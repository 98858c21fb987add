// Section: compile only. For each example in examples/: tsbpf's in-process compile() in a fresh
// process (compile-child.ts: cold first compile and warm median), and for reference the whole-process
// wall time of `bpftrace -d FILE` (0.17: parse, analyse, generate LLVM IR, print it; nothing loaded)
// and of `tsbpf --dry-run FILE` (compile and load into the verifier; nothing attached). Also the
// parser benchmark (parser.ts): construction cost and a 2,000-line parse.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CPrograms } from './c-programs.js';
import { repositoryRoot, scriptCommand, toolEnvironment } from './cli-tools.js';
import { median } from './summary.js';
import { nsToMs, ToolProcess } from './tool-process.js';
import type { ToolName } from './tracers.js';

const execFileAsync = promisify(execFile);

export interface InProcessCompile {
  readonly importMs: number;
  readonly coldMs: number;
  readonly coldCpuMs: number;
  readonly warmMedianMs: number;
  readonly warmMedianCpuMs: number;
  readonly warmMinMs: number;
  readonly compiled: boolean;
  readonly errors: number;
  readonly programs: number;
  readonly instructions: number;
}

export interface ProcessRun {
  readonly medianMs: number;
  readonly runs: readonly number[];
  readonly exitCode: number;
  readonly peakRssKb: number;
}

export interface ExampleCompile {
  readonly example: string;
  readonly lines: number;
  readonly tsbpf: InProcessCompile;
  /** `tsbpf --dry-run`, whole process. */
  readonly tsbpfDryRun: ProcessRun;
  /** `bpftrace -d`, whole process; absent without bpftrace. */
  readonly bpftraceDebug?: ProcessRun;
}

export interface CompileResults {
  readonly examples: readonly ExampleCompile[];
  /** parser.ts's report as it printed it (its shape belongs to that script). */
  readonly parser: unknown;
}

export interface CompileConfig {
  readonly programs: CPrograms;
  readonly processRuns: number;
  readonly withBpftrace: boolean;
  readonly interrupted: () => boolean;
  readonly log: (line: string) => void;
}

const examplesDirectory = join(repositoryRoot, 'examples');
const benchDirectory = join(repositoryRoot, 'dist', 'bench');

async function inProcess(path: string): Promise<InProcessCompile> {
  const { stdout } = await execFileAsync(process.execPath, [join(benchDirectory, 'compile-child.js'), path, '10'], { maxBuffer: 1 << 20, env: toolEnvironment() });
  return JSON.parse(stdout) as InProcessCompile;
}

async function wholeProcess(programs: CPrograms, tool: ToolName, path: string, runs: number): Promise<ProcessRun> {
  const flags = tool === 'tsbpf' ? ['--dry-run'] : ['-d'];
  const times: number[] = [];
  let exitCode = 0;
  let peakRssKb = 0;
  for (let index = 0; index < runs; index++) {
    // Positional parameters for scripts that use $1; the rest ignore it.
    const run = new ToolProcess(programs.execWrapper, [...scriptCommand(tool, path, flags), '1']);
    try {
      const { startNs } = await run.started;
      const exit = await run.exited;
      times.push(nsToMs(exit.endNs - startNs));
      exitCode = Math.max(exitCode, exit.exitCode);
      peakRssKb = Math.max(peakRssKb, exit.peakRssKb);
    } finally {
      run.kill();
    }
  }
  return { medianMs: median(times), runs: times, exitCode, peakRssKb };
}

/** parser.ts prints its JSON report and then a summary line. */
async function parserReport(): Promise<unknown> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [join(benchDirectory, 'parser.js')], { maxBuffer: 1 << 22, env: toolEnvironment() });
    return JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n}') + 2));
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

export async function runCompileTimes(config: CompileConfig): Promise<CompileResults> {
  const names = readdirSync(examplesDirectory)
    .filter((name) => name.endsWith('.tsbpf'))
    .sort();
  const examples: ExampleCompile[] = [];
  for (const [index, name] of names.entries()) {
    if (config.interrupted()) break;
    const path = join(examplesDirectory, name);
    const tsbpf = await inProcess(path);
    // Which tool's whole-process runs go first alternates, as everywhere else.
    const tools: ToolName[] = config.withBpftrace ? ['tsbpf', 'bpftrace'] : ['tsbpf'];
    const runs: Partial<Record<ToolName, ProcessRun>> = {};
    for (const tool of index % 2 === 0 ? tools : [...tools].reverse()) runs[tool] = await wholeProcess(config.programs, tool, path, config.processRuns);
    const tsbpfDryRun = runs.tsbpf!;
    const bpftraceDebug = runs.bpftrace;
    const example: ExampleCompile = {
      example: name,
      lines: readFileSync(path, 'utf8').split('\n').length,
      tsbpf,
      tsbpfDryRun,
      ...(bpftraceDebug ? { bpftraceDebug } : {}),
    };
    examples.push(example);
    config.log(
      `compile ${name.padEnd(22)} compile() cold ${tsbpf.coldMs.toFixed(1)} ms, warm ${tsbpf.warmMedianMs.toFixed(2)} ms; ` +
        `--dry-run ${tsbpfDryRun.medianMs.toFixed(0)} ms; bpftrace -d ${bpftraceDebug ? `${bpftraceDebug.medianMs.toFixed(0)} ms` : '–'}`,
    );
  }
  return { examples, parser: await parserReport() };
}
