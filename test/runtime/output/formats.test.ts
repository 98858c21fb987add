// The text format end to end: which stream each message goes to and the exact bytes, checked against
// whole stdout recordings of bpftrace 0.17 where they exist (0.17 wrote its banner on stdout as
// `Attaching 1 probe...`; today's writes `Attached 1 probe` on stderr).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SourceSpan } from '../../../src/diagnostics/span.js';
import { textFormat, type Emission } from '../../../src/runtime/output/formats.js';
import { parseFormat } from '../../../src/model/format-string.js';
import { formatPrintf } from '../../../src/runtime/output/printf.js';
import { actionOutputs } from '../../../src/runtime/records.js';
import { functionTable } from '../../../src/functions/index.js';
import { exitMaps } from './fixture-maps.js';
import { afterBanner, int, map, recorded, scalar, str, tup } from './helpers.js';

const text = textFormat();
const stdoutOf = (emissions: Emission[]): string => {
  assert.ok(emissions.every((emission) => emission.stream === 'stdout'));
  return emissions.map((emission) => emission.text).join('');
};

test('a whole run: printf lines, the end of the run, then the maps', () => {
  const format = parseFormat('%s|%s|%%|100%%|%s\n').format;
  const run = [
    text.printf(formatPrintf(format, [str('bpftrace'), str('x'), str('end')])),
    text.end(),
    text.mapsAtExit(exitMaps['tuple_values']!),
  ];
  const expected = `${afterBanner(recorded('printf_misc', 'txt')).split('\n')[2]}\n\n\n${afterBanner(recorded('tuple_values', 'txt')).slice(2)}`;
  assert.fixture(stdoutOf(run), expected);
});

test('print() of values and of maps, then the end of the run', () => {
  const run = [
    text.map(map('@x', [undefined, scalar(int(5))])),
    text.value(int(5)),
    text.value(str('str')),
    text.value(tup(int(1), str('two'), int(-3))),
    text.value(str('bpftrace')),
    text.end(),
  ];
  const recordedText = afterBanner(recorded('print_scalars', 'txt'));
  const values = recordedText.slice(recordedText.indexOf('5\nstr'));
  // The recording also printed @s and @h between @x and the values; those are in map-text.test.ts.
  // After the end of the run 0.17 printed blank lines for the three cleared maps; today's prints nothing.
  assert.ok(values.startsWith('5\nstr\n(1, two, -3)\nbpftrace\n\n\n'));
  assert.fixture(stdoutOf(run), `@x: 5\n${values.replace(/\n+$/, '\n')}\n\n`);
});

test('banner, lost events and warnings go to stderr', () => {
  assert.equal(text.attachedProbes(1), { stream: 'stderr', text: 'Attached 1 probe\n' });
  assert.equal(text.attachedProbes(361), { stream: 'stderr', text: 'Attached 361 probes\n' });
  assert.equal(text.lostEvents(12n), { stream: 'stderr', text: 'Lost 12 events\n' });
});

test('join() ends its output with a newline; system(), time() and cat() print theirs as it is', () => {
  const printed = (kind: 'join' | 'system' | 'time' | 'cat', output: string) => actionOutputs(functionTable).get(kind)!.print!({ kind, text: output }, text).text;
  assert.is(printed('join', 'a b c'), 'a b c\n');
  assert.is(printed('system', 'out'), 'out');
  assert.is(printed('time', '10:11:12\n'), '10:11:12\n');
  assert.is(printed('cat', 'file'), 'file');
});

const source = 'BEGIN { @a[1] = 1; $x = *(int8*)0; }';
const span = (column: number, length: number): SourceSpan => ({ file: 'stdin', line: 1, column, offset: column - 1, length });

test('helper errors: bpftrace wording, the helper and retcode, the source line and a marker', () => {
  const located = textFormat((file) => (file === 'stdin' ? source : undefined));
  const full = located.runtimeError({ kind: 'helper', helper: 'map_update_elem', retcode: -7, locations: [span(9, 9)] });
  assert.is(full.stream, 'stderr');
  assert.fixture(
    full.text,
    [
      "stdin:1:9-18: WARNING: Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`",
      'Additional Info - helper: map_update_elem, retcode: -7',
      source,
      '        ~~~~~~~~~',
      '',
    ].join('\n'),
  );
  const fault = located.runtimeError({ kind: 'helper', helper: 'probe_read_kernel', retcode: -14, locations: [span(25, 10)] });
  assert.match(fault.text, /^stdin:1:25-35: WARNING: Bad address\nAdditional Info - helper: probe_read_kernel, retcode: -14\n/);
  const missing = located.runtimeError({ kind: 'helper', helper: 'map_delete_elem', retcode: -2, locations: [span(9, 5)] });
  assert.match(missing.text, /WARNING: Can't delete map element because it does not exist\.\n/);
});

test('errorf and warnf: located message without the source line; macro expansions follow', () => {
  const located = textFormat(() => source);
  const error = located.printfMessage('bad value 5', 'error', [span(9, 9), span(20, 4)]);
  assert.is(error.stream, 'stderr');
  assert.fixture(error.text, `stdin:1:9-18: ERROR: bad value 5\nstdin:1:20-24: ERROR: expanded from\n${source}\n                   ~~~~\n`);
  assert.is(textFormat().printfMessage('careful', 'warning', [span(1, 5)]).text, 'stdin:1:1-6: WARNING: careful\n');
});

test.run();
