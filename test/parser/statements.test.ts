import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Statement } from '../../src/parser/ast.js';
import { parseErrors, parseOk, shape, statementsOf, textOf, withoutSpans } from './helpers.js';

const only = (body: string): Statement => {
  const statements = statementsOf(body);
  assert.is(statements.length, 1, body);
  return statements[0]!;
};

test('assignments to variables and maps, keyed by one expression or several', () => {
  assert.equal(withoutSpans(only('$x = 1;')), {
    kind: 'assignment', target: { kind: 'variable', name: 'x' }, operator: '=', value: { kind: 'integer', value: 1n, text: '1' },
  });
  assert.equal(withoutSpans(only('@m = count();')), {
    kind: 'assignment', target: { kind: 'map', name: 'm', keys: [] }, operator: '=', value: { kind: 'call', name: 'count', arguments: [] },
  });
  const keyed = only('@m[pid, comm] = 1;');
  assert.ok(keyed.kind === 'assignment' && shape(keyed.target) === '(@m pid comm)');
  const anonymous = only('@[tid] = nsecs;');
  assert.ok(anonymous.kind === 'assignment' && shape(anonymous.target) === '(@ tid)');
});

test('every compound assignment operator', () => {
  for (const operator of ['+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']) {
    const statement = only(`$x ${operator} 2;`);
    assert.is(statement.kind === 'assignment' && statement.operator, operator);
  }
});

test('++ and -- as statements, before and after', () => {
  const shapes = statementsOf('@a++; ++@a; $b--; --$b;').map((statement) => statement.kind === 'expression' && shape(statement.expression));
  assert.equal(shapes, ['(++post @a)', '(++pre @a)', '(--post $b)', '(--pre $b)']);
});

test('let, with and without a type and a value', () => {
  assert.equal(withoutSpans(only('let $x;')), { kind: 'let', variable: { kind: 'variable', name: 'x' } });
  assert.equal(withoutSpans(only('let $x = 5;')), {
    kind: 'let', variable: { kind: 'variable', name: 'x' }, value: { kind: 'integer', value: 5n, text: '5' },
  });
  assert.equal(withoutSpans(only('let $x: uint16;')), {
    kind: 'let', variable: { kind: 'variable', name: 'x' }, type: { kind: 'namedType', name: 'uint16' },
  });
  assert.equal(withoutSpans(only('let $s: string[16] = "a";')), {
    kind: 'let',
    variable: { kind: 'variable', name: 's' },
    type: { kind: 'arrayType', element: { kind: 'namedType', name: 'string' }, length: 16 },
    value: { kind: 'string', value: 'a' },
  });
});

test('delete takes a keyed map, or a map and a key', () => {
  const [keyed, separate] = statementsOf('delete(@m[tid]); delete(@m, tid);');
  assert.ok(keyed!.kind === 'expression' && shape(keyed.expression) === '(call delete (@m tid))');
  assert.ok(separate!.kind === 'expression' && shape(separate.expression) === '(call delete @m tid)');
});

test('if / else if / else', () => {
  const statement = only('if ($a) { $x = 1; } else if ($b) { $x = 2; } else { $x = 3; }');
  assert.is(statement.kind, 'if');
  if (statement.kind !== 'if') return;
  assert.is(shape(statement.condition), '$a');
  assert.is(statement.then.statements.length, 1);
  const middle = statement.else;
  assert.is(middle?.kind, 'if');
  if (middle?.kind !== 'if') return;
  assert.is(shape(middle.condition), '$b');
  assert.is(middle.else?.kind, 'block');
  assert.equal(withoutSpans(only('if (1) { }')), { kind: 'if', condition: { kind: 'integer', value: 1n, text: '1' }, then: { kind: 'block', statements: [] } });
});

test('unroll and while', () => {
  const unroll = only('unroll (4) { @n++; }');
  assert.ok(unroll.kind === 'unroll' && shape(unroll.count) === '4' && unroll.body.statements.length === 1);
  const loop = only('while ($i < 10) { $i++; }');
  assert.ok(loop.kind === 'while' && shape(loop.condition) === '(< $i 10)' && loop.body.statements.length === 1);
});

test('for over a map and over a range', () => {
  const overMap = only('for ($kv : @counts) { print($kv.0); }');
  assert.equal(withoutSpans({ ...overMap, body: undefined }), {
    kind: 'forMap', variable: { kind: 'variable', name: 'kv' }, map: { kind: 'map', name: 'counts', keys: [] }, body: undefined,
  });
  const overRange = only('for ($i : 0..$n + 1) { }');
  assert.ok(overRange.kind === 'forRange');
  if (overRange.kind !== 'forRange') return;
  assert.equal([overRange.variable.name, shape(overRange.start), shape(overRange.end)], ['i', '0', '(+ $n 1)']);
});

test('break, continue and return', () => {
  const statements = statementsOf('for ($i : 1..5) { if ($i == 2) { continue; } if ($i == 4) { break; } } return; return 1;');
  assert.equal(statements.map((statement) => statement.kind), ['forRange', 'return', 'return']);
  assert.equal(withoutSpans(statements[1]), { kind: 'return' });
  assert.equal(withoutSpans(statements[2]), { kind: 'return', value: { kind: 'integer', value: 1n, text: '1' } });
  const loop = statements[0]!;
  if (loop.kind !== 'forRange') throw new Error('expected a loop');
  const kinds = loop.body.statements.map((statement) => statement.kind === 'if' && statement.then.statements[0]!.kind);
  assert.equal(kinds, ['continue', 'break']);
});

test('dispatch with single and multiple case labels', () => {
  const statement = only('dispatch (args->id) { 59: { @exec++; } 222, 223: { @other++; } }');
  assert.is(statement.kind, 'dispatch');
  if (statement.kind !== 'dispatch') return;
  assert.is(shape(statement.selector), '(-> args id)');
  assert.equal(statement.cases.map((entry) => entry.labels.map((label) => label.value)), [[59n], [222n, 223n]]);
  assert.equal(statement.cases.map((entry) => entry.body.statements.length), [1, 1]);
  assert.equal(withoutSpans(only('dispatch ($x) { }')), { kind: 'dispatch', selector: { kind: 'variable', name: 'x' }, cases: [] });
});

test('nested blocks, empty statements and an optional last semicolon', () => {
  const statements = statementsOf('; { $x = 1; { $y = 2 } } ;; $z = 3');
  assert.equal(statements.map((statement) => statement.kind), ['block', 'assignment']);
  const block = statements[0]!;
  assert.ok(block.kind === 'block' && block.statements.length === 2 && block.statements[1]!.kind === 'block');
});

test('statements after a block need no semicolon', () => {
  const statements = statementsOf('if (1) { } $a = 1; while (0) { } unroll (2) { } $b = 2');
  assert.equal(statements.map((statement) => statement.kind), ['if', 'assignment', 'while', 'unroll', 'assignment']);
});

test('statement spans cover the statement without its semicolon', () => {
  const source = 'BEGIN { @m[1] += 2; if ($a) { } else { $b = 1; } let $c: int8 = 3; }';
  const texts = parseOk(source).probes[0]!.body.statements.map((statement) => textOf(source, statement.span));
  assert.equal(texts, ['@m[1] += 2', 'if ($a) { } else { $b = 1; }', 'let $c: int8 = 3']);
});

test('only variables and maps can be assigned to', () => {
  const source = 'BEGIN { pid = 1; }';
  const diagnostics = parseErrors(source);
  assert.is(diagnostics[0]!.message, 'only $variables and @maps can be assigned to');
  assert.is(textOf(source, diagnostics[0]!.span), 'pid');
});

test('for needs a map or a range', () => {
  const source = 'BEGIN { for ($i : 5) { } }';
  const diagnostics = parseErrors(source);
  assert.is(diagnostics[0]!.message, "expected an @map or a range 'start..end' to loop over");
  assert.is(textOf(source, diagnostics[0]!.span), '5');
});

test.run();
