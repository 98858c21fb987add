// The maps each recorded program (test/runtime/fixtures/bpftrace-0.17/programs.tsv) holds when it
// exits, built as the runtime would hand them over: per-CPU values combined, entries in an arbitrary
// iteration order. Entries are deliberately listed out of order so that the formatter's sorting is
// what puts them right; where bpftrace's order has ties, the tied entries keep the relative order
// the kernel gave bpftrace in the recording.

import type { MapDump, Value } from '../../../src/runtime/output/values.js';
import { averageOf, count, hist, int, lhist, map, scalar, str, sum, tup } from './helpers.js';

const frame = (symbol: string, address: bigint) => ({ address, symbol });
const stack = (...frames: { address: bigint; symbol: string }[]): Value => ({ kind: 'stack', frames, mode: 'bpftrace' });

const idleStack = [
  frame('pv_native_safe_halt+11', 0xffffffff81e5c8cbn),
  frame('default_idle+5', 0xffffffff81e5ba05n),
  frame('default_idle_call+36', 0xffffffff81e5be14n),
  frame('do_idle+532', 0xffffffff8112f4d4n),
];
const epollStack = [
  frame('fdget+61', 0xffffffff8137a0fdn),
  frame('do_epoll_wait+58', 0xffffffff813b5f3an),
  frame('__x64_sys_epoll_wait+90', 0xffffffff813b6a1an),
  frame('do_syscall_64+113', 0xffffffff81e4e031n),
];

export const exitMaps: Record<string, MapDump[]> = {
  hist_basic: [map('@h', [undefined, hist([5, 1000, -1, 0, 1, 1, 2, 3, 1048576])])],
  hist_keyed: [
    map(
      '@h',
      [[str('c'), int(3)], hist([1, 0, 9, 64])],
      [[str('b'), int(2)], hist([2, 3, 100])],
      [[str('a'), int(1)], hist([7])],
    ),
  ],
  hist_only_zero: [
    map('@z', [undefined, hist([0])]),
    map('@o', [undefined, hist([1])]),
    map('@n', [undefined, hist([-5, -7])]),
  ],
  lhist_step1: [map('@l', [undefined, lhist([1, 5, 11, -3], 0, 10, 1)])],
  lhist_step2: [map('@l', [undefined, lhist([2, 3, 7, -1, 11], 0, 10, 2)])],
  lhist_kilo: [
    map('@k', [undefined, lhist([2048, 5000, 100000], 0, 8192, 1024)]),
    map('@m', [undefined, lhist([1048576, 3000000], 0, 4194304, 1048576)]),
  ],
  lhist_offset: [
    map('@o', [undefined, lhist([150, 155, 99, 170], 100, 200, 10)]),
    map('@u', [undefined, lhist([120, 205], 100, 200, 10)]),
  ],
  lhist_keyed: [
    map(
      '@l',
      [[int(2)], lhist([15, 25], 0, 100, 10)],
      [[int(1)], lhist([5], 0, 100, 10)],
      [[int(3)], lhist([1000], 0, 100, 10)],
    ),
  ],
  count_int_keys: [map('@c', [[int(100)], count(4)], [[int(5)], count(3)], [[int(-2)], count(1)], [[int(7)], count(2)])],
  count_string_keys: [map('@c', [[str('mid')], count(3)], [[str('zeta')], count(1)], [[str('alpha')], count(2)])],
  count_ties: [map('@c', [[int(4)], count(2)], [[int(3)], count(1)], [[int(2)], count(1)], [[int(1)], count(1)])],
  scalars: [
    map('@s', [undefined, scalar(str('hello world'))]),
    map('@big', [undefined, scalar(int(-1))]),
    map('@a', [undefined, scalar(int(1))]),
    map('@neg', [undefined, scalar({ kind: 'integer', value: -3n, signed: true, width: 4 })]),
    map('@', [undefined, scalar(int(42))]),
    map('@b', [undefined, scalar(int(-5))]),
  ],
  string_values_by_key: [
    map(
      '@s',
      [[str('c')], scalar(str('z'))],
      [[str('ab')], scalar(str('w'))],
      [[str('b')], scalar(str('x'))],
      [[str('')], scalar(str('e'))],
      [[str('a')], scalar(str('y'))],
    ),
  ],
  int_keys_string_values: [
    map(
      '@v',
      [[int(10)], scalar(str('t'))],
      [[int(3)], scalar(str('c'))],
      [[int(-1)], scalar(str('m'))],
      [[int(0)], scalar(str('z'))],
      [[int(2)], scalar(str('b'))],
    ),
  ],
  tuple_keys: [
    map('@cnt', [[str('x'), int(1)], count(2)], [[str('bpftrace'), int(7123)], count(1)]),
    map('@pair', [[int(1), int(-2)], scalar(int(11))], [[int(1), int(2)], scalar(int(10))], [[int(0), int(5)], scalar(int(9))]),
  ],
  tuple_key_sort: [
    map(
      '@t',
      [[str('c'), int(0)], scalar(str('t'))],
      [[str('b'), int(2)], scalar(str('p'))],
      [[str('a'), int(9)], scalar(str('q'))],
      [[str('b'), int(1)], scalar(str('r'))],
      [[str('a'), int(-1)], scalar(str('s'))],
    ),
  ],
  tuple_values: [
    map('@t', [undefined, scalar(tup(int(1), str('abc'), str('bpftrace')))]),
    map('@u', [[int(1)], scalar(tup(int(2), int(-3)))]),
    map('@w', [[int(2)], scalar(tup(str('x'), int(4), str('y')))]),
    map('@n', [undefined, scalar(tup(tup(int(1), int(2)), str('a')))]),
  ],
  aggregates: [
    map('@cnt', [undefined, count(2)]),
    map('@su', [undefined, sum(-15)]),
    map('@mi', [undefined, { kind: 'min', value: 3n }]),
    map('@ma', [undefined, { kind: 'max', value: 9n }]),
    map('@av', [undefined, averageOf('avg', [5, 10, 20])]),
    map('@st', [undefined, averageOf('stats', [2, 12])]),
  ],
  aggregates_keyed: [
    map('@av', [[str('x')], averageOf('avg', [30])], [[str('y')], averageOf('avg', [10])], [[str('z')], averageOf('avg', [20, 40])]),
    map('@st', [[str('q')], averageOf('stats', [1, 3])], [[str('p')], averageOf('stats', [100])]),
    map('@mi', [[str('a')], { kind: 'min', value: 5n }], [[str('b')], { kind: 'min', value: 1n }]),
    map('@ma', [[str('b')], { kind: 'max', value: 50n }], [[str('a')], { kind: 'max', value: 5n }]),
    map('@su', [[str('b')], sum(5)], [[str('a')], sum(-5)]),
  ],
  negative_aggregates: [
    map('@mi', [undefined, { kind: 'min', value: -10n }]),
    map('@ma', [undefined, { kind: 'max', value: -3n }]),
    map('@av', [undefined, averageOf('avg', [-5, -10])]),
    map('@st', [undefined, averageOf('stats', [-4, -7])]),
    map('@su', [undefined, sum(-1)]),
  ],
  exit_empty: [
    map('@x', [undefined, count(0)]),
    map('@h'),
    map('@m'),
    map('@keep', [undefined, scalar(int(1))]),
  ],
  zero_maps: [
    map('@c', [undefined, count(0)]),
    map('@h', [undefined, { kind: 'hist', buckets: [0n, 0n, 0n, 0n, 0n], bits: 0 }]),
    map('@l', [undefined, { kind: 'lhist', buckets: new Array<bigint>(12).fill(0n), min: 0n, max: 10n, step: 1n }]),
    map('@k', [[int(1)], count(0)]),
    map('@s', [undefined, { kind: 'stats', total: 0n, count: 0n }]),
  ],
  map_name_order: [
    map('@zz', [undefined, scalar(int(1))]),
    map('@b', [undefined, scalar(int(2))]),
    map('@', [undefined, scalar(int(3))]),
    map('@a', [undefined, scalar(int(4))]),
    map('@B', [undefined, scalar(int(5))]),
    map('@a_b', [undefined, scalar(int(6))]),
    map('@a1', [undefined, scalar(int(7))]),
  ],
  kstack_keys: [
    map('@', [[stack(...idleStack)], count(248)], [[stack(...epollStack)], count(1)]),
    map('@k', [[stack(...idleStack.slice(0, 2)), int(7)], count(248)], [[stack(...epollStack.slice(0, 2)), int(7)], count(1)]),
  ],
  long_string: [map('@s', [[str('bpftrace')], scalar(str('012345678901234567890123456789012345678901234567890123456789012'))])],
};

/** The map each print() statement of the print_* programs saw, with its (top, div) arguments. */
export const printTopDivMap = map(
  '@c',
  [[str('d')], sum(40000)],
  [[str('b')], sum(200)],
  [[str('a')], sum(10)],
  [[str('c')], sum(3000)],
);

export const printAvgMap = map(
  '@',
  [[str('b')], averageOf('avg', [20])],
  [[str('d')], averageOf('avg', [40])],
  [[str('a')], averageOf('avg', [10])],
  [[str('c')], averageOf('avg', [30])],
);

export const printHistMap = map('@', [[int(3)], hist([30, 31, 32])], [[int(1)], hist([10])], [[int(2)], hist([20, 21])]);
