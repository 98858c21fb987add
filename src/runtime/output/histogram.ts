// hist() and lhist() buckets → labelled rows, as today's bpftrace builds and draws them
// (src/types_format.cpp: build_histogram, hist_index_label, build_linear_histogram,
// lhist_index_label; src/output/text.cpp: TextEmitter<Value::Histogram>).
//
// A histogram is the run of buckets from the first to the last non-empty one. Each bucket has an
// upper-bound label; the first bucket's lower bound is the label of the bucket before it (absent when
// the first bucket is index 0, the negative/underflow bucket, drawn `(..., 0)`), and a final bucket
// without a label is the overflow bucket `[max, ...)`. Labels that are plain integers one apart name
// a single value (`[3]`); others are ranges with 1024-power suffixes (`[1K, 2K)`).

export interface HistogramLabel {
  text: string;
  numeric: bigint;
  /** A plain integer label (bpftrace's int64 Primitive), the only kind that can form `[n]`. */
  plain: boolean;
}

export interface Histogram {
  lowerBound: HistogramLabel | undefined;
  labels: HistogramLabel[];
  counts: bigint[];
}

const barWidth = 52;
const suffixes = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** The log2 bucket bpftrace's hist(value, bits) increments: 0 for negatives, then 2^bits per power. */
export function log2BucketIndex(value: bigint, bits: number): number {
  if (value < 0n) return 0;
  const perPower = 1n << BigInt(bits);
  if (value < perPower) return Number(value) + 1;
  const msb = value.toString(2).length - 1;
  const below = (value >> BigInt(msb - bits)) & (perPower - 1n);
  return ((msb - bits + 1) << bits) + Number(below) + 1;
}

/** The lhist(value, min, max, step) bucket: 0 below min, then one per step, the last one >= max. */
export function linearBucketIndex(value: bigint, min: bigint, max: bigint, step: bigint): number {
  if (value < min) return 0;
  if (value > max) return Number(1n + (max - min) / step);
  return Number(1n + (value - min) / step);
}

export function buildLog2Histogram(buckets: readonly bigint[], bits: number, div: bigint): Histogram {
  const histogram: Histogram = { lowerBound: undefined, labels: [], counts: [] };
  const range = nonEmptyRange(buckets);
  if (!range) return histogram;
  const lastPlainIndex = 2 << bits;
  const label = (index: number): HistogramLabel =>
    index <= lastPlainIndex ? plainLabel(BigInt(index)) : log2Label(index, bits);
  if (range.first !== 0) histogram.lowerBound = label(range.first - 1);
  for (let index = range.first; index <= range.last; index++) {
    histogram.labels.push(label(index));
    histogram.counts.push(buckets[index]! / div);
  }
  return histogram;
}

/** lhist ignores print()'s divisor, as bpftrace does. */
export function buildLinearHistogram(buckets: readonly bigint[], min: bigint, max: bigint, step: bigint): Histogram {
  const histogram: Histogram = { lowerBound: undefined, labels: [], counts: [] };
  const range = nonEmptyRange(buckets);
  if (!range) return histogram;
  if (range.first !== 0) histogram.lowerBound = linearLabel(min + BigInt(range.first - 1) * step, step);
  for (let index = range.first; index <= range.last; index++) {
    const upper = min + BigInt(index) * step;
    if (upper <= max) histogram.labels.push(linearLabel(upper, step));
    histogram.counts.push(buckets[index]!);
  }
  return histogram;
}

export function bucketTotal(buckets: readonly bigint[]): bigint {
  let total = 0n;
  for (const count of buckets) total += count;
  return total;
}

/** The ASCII-art rows: label left in 16 columns, count right in 8, then a bar scaled to 52 `@`. */
export function formatHistogramRows(histogram: Histogram): string {
  let largest = 0n;
  for (const count of histogram.counts) if (count > largest) largest = count;
  // bpftrace scales in single-precision float; fround keeps the truncation identical.
  const largestFloat = Math.fround(Number(largest));
  let text = '';
  for (let index = 0; index < histogram.counts.length; index++) {
    const count = histogram.counts[index]!;
    const ratio = largest === 0n ? 0 : Math.fround(Math.fround(Number(count)) / largestFloat);
    const bar = '@'.repeat(Math.trunc(Math.fround(ratio * barWidth)));
    text += `${rowHeader(histogram, index).padEnd(16)}${count.toString().padStart(8)} |${bar.padEnd(barWidth)}|\n`;
  }
  return text;
}

function rowHeader(histogram: Histogram, index: number): string {
  const { labels, lowerBound } = histogram;
  if (index === 0) {
    if (!lowerBound) return `(..., ${labels[0]!.text})`;
    if (labels.length === 0) return `[${lowerBound.text}, ...)`;
    return interval(lowerBound, labels[0]!);
  }
  if (index >= labels.length) return `[${labels[index - 1]!.text}, ...)`;
  return interval(labels[index - 1]!, labels[index]!);
}

function interval(lower: HistogramLabel, upper: HistogramLabel): string {
  const singleValue = lower.plain && upper.plain && lower.numeric + 1n === upper.numeric;
  return singleValue ? `[${lower.text}]` : `[${lower.text}, ${upper.text})`;
}

function nonEmptyRange(buckets: readonly bigint[]): { first: number; last: number } | undefined {
  let first = -1;
  let last = -1;
  for (let index = 0; index < buckets.length; index++) {
    if (buckets[index]! > 0n) {
      if (first === -1) first = index;
      last = index;
    }
  }
  return first === -1 ? undefined : { first, last };
}

function plainLabel(value: bigint): HistogramLabel {
  return { text: value.toString(), numeric: value, plain: true };
}

// Bucket `index` starts at (n + sub-bucket) << power for n = 2^bits sub-buckets per power of two;
// the text uses the largest 1024-power suffix (`1K`, `512K`, `2G`).
function log2Label(index: number, bits: number): HistogramLabel {
  const perPower = 1 << bits;
  const subBucket = BigInt(index & (perPower - 1));
  const power = (index >> bits) - 1;
  const numeric = (1n << BigInt(power)) * (BigInt(perPower) + subBucket);
  const decade = Math.floor(power / 10);
  const mantissa = (1n << BigInt(power - 10 * decade)) * (BigInt(perPower) + subBucket);
  return { text: `${mantissa}${suffixes[decade] ?? ''}`, numeric, plain: false };
}

function linearLabel(value: bigint, step: bigint): HistogramLabel {
  const kilo = 1024n;
  const mega = kilo * kilo;
  if (step % kilo !== 0n) return plainLabel(value);
  let text = value.toString();
  if (value !== 0n && value % mega === 0n) text = `${value / mega}M`;
  else if (value !== 0n && value % kilo === 0n) text = `${value / kilo}K`;
  return { text, numeric: value, plain: false };
}
