// `npm run fuzz`: the long fuzz run. Millions of hostile inputs through the front end on every CPU
// (each with a time bound), then thousands of generated programs through the real verifier, then
// thousands of programs in bpftrace 0.17's subset run under both tools with their printed output
// compared (test/fuzz/differential.ts, docs/bpftrace-differences.md). Every failure is printed with
// its seed and a reproducer; known bugs are listed apart. Exits 1 if anything new broke.
//
//   node dist/test/fuzz/long.js [--seed N] [--count N] [--generated N] [--differential N] [--workers N]
//
// Defaults: a fresh seed (printed), 1,000,000 front-end inputs, 5,000 generated programs, 2,000
// differential programs (about 0.4 s each), one worker per CPU.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { absent, cc, feature, tool } from '../support/skip.js';
import { buildTriggers, compareSeed, describe } from './differential.js';
import { frontEndProblem } from './front-end.js';
import { runFrontEndFuzz } from './front-end-runner.js';
import { generatedOutcome } from './generated-outcome.js';
import { knownBugFor } from './known-bugs.js';
import { minimizeProgram } from './minimize.js';
import { generateProgram } from './program-generator.js';
import { inputSeed } from './random.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const text = index >= 0 ? process.argv[index + 1] : process.env[`FUZZ_${name.toUpperCase()}`];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number, not ${text}`);
  return value;
}

const seed = option('seed', Math.floor(Math.random() * 2 ** 31));
const count = option('count', 1_000_000);
const generated = option('generated', 5_000);
const differential = option('differential', 2_000);
const workers = option('workers', availableParallelism());
const timeLimitMs = 10_000;

const knownCounts = new Map<string, number>();
let newFailures = 0;

function noteKnown(id: string): void {
  knownCounts.set(id, (knownCounts.get(id) ?? 0) + 1);
}

async function frontEnd(): Promise<void> {
  console.log(`front end: ${count} inputs, seed ${seed}, ${workers} workers, ${timeLimitMs} ms per input`);
  const started = Date.now();
  const result = await runFrontEndFuzz({
    runSeed: seed, count, workers, timeLimitMs,
    onProgress: (checked) => {
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`\r  ${checked} inputs, ${(checked / seconds).toFixed(0)}/s`);
    },
  });
  process.stdout.write('\n');
  for (const failure of result.failures) {
    const known = knownBugFor(failure.problem);
    if (known) {
      noteKnown(known.id);
      continue;
    }
    newFailures++;
    const hang = failure.problem.startsWith('no result within');
    const firstLine = failure.problem.split('\n')[0];
    const minimal = hang ? failure.source : minimizeProgram(failure.source, (candidate) => frontEndProblem(candidate)?.split('\n')[0] === firstLine, 500);
    console.log(`\nFAIL front-end input ${failure.index} (--seed ${seed}): ${failure.problem}\n--- minimal:\n${minimal}`);
  }
  console.log(`  ${result.checked} checked, ${result.compiled} compiled, ${result.failures.length} failed, slowest ${result.slowestMs.toFixed(0)} ms (input ${result.slowestIndex}), ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function generatedPrograms(): void {
  console.log(`generated programs: ${generated}, seed ${seed}`);
  const started = Date.now();
  let loaded = 0;
  let limits = 0;
  for (let index = 0; index < generated; index++) {
    const programSeed = inputSeed(seed, index);
    const source = generateProgram(programSeed);
    const outcome = generatedOutcome(source);
    if (outcome.kind === 'loaded') loaded++;
    else if (outcome.kind === 'limit') limits++;
    else {
      const known = knownBugFor(outcome.text);
      if (known) noteKnown(known.id);
      else {
        newFailures++;
        const signature = `${outcome.stage}: ${outcome.text.split('\n')[0]!.replace(/\d+/g, 'N')}`;
        const minimal = minimizeProgram(source, (candidate) => {
          const again = generatedOutcome(candidate);
          return again.kind === 'failure' && `${again.stage}: ${again.text.split('\n')[0]!.replace(/\d+/g, 'N')}` === signature;
        }, 500);
        console.log(`\nFAIL generated program ${programSeed} (generateProgram(${programSeed})): ${outcome.stage}: ${outcome.text}\n--- minimal:\n${minimal}`);
      }
    }
    if (index % 100 === 99) process.stdout.write(`\r  ${index + 1} programs, ${loaded} loaded`);
  }
  process.stdout.write('\n');
  console.log(`  ${loaded} loaded, ${limits} hit a code generation limit, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function differentialPrograms(): Promise<void> {
  const bpftrace = tool('bpftrace');
  const missing = absent([bpftrace, cc, tool('taskset'),
    feature('bpftrace v0.17', bpftrace.present && /^bpftrace v0\.17\./.test(execFileSync('bpftrace', ['--version'], { encoding: 'utf8' })))]);
  if (missing) {
    console.log(`differential programs: not run (${missing})`);
    return;
  }
  console.log(`differential programs against bpftrace 0.17: ${differential}, seed ${seed}`);
  const started = Date.now();
  const triggers = buildTriggers();
  let equal = 0;
  const notCompared: number[] = [];
  for (let index = 0; index < differential; index++) {
    const comparison = await compareSeed(inputSeed(seed, index), triggers);
    if (comparison.problem) {
      newFailures++;
      console.log(`\nFAIL ${describe(comparison)}`);
    } else if (comparison.skipped) notCompared.push(comparison.seed);
    else equal++;
    if (index % 50 === 49) process.stdout.write(`\r  ${index + 1} programs, ${equal} equal`);
  }
  process.stdout.write('\n');
  console.log(`  ${equal} equal, ${differential - equal - notCompared.length} differ, ${notCompared.length} not compared (0.17 could not load its own program${notCompared.length ? `: seeds ${notCompared.join(', ')}` : ''}), ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await frontEnd();
generatedPrograms();
await differentialPrograms();
for (const [id, times] of knownCounts) console.log(`known bug ${id}: ${times} time(s)`);
console.log(newFailures === 0 ? 'no new failures' : `${newFailures} new failure(s)`);
process.exitCode = newFailures === 0 ? 0 : 1;
