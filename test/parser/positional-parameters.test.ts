// Positional parameters substituted while parsing (no kernel): attach points as text, expressions
// as literals, str($N) as the text, a missing one as 0 with a warning.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../support/parse.js';
import { collectNodes } from '../../src/parser/ast-search.js';

function parsed(source: string, positional: string[]) {
  const result = parse(source, 'test.bt', { positional });
  assert.ok(result.program, JSON.stringify(result.diagnostics));
  return result;
}

test('attach points: $N spliced before the point is read', () => {
  assert.is(parsed('BEG$1 { }', ['IN']).program!.probes[0]!.attachPoints[0]!.provider, 'begin');
  const whole = parsed('$1 { }', ['tracepoint:syscalls:sys_enter_read']).program!.probes[0]!.attachPoints[0]!;
  assert.equal([whole.provider, whole.raw], ['tracepoint', 'tracepoint:syscalls:sys_enter_read']);
  const timer = parsed('interval:ms:$1 { }', ['250']).program!.probes[0]!.attachPoints[0]! as unknown as Record<string, unknown>;
  assert.equal([timer['unit'], timer['value']], ['ms', 250n]);
});

test('expressions: numbers in every base become integer literals, other text a string, $# the count', () => {
  const result = parsed('BEGIN { print(($1, $2, $3, $4, $5, $#)); }', ['0775', '0x10', '-7', '1e3', 'vfs_read']);
  const tuple = collectNodes(result.program!.probes[0]!.body, (node) => node.kind === 'tuple')[0] as unknown as { elements: { kind: string; value?: unknown; operand?: { value: unknown } }[] };
  const shown = tuple.elements.map((element) => (element.kind === 'unary' ? `-${element.operand!.value}` : `${element.kind}:${element.value}`));
  assert.equal(shown, ['integer:509', 'integer:16', '-7', 'integer:1000', 'string:vfs_read', 'integer:5']);
});

test('str($N) is the parameter as written; a missing parameter is 0 with a warning, "" in str()', () => {
  const result = parsed('BEGIN { print((str($1), $2, str($3))); }', ['0775']);
  const strings = collectNodes(result.program!.probes[0]!.body, (node) => node.kind === 'string') as unknown as { value: string }[];
  assert.equal(strings.map((node) => node.value), ['0775', '']);
  assert.equal(result.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.message]), [['warning', 'positional parameter $2 is empty or not provided']]);
});

test('without parameters to substitute, the parser keeps $N as written (for the printer)', () => {
  const result = parse('BEGIN { print($1); }', 'test.bt');
  assert.is(collectNodes(result.program!.probes[0]!.body, (node) => node.kind === 'positional').length, 1);
});

test.run();
