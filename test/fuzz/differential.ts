// Differential fuzzing against bpftrace 0.17: a generated program (differential-generator.ts) runs
// under bpftrace and under tsbpf (the library session, as the CLI runs it: -c for the trigger), and
// the two stdouts must be the same. bpftrace 0.17's output is first brought to today's format by the
// documented differences in docs/bpftrace-differences.md (each normalisation below names its row);
// anything else that differs is a failure. Used by test/fuzz/differential.test.ts (a few dozen
// programs) and `npm run fuzz` (thousands).
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from '../e2e/functions-support.js';
import { generateDifferentialProgram, triggerComm, triggerPlaceholder, type DifferentialProgram } from './differential-generator.js';
import { inputSeed } from './random.js';

const triggerSource = fileURLToPath(new URL('../../../test/fixtures/c/differential-trigger.c', import.meta.url));

export interface Triggers {
  readonly bpftrace: string;
  readonly tsbpf: string;
}

/** Builds the trigger once under each tool's name (a cc failure throws). */
export function buildTriggers(): Triggers {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-differential-'));
  const built = join(directory, 'trigger');
  execFileSync('cc', ['-O1', '-static', '-o', built, triggerSource], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths = { bpftrace: join(directory, triggerComm.bpftrace), tsbpf: join(directory, triggerComm.tsbpf) };
  copyFileSync(built, paths.bpftrace);
  copyFileSync(built, paths.tsbpf);
  execFileSync('chmod', ['755', paths.bpftrace, paths.tsbpf]);
  return paths;
}

export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

function sourceFor(program: DifferentialProgram, tool: keyof Triggers): string {
  return program.source.replaceAll(triggerPlaceholder, triggerComm[tool]);
}

export function runBpftrace(program: DifferentialProgram, triggers: Triggers): Promise<ToolRun> {
  // Row "per-CPU perf buffers": 0.17 reads one buffer per CPU, so records from two CPUs (BEGIN's and
  // the trigger's) come out in either order. bpftrace runs on CPU 0, where the trigger runs too.
  const args = ['-c', '0', 'bpftrace', '-e', sourceFor(program, 'bpftrace'), ...(program.kind === 'tracepoint' ? ['-c', triggers.bpftrace] : [])];
  return new Promise((resolve) => {
    execFile('taskset', args, { encoding: 'utf8', timeout: 30_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

export async function runTsbpf(program: DifferentialProgram, triggers: Triggers): Promise<ToolRun> {
  const source = sourceFor(program, 'tsbpf');
  try {
    const result = program.kind === 'tracepoint'
      ? await runScript(source, { trigger: () => new Promise<void>((resolve, reject) => execFile(triggers.tsbpf, (error) => (error ? reject(error) : resolve()))), timeoutMs: 20_000 })
      : await runScript(source, { timeoutMs: 20_000 });
    return { stdout: result.stdout, stderr: result.stderr, code: result.exitCode };
  } catch (error) {
    return { stdout: '', stderr: String(error instanceof Error ? error.message : error), code: null };
  }
}

/**
 * bpftrace 0.17's stdout in today's format, by the rows of docs/bpftrace-differences.md: "banner",
 * "hist header", "stats text". (The rows about blank lines are handled by `withoutBlankLines`.)
 */
export function normalizeBpftrace017(stdout: string): string {
  const lines = stdout.split('\n');
  if (/^Attaching \d+ probes?\.\.\.$/.test(lines[0] ?? '')) lines.shift(); // banner
  // hist header: `@h: ` (also a zeroed hist with no buckets). A map line ending in ": " is always a
  // hist here, since the generator never stores an empty string in a map.
  return lines
    .map((line) => line.replace(/^(@[^\n]*?): $/, '$1:'))
    .map((line) => line.replace(/^\[(-?\d+), (-?\d+)\)(\s+)/, (whole, low: string, high: string, space: string) => // lhist buckets of width 1
      (BigInt(high) === BigInt(low) + 1n ? `[${low}]`.padEnd(whole.length - space.length + space.length, ' ') : whole)))
    .map((line) => line.replace(/^(@.*): count (-?\d+), average (-?\d+), total (-?\d+)$/, '$1: { .count = $2, .average = $3, .total = $4 }')) // stats text
    .join('\n');
}

/**
 * Rows "blank line after avg/stats maps" and "empty maps": 0.17 prints blank lines today's bpftrace
 * does not, so blank lines are not compared. The generated programs never print one themselves
 * (every printf has text, print() of values prints integers).
 */
export function withoutBlankLines(stdout: string): string {
  return stdout.split('\n').filter((line) => line !== '').join('\n');
}

/**
 * Row "keyless count without an entry": 0.17 keeps a keyless count's slot, so one never counted or
 * cleared prints `@m: 0`; today's bpftrace (and tsbpf) print nothing. Such lines are dropped from
 * both outputs (a zero()ed count prints `@m: 0` in both, and is dropped alike).
 */
export function withoutZeroCounts(stdout: string, keylessCounts: readonly string[]): string {
  const dropped = new Set(keylessCounts.map((name) => `${name}: 0`));
  return stdout.split('\n').filter((line) => !dropped.has(line)).join('\n');
}

/**
 * Row "order of equal values": both tools print a map's entries by ascending value (a hist's by its
 * total count, a stats map's by its average), but bpftrace leaves entries with equal values in hash order. Runs of consecutive
 * entries of one map with the same value are sorted, in both outputs. An entry is its `@m[key]: …`
 * line and, for a hist, the bucket lines after it.
 */
export function normalizeTies(stdout: string): string {
  const lines = stdout.split('\n');
  const header = /^(@\w*)\[.*\]:(?: (.*))?$/;
  const bucket = /^(\[|\(\.\.\., )\S*.*\s(\d+) \|/;
  interface Entry { readonly map: string; readonly value: string; readonly lines: string[] }
  const out: string[] = [];
  let run: Entry[] = [];
  const flush = () => {
    out.push(...run.sort((a, b) => (a.lines.join('\n') < b.lines.join('\n') ? -1 : 1)).flatMap((entry) => entry.lines));
    run = [];
  };
  for (let index = 0; index < lines.length;) {
    const match = header.exec(lines[index]!);
    if (!match) {
      flush();
      out.push(lines[index++]!);
      continue;
    }
    const entryLines = [lines[index++]!];
    let total = 0n;
    while (index < lines.length && bucket.test(lines[index]!)) {
      total += BigInt(bucket.exec(lines[index]!)![2]!);
      entryLines.push(lines[index++]!);
    }
    // A stats map is ordered by its average: entries with equal averages are ties.
    const value = match[2] === undefined ? `hist ${total}` : /\.average = (-?\d+)/.exec(match[2])?.[1] ?? match[2];
    const entry: Entry = { map: match[1]!, value, lines: entryLines };
    if (run.length > 0 && (run[0]!.map !== entry.map || run[0]!.value !== entry.value)) flush();
    run.push(entry);
  }
  flush();
  return out.join('\n');
}

export interface Comparison {
  readonly seed: number;
  readonly program: DifferentialProgram;
  readonly bpftrace: ToolRun;
  readonly tsbpf: ToolRun;
  /** Both outputs after the documented normalisations. */
  readonly expected: string;
  readonly actual: string;
  /** undefined when they agree; else what went wrong. */
  readonly problem?: string;
  /** Set when there is nothing to compare (bpftrace 0.17 could not load what it compiled). */
  readonly skipped?: string;
}

export async function compareSeed(seed: number, triggers: Triggers): Promise<Comparison> {
  const program = generateDifferentialProgram(seed);
  const [bpftrace, tsbpf] = await Promise.all([runBpftrace(program, triggers), runTsbpf(program, triggers)]);
  const expected = normalizeTies(withoutBlankLines(withoutZeroCounts(normalizeBpftrace017(bpftrace.stdout), program.keylessCounts)));
  const actual = normalizeTies(withoutBlankLines(withoutZeroCounts(tsbpf.stdout, program.keylessCounts)));
  let problem: string | undefined;
  let skipped: string | undefined;
  if (bpftrace.code !== 0 && /^ERROR: Error loading program: |BPF stack limit of 512 bytes is exceeded/m.test(bpftrace.stderr) && tsbpf.code === 0) {
    // Row "0.17 cannot load it": its own code generation made a program the verifier refused, or one
    // over LLVM's 512-byte stack limit (its strings live on the stack); the language is in the
    // subset, and there is nothing to compare with.
    skipped = '0.17 could not load its own program';
  } else if (bpftrace.code !== 0) problem = `bpftrace 0.17 failed (exit ${bpftrace.code}): the generator wrote something outside the common subset`;
  else if (tsbpf.code !== 0) problem = `tsbpf failed (exit ${tsbpf.code})`;
  else if (expected !== actual) problem = 'the printed output differs';
  return { seed, program, bpftrace, tsbpf, expected, actual, ...(problem ? { problem } : {}), ...(skipped ? { skipped } : {}) };
}

/** A failure as a reproducer: the program, both outputs, and how to rebuild it. */
export function describe(comparison: Comparison): string {
  const stderr = (run: ToolRun) => run.stderr.split('\n').filter((line) => line && !/RLIMIT_MEMLOCK|^Attach/.test(line)).join('\n');
  return [
    `differential program seed ${comparison.seed} (generateDifferentialProgram(${comparison.seed}), ${comparison.program.kind}): ${comparison.problem}`,
    '--- program:', comparison.program.source.trimEnd(),
    ...(comparison.problem === 'the printed output differs' ? ['--- diff (- bpftrace 0.17 normalised, + tsbpf):', lineDiff(comparison.expected, comparison.actual)] : []),
    '--- bpftrace 0.17 (normalised):', comparison.expected, stderr(comparison.bpftrace) ? `--- bpftrace stderr:\n${stderr(comparison.bpftrace)}` : '',
    '--- tsbpf:', comparison.actual, stderr(comparison.tsbpf) ? `--- tsbpf stderr:\n${stderr(comparison.tsbpf)}` : '',
  ].filter((part) => part !== '').join('\n');
}

export { inputSeed };

/** The lines that differ, in order: `-` only in bpftrace's output, `+` only in tsbpf's (a plain LCS). */
function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) out.push(`+${b[j++]}`);
    else out.push(`-${a[i++]}`);
  }
  return out.join('\n');
}
