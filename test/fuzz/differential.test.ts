// Differential fuzzing (issue 21): generated programs in the subset bpftrace 0.17 understands run
// under both tools and must print the same, once 0.17's output is brought to today's format by the
// documented differences (docs/bpftrace-differences.md). A few dozen here; `npm run fuzz` runs
// thousands. FUZZ_SEED / FUZZ_DIFFERENTIAL explore further.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cc, feature, needs, tool } from '../support/skip.js';
import {
  buildTriggers, compareSeed, describe, normalizeBpftrace017, normalizeTies, withoutZeroCounts, runBpftrace, runTsbpf, withoutBlankLines, type Triggers,
} from './differential.js';
import { inputSeed, seedFromEnvironment } from './random.js';

const runSeed = seedFromEnvironment(21);
const count = Number(process.env['FUZZ_DIFFERENTIAL'] ?? 30);

const bpftrace = tool('bpftrace');
/** The table of differences describes 0.17: another version is not the oracle this test is written for. */
const version017 = feature('bpftrace v0.17 (the version docs/bpftrace-differences.md describes)',
  bpftrace.present && /^bpftrace v0\.17\./.test(execFileSync('bpftrace', ['--version'], { encoding: 'utf8' })));
const requirements = [bpftrace, version017, cc, tool('taskset')];

let triggers: Triggers | undefined;
const built = () => (triggers ??= buildTriggers());

test('the normalisations: each documented 0.17 form becomes today\'s, and nothing else changes', () => {
  const old = 'Attaching 2 probes...\n@h: \n[4, 8)                 1 |@@@@|\n\n@l[1]: \n[3, 4)                 2 |@@@@|\n'
    + '@s: count 2, average 8, total 16\n\n@v: 3\n\n@a[2]: 5\n@a[1]: 5\n';
  const today = '@h:\n[4, 8)                 1 |@@@@|\n@l[1]:\n[3]                    2 |@@@@|\n'
    + '@s: { .count = 2, .average = 8, .total = 16 }\n@v: 3\n@a[1]: 5\n@a[2]: 5\n';
  assert.is(normalizeTies(withoutBlankLines(normalizeBpftrace017(old))), normalizeTies(withoutBlankLines(today)));
  // Not a tie: different values keep their order; a printf line is left alone.
  assert.is(normalizeTies('@a[2]: 5\n@a[1]: 6\nAttaching 1 probe...'), '@a[2]: 5\n@a[1]: 6\nAttaching 1 probe...');
  // Stats entries tie on their average.
  assert.is(normalizeTies('@s[b]: { .count = 6, .average = 59, .total = 354 }\n@s[a]: { .count = 3, .average = 59, .total = 177 }'),
    '@s[a]: { .count = 3, .average = 59, .total = 177 }\n@s[b]: { .count = 6, .average = 59, .total = 354 }');
  assert.is(normalizeBpftrace017('x\n@n: 7\n'), 'x\n@n: 7\n');
  // A keyless count's zero line goes (0.17 prints one where today's bpftrace has no entry); others stay.
  assert.is(withoutZeroCounts('@c: 0\n@c2: 0\n@n: 0\n@c: 1', ['@c', '@c2']), '@n: 0\n@c: 1');
});

needs(test, 'a documented difference is real: the raw outputs differ, the normalised ones agree', requirements, async () => {
  const program = { source: 'BEGIN { @s = stats(3); @h = hist(5); exit(); }\n', kind: 'begin' as const, keylessCounts: [] };
  const [old, ours] = await Promise.all([runBpftrace(program, built()), runTsbpf(program, built())]);
  assert.is(old.code, 0, old.stderr);
  assert.is(ours.code, 0, ours.stderr);
  assert.is.not(old.stdout, ours.stdout);
  assert.is(normalizeTies(withoutBlankLines(normalizeBpftrace017(old.stdout))), normalizeTies(withoutBlankLines(ours.stdout)));
});

needs(test, `${count} generated programs print the same under bpftrace 0.17 and tsbpf (seed ${runSeed})`, requirements, async () => {
  const failures: string[] = [];
  let compared = 0;
  const notCompared: number[] = [];
  for (let index = 0; index < count; index++) {
    const comparison = await compareSeed(inputSeed(runSeed, index), built());
    if (comparison.problem) failures.push(describe(comparison));
    else if (comparison.skipped) notCompared.push(comparison.seed);
    else compared++;
  }
  console.log(`${compared} of ${count} compared equal${notCompared.length ? `; not compared (0.17 could not load its own program): seeds ${notCompared.join(', ')}` : ''}`);
  assert.ok(failures.length === 0, `${failures.length} programs differ:\n\n${failures.slice(0, 3).join('\n\n')}`);
  assert.ok(compared >= count * 0.9, `only ${compared} of ${count} programs were compared`);
});

test.run();
