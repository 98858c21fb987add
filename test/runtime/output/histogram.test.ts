// hist()/lhist() bucketing and rendering beyond the recorded programs: sub-buckets (hist(n, k)),
// 1024-power suffixes up to E, bar scaling, and the bucket index rules bpftrace's kernel side uses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildLinearHistogram,
  buildLog2Histogram,
  formatHistogramRows,
  linearBucketIndex,
  log2BucketIndex,
} from '../../../src/runtime/output/histogram.js';
import { jsonHistogram } from '../../../src/runtime/output/json.js';
import { histBuckets, lhistBuckets } from './helpers.js';

const rows = (values: (number | bigint)[], bits = 0): string[] =>
  formatHistogramRows(buildLog2Histogram(histBuckets(values, bits), bits, 1n)).trimEnd().split('\n');
const labels = (values: (number | bigint)[], bits = 0): string[] => rows(values, bits).map((row) => row.slice(0, 16).trimEnd());

test('log2 index: negatives in 0, then one bucket per value below 2^k, then 2^k per power of two', () => {
  assert.equal([-5n, 0n, 1n, 2n, 3n, 4n, 7n, 8n, 1023n, 1024n].map((value) => log2BucketIndex(value, 0)), [0, 1, 2, 3, 3, 4, 4, 5, 11, 12]);
  // k = 2: values 0..3 one bucket each, then [4,5) [5,6) [6,7) [7,8), then [8,10) ...
  assert.equal([0n, 3n, 4n, 5n, 7n, 8n, 9n, 10n, 15n, 16n].map((value) => log2BucketIndex(value, 2)), [1, 4, 5, 6, 8, 9, 9, 10, 12, 13]);
  assert.is(log2BucketIndex((1n << 63n) - 1n, 0), 64);
});

test('linear index: 0 below min, one per step, the last one for max and above', () => {
  const index = (value: number) => linearBucketIndex(BigInt(value), 100n, 200n, 10n);
  assert.equal([99, 100, 109, 110, 199, 200, 5000].map(index), [0, 1, 1, 2, 10, 11, 11]);
});

test('labels for large values use 1024-power suffixes up to E', () => {
  assert.equal(labels([1n << 30n]), ['[1G, 2G)']);
  assert.equal(labels([10n * (1n << 30n)]), ['[8G, 16G)']);
  assert.equal(labels([1n << 40n]), ['[1T, 2T)']);
  assert.equal(labels([3n << 50n]), ['[2P, 4P)']);
  assert.equal(labels([1n << 60n]), ['[1E, 2E)']);
  assert.equal(labels([(1n << 63n) - 1n]), ['[4E, 8E)']);
});

test('hist(n, 2): single values up to 7, then quarter-power ranges', () => {
  assert.equal(labels([0, 7, 8, 9, 12, 16, 20, 1024, 1300], 2).filter((_, index) => [0, 7, 8, 10, 12, 13].includes(index)), [
    '[0]',
    '[7]',
    '[8, 10)',
    '[12, 14)',
    '[16, 20)',
    '[20, 24)',
  ]);
  // The suffix follows the power of two of the sub-bucket size, not the value: 1024 has no K here.
  assert.equal(labels([1024, 1300], 2), ['[1024, 1280)', '[1280, 1536)']);
  assert.equal(labels([4096], 2), ['[4K, 5K)']);
});

test('hist(n, 3) of 0..1023: JSON buckets are contiguous and each holds exactly its width', () => {
  const values = Array.from({ length: 1024 }, (_, index) => index);
  const buckets = JSON.parse(jsonHistogram(buildLog2Histogram(histBuckets(values, 3), 3, 1n))) as { min: number; max: number; count: number }[];
  assert.equal(buckets[0], { min: 0, max: 0, count: 1 });
  assert.equal(buckets[16], { min: 16, max: 17, count: 2 });
  assert.equal(buckets.at(-1), { min: 960, max: 1023, count: 64 });
  for (let index = 0; index < buckets.length; index++) {
    const bucket = buckets[index]!;
    assert.is(bucket.count, bucket.max - bucket.min + 1, `bucket ${index}`);
    if (index > 0) assert.is(bucket.min, buckets[index - 1]!.max + 1);
  }
});

test('bars are 52 wide at the largest count and truncate like single-precision floats', () => {
  const [one, three] = rows([1, 2, 2, 2]);
  assert.is(one, `[1]                    1 |${'@'.repeat(17)}${' '.repeat(35)}|`);
  assert.is(three, `[2, 4)                 3 |${'@'.repeat(52)}|`);
  const wide = formatHistogramRows({ lowerBound: undefined, labels: [{ text: '0', numeric: 0n, plain: true }], counts: [123456789n] });
  assert.is(wide, `(..., 0)        123456789 |${'@'.repeat(52)}|\n`);
});

test('division can leave every count at zero: empty bars, no failure', () => {
  assert.is(formatHistogramRows(buildLog2Histogram(histBuckets([5]), 0, 2n)), `[4, 8)                 0 |${' '.repeat(52)}|\n`);
});

test('lhist: underflow, ranges and overflow; K and M labels when the step is a multiple of 1024', () => {
  const linear = (values: number[], min: number, max: number, step: number) =>
    formatHistogramRows(buildLinearHistogram(lhistBuckets(values, min, max, step), BigInt(min), BigInt(max), BigInt(step)))
      .trimEnd()
      .split('\n')
      .map((row) => row.slice(0, 16).trimEnd());
  assert.equal(linear([1000], 0, 100, 10), ['[100, ...)']);
  assert.equal(linear([-1, 0], 0, 100, 10), ['(..., 0)', '[0, 10)']);
  assert.equal(linear([0, 9], 0, 10, 3), ['[0, 3)', '[3, 6)', '[6, 9)', '[9, ...)']);
  assert.equal(linear([0, 2048], 0, 4096, 1024), ['[0, 1K)', '[1K, 2K)', '[2K, 3K)']);
  assert.equal(linear([5, 6], 0, 10, 1), ['[5]', '[6]']);
});

test('an all-zero histogram has no rows', () => {
  assert.is(formatHistogramRows(buildLog2Histogram([0n, 0n, 0n], 0, 1n)), '');
  assert.equal(buildLinearHistogram([0n, 0n], 0n, 1n, 1n).counts, []);
});

test.run();
