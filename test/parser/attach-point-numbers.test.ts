// Numbers inside attach points read as the language's numbers (bpftrace reads them with the same
// parser as literals): scientific, hex, octal and `_`-separated forms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { parse } from '../support/parse.js';

function onlyPoint(header: string): Record<string, unknown> {
  const result = parse(`${header} { }`, 'test.bt');
  assert.equal(result.diagnostics.map((diagnostic) => diagnostic.message), [], header);
  return result.program!.probes[0]!.attachPoints[0]! as unknown as Record<string, unknown>;
}

test('software and hardware counts in every number form', () => {
  const forms: [string, bigint][] = [
    ['software:cpu:1e6', 1_000_000n], ['software:cpu:1_000_000', 1_000_000n], ['software:faults:0x64', 100n],
    ['software:faults:010', 8n], ['hardware:cache-misses:1e3', 1000n],
  ];
  for (const [header, count] of forms) assert.is(onlyPoint(header)['count'], count, header);
});

test('a count that is not a number is reported at its field', () => {
  const result = parse('software:cpu:1x6 { }', 'test.bt');
  assert.equal(result.diagnostics.map((diagnostic) => diagnostic.message), ["expected a count, found '1x6'"]);
  assert.is(result.diagnostics[0]!.span.column, 14);
});

test('software:cpu:1e6 compiles to a period of 1,000,000 and is named with it, as bpftrace names it', () => {
  const result = compile('software:cpu:1e6 { @ = count(); }', { fileName: 'test.bt' });
  const attachment = result.script!.programs[0]!.attachments[0]!;
  assert.is(attachment.name, 'software:cpu:1000000');
  assert.equal(attachment.target, { kind: 'software', event: 'cpu', count: 1_000_000 });
});

test('timer values and uprobe offsets read the same forms', () => {
  assert.is(onlyPoint('interval:ms:1e3')['value'], 1000n);
  assert.is(onlyPoint('uprobe:/bin/sh:main+0x10')['offset'], 16n);
});

test.run();
