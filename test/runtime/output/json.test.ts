// JSON output against what bpftrace 0.17 printed with `-f json` on this machine, and every message
// kind of today's schema (src/output/json.cpp) through JSON.parse. Differences from 0.17, each
// named where it is applied: `attached_probes` also has `count` (0.17: only `data.probes`), map
// keys lose all spaces (0.17 kept them inside stack keys), integer keys order as signed, hist buckets
// are separated by `,` (0.17: `, `), no blank lines at the end of the run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonFormat, type OutputFormat } from '../../../src/runtime/output/formats.js';
import { jsonInteger, jsonString } from '../../../src/runtime/output/json.js';
import type { SourceSpan } from '../../../src/diagnostics/span.js';
import { actionOutputs } from '../../../src/runtime/records.js';
import { functionTable } from '../../../src/functions/index.js';
import type { Value } from '../../../src/runtime/output/values.js';
import { exitMaps, printAvgMap, printHistMap, printTopDivMap } from './fixture-maps.js';
import { afterBanner, count, hist, int, map, recorded, scalar, str, tup } from './helpers.js';

const json: OutputFormat = jsonFormat();
/** What an output function's record prints for its event (time(), cat(), join(), system()). */
const printed = (kind: 'join' | 'system' | 'time' | 'cat', text: string) => actionOutputs(functionTable).get(kind)!.print!({ kind, text }, json).text;

/**
 * 0.17's lines after `attached_probes`, without the blank lines it wrote at the end of the run, and
 * with today's unspaced separator between hist buckets (`},{`; only hist arrays hold `}, {`).
 */
function recordedLines(name: string): string[] {
  const [banner, ...rest] = recorded(name, 'json').split('\n');
  assert.match(banner!, /^\{"type": "attached_probes", "data": \{"probes": \d+\}\}$/);
  return rest.filter((line) => line !== '').map((line) => line.replaceAll('}, {', '},{'));
}

const ourLines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

const sameAsRecorded = [
  'hist_basic',
  'hist_keyed',
  'hist_only_zero',
  'lhist_step1',
  'lhist_step2',
  'lhist_kilo',
  'lhist_offset',
  'lhist_keyed',
  'count_int_keys',
  'count_string_keys',
  'scalars',
  'string_values_by_key',
  'tuple_keys',
  'tuple_values',
  'aggregates',
  'aggregates_keyed',
  'exit_empty',
  'zero_maps',
  'map_name_order',
  'long_string',
];

for (const name of sameAsRecorded) {
  test(`exit JSON matches bpftrace: ${name}`, () => {
    assert.equal(ourLines(json.mapsAtExit(exitMaps[name]!).text), recordedLines(name));
  });
}

test('exit JSON with signed key order and max of negatives, as today', () => {
  assert.equal(recordedLines('int_keys_string_values'), ['{"type": "map", "data": {"@v": {"0": "z", "2": "b", "3": "c", "10": "t", "-1": "m"}}}']);
  assert.is(json.mapsAtExit(exitMaps['int_keys_string_values']!).text, '{"type": "map", "data": {"@v": {"-1": "m", "0": "z", "2": "b", "3": "c", "10": "t"}}}\n');
  const negative = recordedLines('negative_aggregates');
  negative.splice(1, 0, '{"type": "map", "data": {"@ma": -3}}');
  assert.equal(ourLines(json.mapsAtExit(exitMaps['negative_aggregates']!).text), negative);
});

test('ties keep the kernel order', () => {
  // The JSON run's kernel iterated @c as 2, 1, 3, 4.
  const ties = map('@c', [[int(4)], count(2)], [[int(2)], count(1)], [[int(1)], count(1)], [[int(3)], count(1)]);
  assert.equal(ourLines(json.map(ties).text), recordedLines('count_ties'));
});

test('stack keys keep their frames\' indentation (today\'s 8 spaces; 0.17 recorded 4)', () => {
  const frames = (...symbols: string[]) => symbols.map((symbol, index) => ({ address: BigInt(0xffffffff81000000 + index), symbol }));
  const syscall = frames('x64_sys_call+3970', 'do_syscall_64+113', 'entry_SYSCALL_64_after_hwframe+118');
  const idle = frames('pv_native_safe_halt+11', 'default_idle+5', 'default_idle_call+36', 'do_idle+532');
  const stack = (list: typeof idle): Value => ({ kind: 'stack', frames: list, mode: 'bpftrace' });
  const dumps = [
    map('@', [[stack(idle)], count(248)], [[stack(syscall)], count(1)]),
    map('@k', [[stack(idle.slice(0, 2)), int(7)], count(248)], [[stack(syscall.slice(0, 2)), int(7)], count(1)]),
  ];
  const expected = recordedLines('kstack_keys').map((line) => line.replaceAll('\\n    ', '\\n        '));
  assert.equal(ourLines(json.mapsAtExit(dumps).text), expected);
});

test('print(@m, top, div) in JSON', () => {
  const printed = [
    json.map(printTopDivMap, { top: 2 }),
    json.map(printTopDivMap, { top: 0, div: 10 }),
    json.map(printTopDivMap, { top: 3, div: 100 }),
    json.map(printTopDivMap),
  ];
  assert.equal(ourLines(printed.map((emission) => emission.text).join('')), recordedLines('print_top_div'));
  const averages = json.map(printAvgMap, { top: 2, div: 10 }).text + json.map(printAvgMap, { top: 10, div: 10 }).text;
  assert.equal(ourLines(averages), recordedLines('print_avg_top_div'));
  const histograms = json.map(printHistMap, { top: 2 }).text + json.map(printHistMap, { div: 2 }).text;
  assert.equal(ourLines(histograms), recordedLines('print_hist_top_div'));
});

test('print of scalar maps and values in JSON', () => {
  const printed = [
    json.map(map('@x', [undefined, scalar(int(5))])),
    json.map(map('@s', [undefined, { kind: 'stats', total: 3n, count: 1n }])),
    json.map(map('@h', [undefined, hist([3])])),
    json.value(int(5)),
    json.value(str('str')),
    json.value(tup(int(1), str('two'), int(-3))),
    json.value(str('bpftrace')),
  ];
  assert.ok(printed.every((emission) => emission.stream === 'stdout'));
  assert.equal(ourLines(printed.map((emission) => emission.text).join('')), recordedLines('print_scalars'));
});

test('attached_probes and lost_events carry a count as well as data', () => {
  const attached = JSON.parse(json.attachedProbes(2).text);
  assert.equal(attached, { type: 'attached_probes', count: 2, data: { probes: 2 } });
  const recordedBanner = JSON.parse(recorded('kstack_keys', 'json').split('\n')[0]!);
  assert.equal(recordedBanner.data, attached.data);
  assert.equal(JSON.parse(json.lostEvents(17n).text), { type: 'lost_events', count: 17, data: { events: 17 } });
  assert.is(json.end().text, '');
});

const span: SourceSpan = { file: 'stdin', line: 1, column: 87, offset: 86, length: 20 };

test('every message kind is one line that JSON.parse reads back, with bpftrace field names', () => {
  const messages: [string, unknown][] = [
    [json.printf('test \r \n \t \\ " bar').text, { type: 'printf', data: 'test \r \n \t \\ " bar' }],
    [printed('time', '09:10:11\n'), { type: 'time', data: '09:10:11\n' }],
    [printed('cat', '1.0 2.0\n'), { type: 'cat', data: '1.0 2.0\n' }],
    [printed('join', '/bin/echo,A'), { type: 'join', data: '/bin/echo,A' }],
    [printed('system', 'a b c\n'), { type: 'syscall', data: 'a b c\n' }],
    [json.value(tup(int(1), int(2), str('string'), tup(int(4), int(5)))).text, { type: 'value', data: [1, 2, 'string', [4, 5]] }],
    [json.map(map('@complex', [[str('bpftrace'), int(2)], scalar(int(5))])).text, { type: 'map', data: { '@complex': { 'bpftrace,2': 5 } } }],
    [json.map(map('@h', [undefined, hist([2, 1025])])).text, { type: 'hist', data: { '@h': expectedHist } }],
    [json.map(map('@s', [[str('curl')], { kind: 'stats', total: 2n, count: 1n }])).text, { type: 'stats', data: { '@s': { curl: { count: 1, average: 2, total: 2 } } } }],
    [json.map(map('@a', [undefined, { kind: 'avg', total: 12n, count: 2n }])).text, { type: 'stats', data: { '@a': 6 } }],
    [
      json.runtimeError({ kind: 'helper', helper: 'probe_read_user', retcode: -14, locations: [span] }).text,
      { type: 'helper_error', msg: 'Bad address', helper: 'probe_read_user', retcode: -14, filename: 'stdin', line: 1, col: 87 },
    ],
    [
      json.runtimeError({ kind: 'runtime', message: 'Divide by zero', locations: [span] }).text,
      { type: 'runtime_error', msg: 'Divide by zero', filename: 'stdin', line: 1, col: 87 },
    ],
    [json.printfMessage('bad thing', 'error', [span]).text, { type: 'errorf', msg: 'bad thing', filename: 'stdin', line: 1, col: 87 }],
    [json.printfMessage('odd thing', 'warning', [span]).text, { type: 'warnf', msg: 'odd thing', filename: 'stdin', line: 1, col: 87 }],
  ];
  for (const [line, expected] of messages) {
    assert.ok(line.endsWith('}\n') && line.indexOf('\n') === line.length - 1, line);
    assert.equal(JSON.parse(line), expected);
  }
  assert.is(json.printf('test 5').text, '{"type": "printf", "data": "test 5"}\n');
});

const expectedHist = [
  { min: 2, max: 3, count: 1 },
  { min: 4, max: 7, count: 0 },
  { min: 8, max: 15, count: 0 },
  { min: 16, max: 31, count: 0 },
  { min: 32, max: 63, count: 0 },
  { min: 64, max: 127, count: 0 },
  { min: 128, max: 255, count: 0 },
  { min: 256, max: 511, count: 0 },
  { min: 512, max: 1023, count: 0 },
  { min: 1024, max: 2047, count: 1 },
];

test('integers a double cannot hold exactly are strings', () => {
  assert.is(jsonInteger(2n ** 53n), '9007199254740992');
  assert.is(jsonInteger(2n ** 53n + 1n), '"9007199254740993"');
  assert.is(jsonInteger(18446744073709551615n), '"18446744073709551615"');
  assert.is(jsonInteger(-(2n ** 63n)), '-9223372036854775808');
  const line = json.map(map('@big', [undefined, scalar({ kind: 'integer', value: 18446744073709551615n, signed: false, width: 8 })])).text;
  assert.equal(JSON.parse(line), { type: 'map', data: { '@big': '18446744073709551615' } });
  const tenGiB = json.map(map('@', [undefined, hist([10n * 1024n ** 3n])])).text;
  assert.equal(JSON.parse(tenGiB).data['@'], [{ min: 8589934592, max: 17179869183, count: 1 }]);
});

test('strings escape quotes, backslashes and control characters, and keep other characters', () => {
  const text = 'a"b\\c\u0001\u001f\u007fé€😀';
  assert.is(jsonString(text), '"a\\"b\\\\c\\u0001\\u001f\u007fé€😀"');
  assert.is(JSON.parse(jsonString(text)), text);
});

test('values: booleans, records, arrays, buffers as signed chars, symbols as numbers, stacks as text, none as null', () => {
  const value: Value = {
    kind: 'record',
    fields: [
      { name: 'flag', value: { kind: 'boolean', value: false } },
      { name: 'list', value: { kind: 'array', items: [int(1), int(2)] } },
      { name: 'bytes', value: { kind: 'buffer', bytes: new Uint8Array([0x61, 0x00, 0xff]) } },
      { name: 'state', value: { kind: 'symbol', text: 'FOO', numeric: 333n } },
      { name: 'ptr', value: { kind: 'symbol', text: '0x32', numeric: 0x32n } },
      { name: 'name', value: { kind: 'symbol', text: 'do_idle' } },
      { name: 'stack', value: { kind: 'stack', frames: [{ address: 1n, symbol: 'main+4' }], mode: 'bpftrace' } },
      { name: 'none', value: { kind: 'none' } },
    ],
  };
  assert.equal(JSON.parse(json.value(value).text).data, {
    flag: false,
    list: [1, 2],
    bytes: [97, 0, -1],
    state: 333,
    ptr: 50,
    name: 'do_idle',
    stack: '\n        main+4\n',
    none: null,
  });
});

test('tuple key parts join with "," and string keys keep their spaces (as bpftrace 0.17 prints); empty maps print nothing', () => {
  const line = json.map(map('@m', [[str('a b')], count(1)], [[tup(str('x'), int(1))], count(2)])).text;
  assert.equal(JSON.parse(line).data, { '@m': { 'a b': 1, 'x,1': 2 } });
  assert.is(json.map(map('@m')).text, '');
  assert.is(afterBanner(recorded('exit_empty', 'txt')).includes('@h'), false);
});

test.run();
