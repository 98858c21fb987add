/**
 * Speed claims that used to live in tests: how long the slowest pathological input takes to parse
 * (test/parser/pathological.ts; the test only checks what they parse to), and the period of
 * interval:ms:100 as the kernel's clock sees it (the timer test only checks it is never short).
 * Run after `tsc`: node dist/bench/pathological-parse.js [--timer]
 */
import { parse } from '../test/support/parse.js';
import { pathologicalInputs } from '../test/parser/pathological.js';

const times = pathologicalInputs.map((input, index) => {
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    parse(input, 'bench.bt');
    runs.push(performance.now() - started);
  }
  return { index, median: runs.sort((a, b) => a - b)[2]! };
});
const slowest = times.reduce((worst, entry) => (entry.median > worst.median ? entry : worst));
console.log(`pathological parse: ${pathologicalInputs.length} inputs, slowest #${slowest.index} median ${slowest.median.toFixed(2)} ms (target < 2000 ms)`);

if (process.argv.includes('--timer')) {
  const { run } = await import('../test/e2e/harness.js');
  const sleep = (milliseconds: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
  const result = await run('interval:ms:100 { printf("%lu\\n", nsecs); }', { trigger: () => sleep(2000) });
  const stamps = result.stdout.trim().split('\n').map((line) => BigInt(line));
  const periods = stamps.slice(1).map((stamp, index) => Number(stamp - stamps[index]!) / 1e6).sort((a, b) => a - b);
  const median = periods[Math.floor(periods.length / 2)]!;
  console.log(`interval:ms:100: ${periods.length} periods, median ${median.toFixed(3)} ms (target within 2 ms of 100)`);
}
