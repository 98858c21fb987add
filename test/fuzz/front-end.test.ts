// Issue 9, part 1: thousands of seeded hostile inputs (generated programs, mutated programs, token
// soup) through the whole front end — parse, check and generate — on two worker threads. Each ends
// in a script or in diagnostics with sound spans; nothing throws; none takes longer than the bound.
// FUZZ_SEED and FUZZ_COUNT explore further; `npm run fuzz` runs millions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFrontEndFuzz, type FrontEndFailure } from './front-end-runner.js';
import { knownBugFor } from './known-bugs.js';
import { minimizeProgram } from './minimize.js';
import { frontEndProblem } from './front-end.js';
import { seedFromEnvironment } from './random.js';

const runSeed = seedFromEnvironment(20261122);
const count = Number(process.env['FUZZ_COUNT'] ?? 3000);
/** Far above any real compile here (tens of milliseconds); only a hang reaches it. */
const timeLimitMs = 10_000;

function describe(failure: FrontEndFailure): string {
  const isHang = failure.problem.startsWith('no result within');
  // A hang is not re-run for minimizing: it would hang this thread.
  const minimal = isHang ? failure.source : minimizeProgram(failure.source, (candidate) => frontEndProblem(candidate)?.split('\n')[0] === failure.problem.split('\n')[0], 400);
  return `input ${failure.index} (FUZZ_SEED=${runSeed}): ${failure.problem}\n--- minimal input:\n${minimal}\n--- original:\n${failure.source}`;
}

test(`${count} hostile inputs through parse, check and generate (seed ${runSeed})`, async () => {
  const result = await runFrontEndFuzz({ runSeed, count, workers: 2, timeLimitMs });
  const known = result.failures.filter((failure) => knownBugFor(failure.problem));
  const unknown = result.failures.filter((failure) => !knownBugFor(failure.problem));
  for (const failure of known) console.log(`KNOWN ${knownBugFor(failure.problem)!.id}: input ${failure.index}`);
  console.log(`${result.checked} inputs, ${result.compiled} compiled, slowest ${result.slowestMs.toFixed(0)} ms (input ${result.slowestIndex})`);
  assert.ok(unknown.length === 0, `${unknown.length} inputs broke the front end:\n\n${unknown.slice(0, 3).map(describe).join('\n\n')}`);
  // The inputs must exercise both outcomes, or the run tests little.
  assert.ok(result.compiled > count / 20 && result.compiled < count * 0.9, `${result.compiled} of ${count} inputs compiled`);
});

/** Inputs the fuzzer once broke the front end with (now fixed), checked on every run. */
const regressions = [
  'profile:hz:99 /pid/ { @cpu = lhist(cpu, 0, 1000, 18446744073709551615); }',
  'BEGIN { @m[1] = 1; for ($kv : @m) { printf("%s\\n", kstack); } }',
  'BEGIN { $k = pid <= (elapsed > 50 ? 77 : 19); }',
  'BEGIN { if ((uid, "x y").0) { } }',
  '// only a comment',
];

test('inputs that once broke the front end', () => {
  for (const source of regressions) assert.is(frontEndProblem(source), undefined, source);
});

test('an input that never finishes is reported as a hang, and the run goes on after it', async () => {
  // The run returning at all shows the hung worker was stopped (the runner's file timeout is the hang guard).
  const result = await runFrontEndFuzz({ runSeed, count: 20, workers: 1, timeLimitMs: 500, hangAt: 7 });
  assert.equal(result.failures.map((failure) => [failure.index, failure.problem]), [[7, 'no result within 500 ms (a hang)']]);
  assert.ok(result.compiled > 0, 'the inputs after the hang were checked');
});

test.run();
