// Aggregations: count sum avg min max stats hist lhist, keyless and keyed by int, string and tuple,
// from BEGIN and from a tracepoint whose per-CPU values userspace adds up.
import { atExit, type Case } from '../case.js';
import { callGetppid, onlySelf, self } from '../harness.js';

/** One histogram row as bpftrace draws it: label in 16 columns, count in 8, a bar scaled to 52. */
export function row(label: string, count: number, max: number): string {
  const bar = '@'.repeat(Math.floor((count / max) * 52));
  return `${label.padEnd(16)} ${String(count).padStart(7)} |${bar.padEnd(52)}|\n`;
}

export const aggregationCases: Case[] = [
  {
    name: 'count, sum, avg, min, max and stats without a key',
    program: 'BEGIN { @c = count(); @c = count(); @c = count(); @s = sum(5); @s = sum(-2);'
      + ' @a = avg(4); @a = avg(7); @mn = min(5); @mn = min(-3); @mn = min(2); @mx = max(5); @mx = max(9); @mx = max(1);'
      + ' @st = stats(2); @st = stats(10); @st = stats(3); exit(); }',
    // Sorted by name; avg truncates toward zero like C.
    expect: atExit('@a: 5\n@c: 3\n@mn: -3\n@mx: 9\n@s: 3\n@st: { .count = 3, .average = 5, .total = 15 }\n'),
  },
  {
    name: 'negative values: avg and stats truncate toward zero, min and max compare signed',
    program: 'BEGIN { @a = avg(-4); @a = avg(-7); @mn = min(7); @mn = min(9); @mx = max(-7); @mx = max(-9);'
      + ' @st = stats(-2); @st = stats(-3); @s = sum(-5); exit(); }',
    expect: atExit('@a: -5\n@mn: 7\n@mx: -7\n@s: -5\n@st: { .count = 2, .average = -2, .total = -5 }\n'),
  },
  {
    name: 'aggregations keyed by integers print in ascending order of value',
    program: 'BEGIN { @c[3] = count(); @c[1] = count(); @c[1] = count(); @c[1] = count(); @c[2] = count(); @c[2] = count();'
      + ' @s[10] = sum(7); @s[20] = sum(3); @s[20] = sum(1); exit(); }',
    expect: atExit('@c[3]: 1\n@c[2]: 2\n@c[1]: 3\n@s[20]: 4\n@s[10]: 7\n'),
  },
  {
    name: 'aggregations keyed by strings',
    program: 'BEGIN { @s["beta"] = sum(3); @s["alpha"] = sum(10); @s[comm] = sum(1); @m["x"] = min(4); @m["x"] = min(2);'
      + ' @a["q"] = avg(6); @a["q"] = avg(2); @a["r"] = avg(100); exit(); }',
    expect: atExit(`@a[q]: 4\n@a[r]: 100\n@m[x]: 2\n@s[${self.comm}]: 1\n@s[beta]: 3\n@s[alpha]: 10\n`),
  },
  {
    name: 'aggregations keyed by tuples of ints and strings',
    program: 'BEGIN { @t[1, "x"] = max(4); @t[2, "y"] = max(7); @t[2, "y"] = max(3); @t[1, "y"] = max(5);'
      + ' @st["k", 5] = stats(8); @st["k", 6] = stats(1); exit(); }',
    expect: atExit('@st[k, 6]: { .count = 1, .average = 1, .total = 1 }\n@st[k, 5]: { .count = 1, .average = 8, .total = 8 }\n'
      + '@t[1, x]: 4\n@t[1, y]: 5\n@t[2, y]: 7\n'),
  },
  {
    name: 'hist() buckets: negatives, zero, one, powers of two and 1024-suffixed labels',
    program: 'BEGIN { @h = hist(-5); @h = hist(0); @h = hist(1); @h = hist(1); @h = hist(2); @h = hist(3); @h = hist(7);'
      + ' @h = hist(1024); @h = hist(2047); exit(); }',
    expect: atExit('@h:\n'
      + row('(..., 0)', 1, 2) + row('[0]', 1, 2) + row('[1]', 2, 2) + row('[2, 4)', 2, 2) + row('[4, 8)', 1, 2)
      + row('[8, 16)', 0, 2) + row('[16, 32)', 0, 2) + row('[32, 64)', 0, 2) + row('[64, 128)', 0, 2) + row('[128, 256)', 0, 2)
      + row('[256, 512)', 0, 2) + row('[512, 1K)', 0, 2) + row('[1K, 2K)', 2, 2) + '\n'),
  },
  {
    name: 'hist(n, k) splits each power of two into 2^k buckets, for k from 0 to 5',
    program: 'BEGIN { @h0 = hist(1000, 0); @h1 = hist(1000, 1); @h2 = hist(1000, 2); @h3 = hist(1000, 3);'
      + ' @h4 = hist(1000, 4); @h5 = hist(1000, 5); exit(); }',
    expect: atExit(['@h0:\n' + row('[512, 1K)', 1, 1), '@h1:\n' + row('[768, 1024)', 1, 1), '@h2:\n' + row('[896, 1024)', 1, 1),
      '@h3:\n' + row('[960, 1024)', 1, 1), '@h4:\n' + row('[992, 1024)', 1, 1), '@h5:\n' + row('[992, 1008)', 1, 1)].join('\n') + '\n'),
  },
  {
    name: 'hist(n, 2) over 0..19: single values below 8, then ranges',
    program: 'BEGIN { $i = 0; while ($i < 20) { @h = hist($i, 2); $i++; } exit(); }',
    expect: atExit('@h:\n' + ['[0]', '[1]', '[2]', '[3]', '[4]', '[5]', '[6]', '[7]'].map((label) => row(label, 1, 4)).join('')
      + ['[8, 10)', '[10, 12)', '[12, 14)', '[14, 16)'].map((label) => row(label, 2, 4)).join('') + row('[16, 20)', 4, 4) + '\n'),
  },
  {
    name: 'lhist() with underflow and overflow buckets',
    program: 'BEGIN { @l = lhist(-1, 0, 10, 2); @l = lhist(5, 0, 10, 2); @l = lhist(100, 0, 10, 2); @l = lhist(10, 0, 10, 2); exit(); }',
    expect: atExit('@l:\n' + row('(..., 0)', 1, 2) + row('[0, 2)', 0, 2) + row('[2, 4)', 0, 2) + row('[4, 6)', 1, 2)
      + row('[6, 8)', 0, 2) + row('[8, 10)', 0, 2) + row('[10, ...)', 2, 2) + '\n'),
  },
  {
    name: 'lhist() with a minimum above zero, keyed by a tuple',
    program: 'BEGIN { @l["x", 1] = lhist(3, 10, 20, 5); @l["x", 1] = lhist(12, 10, 20, 5); @l["x", 1] = lhist(14, 10, 20, 5);'
      + ' @l["x", 1] = lhist(19, 10, 20, 5); @l["x", 1] = lhist(20, 10, 20, 5); @l["x", 1] = lhist(25, 10, 20, 5); exit(); }',
    expect: atExit('@l[x, 1]:\n' + row('(..., 10)', 1, 2) + row('[10, 15)', 2, 2) + row('[15, 20)', 1, 2) + row('[20, ...)', 2, 2) + '\n'),
  },
  {
    name: 'hist() keyed by string, printed in ascending order of bucket total',
    program: 'BEGIN { @h["b"] = hist(4); @h["b"] = hist(5); @h["a"] = hist(1); exit(); }',
    expect: atExit('@h[a]:\n' + row('[1]', 1, 1) + '\n@h[b]:\n' + row('[4, 8)', 2, 2) + '\n'),
  },
  {
    name: 'aggregations from a tracepoint fired N times, summed over CPUs',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @calls[pid] = count(); @all = count(); @total = sum(3);`
      + ' @mean = avg(4); @low = min(tid); @high = max(tid); @h = hist(6); @l = lhist(6, 0, 100, 10); }',
    trigger: () => callGetppid(25),
    expect: atExit(`@all: 25\n@calls[${self.pid}]: 25\n@h:\n${row('[4, 8)', 25, 25)}\n@high: ${self.pid}\n`
      + `@l:\n${row('[0, 10)', 25, 25)}\n@low: ${self.pid}\n@mean: 4\n@total: 75\n`),
  },
];
