// Runs N differential programs and prints every difference: node dist/test/fuzz/differential-run.js [--seed N] [--count N]
import { buildTriggers, compareSeed, describe, inputSeed } from './differential.js';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const seed = argument('seed', 1);
const count = argument('count', 20);
const triggers = buildTriggers();
let failed = 0;
let notCompared = 0;
for (let index = 0; index < count; index++) {
  const comparison = await compareSeed(inputSeed(seed, index), triggers);
  if (comparison.skipped) notCompared++;
  if (comparison.problem) {
    failed++;
    console.log(`\n${describe(comparison)}`);
  }
}
console.log(`\n${count} programs, ${failed} differ, ${notCompared} not compared (0.17 could not load them)`);
