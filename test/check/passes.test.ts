// The checker's passes without a kernel: BEGIN/END programs need no probe resolution from the
// machine, so these run anywhere. Each test reads the checked program's side tables or diagnostics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../src/check/checker.js';
import { liveHost } from '../../src/host/live.js';
import { defaultProviders } from '../../src/providers/index.js';
import { functionTable } from '../../src/functions/index.js';
import type { CheckedProgram } from '../../src/check/checked.js';
import { parse } from '../support/parse.js';
import type { Expression } from '../../src/parser/ast.js';
import { collectNodes } from '../../src/parser/ast-search.js';
import { typeName } from '../../src/model/types.js';

function checked(source: string): CheckedProgram {
  const parsed = parse(source, 'test.bt');
  if (!parsed.program) throw new Error(`does not parse: ${source}`);
  // BEGIN and END resolve without reading the machine: the live host is never asked anything.
  return check(parsed.program, {}, { host: liveHost(), providers: defaultProviders, functions: functionTable });
}

function errors(source: string): string[] {
  return checked(source).diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.message);
}

/** The type the checker gave each expression of `kind`, in source order. */
function typesOf(source: string, kind: string): string[] {
  const result = checked(source);
  const probe = result.probes[0]!;
  const nodes = collectNodes(probe.block.body, (node) => node.kind === kind) as unknown as Expression[];
  return nodes.map((node) => typeName(probe.types.get(node)!));
}

test('statements: break and continue outside a loop, return with a value', () => {
  assert.equal(errors('BEGIN { break; }'), ["'break' outside a loop"]);
  assert.equal(errors('BEGIN { continue; }'), ["'continue' outside a loop"]);
  assert.equal(errors('BEGIN { return 1; }'), ['a probe returns no value: write `return;`']);
  assert.equal(errors('BEGIN { while (1) { break; } for ($i : 0..3) { continue; } }'), []);
});

test('scopes: a variable declared in a block is unknown after it; one from outside a dispatch case is refused', () => {
  assert.equal(errors('BEGIN { if (1) { $x = 1; } print($x); }'), ['undefined variable: $x']);
  assert.equal(errors('BEGIN { $y = 1; dispatch (1) { 1: { print($y); } } }'), ['$y is declared outside this dispatch case']);
});

test('variables widen to the longest string assigned, across the quiet passes', () => {
  const result = checked('BEGIN { $s = "ab"; $s = "abcdef"; }');
  const types = [...result.probes[0]!.bindings.values()].map((binding) => typeName(binding.type));
  assert.equal([...new Set(types)], ['string[7]']);
});

test('expressions: arithmetic stays signed unless a 64-bit unsigned operand joins; comparisons are bool', () => {
  assert.equal(typesOf('BEGIN { $a = 1 + 2; $b = nsecs + 1; $c = pid < 3; }', 'binary'), ['int64', 'uint64', 'bool']);
  assert.equal(typesOf('BEGIN { $t = (1, "ab"); $u = $t.1; }', 'tupleIndex'), ['string[3]']);
});

test('expressions: builtins outside their probes are refused with the probes they exist in', () => {
  assert.equal(errors('BEGIN { print(arg0); }'), ['arg0 is not available in this probe']);
  assert.equal(errors('BEGIN { print(nosuch); }'), ['unknown identifier: nosuch']);
});

test('calls: printf formats are checked against their arguments', () => {
  assert.equal(errors('BEGIN { printf("%d %d\\n", 1); }'), ['printf: the format has 2 conversions but 1 argument is given']);
  assert.equal(errors('BEGIN { printf("%d\\n", "text"); }'), ['printf: %d needs an integer, but this is string[5]']);
  assert.equal(errors('BEGIN { printf("%s %d\\n", comm, pid); }'), []);
});

test('calls: aggregations only as a map assignment, with their argument rules', () => {
  assert.equal(errors('BEGIN { count(); }'), ['count() must be assigned to a map, e.g. @x = count(…)']);
  assert.equal(errors('BEGIN { @h = hist(1, 9); }'), ['hist() precision must be a constant from 0 to 5']);
  const result = checked('BEGIN { @c = count(); @l = lhist(5, 0, 100, 10); }');
  assert.equal(result.maps.get('c')!.value, { kind: 'count' });
  assert.equal(result.maps.get('l')!.value, { kind: 'lhist', min: 0n, max: 100n, step: 10n });
});

test('maps: a map read before the probe that writes it gets its type from the later write', () => {
  const result = checked('BEGIN { print(@m[1]); } END { @m[2] = "text"; }');
  assert.equal(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  const info = result.maps.get('m')!;
  assert.is(typeName(info.keyType!), 'int64');
  assert.equal(info.value.kind === 'scalar' && typeName(info.value.type), 'string[5]');
});

test.run();
