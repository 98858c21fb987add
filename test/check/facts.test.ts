// The facts pass: what code generation reads instead of rescanning the AST (no kernel needed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../src/check/checker.js';
import { liveHost } from '../../src/host/live.js';
import { defaultProviders } from '../../src/providers/index.js';
import { functionTable } from '../../src/functions/index.js';
import type { CheckedProbe } from '../../src/check/checked.js';
import { parse } from '../support/parse.js';
import type { DispatchStatement, Statement } from '../../src/parser/ast.js';

function probe(source: string): CheckedProbe {
  const result = check(parse(source, 'test.bt').program!, {}, { host: liveHost(), providers: defaultProviders, functions: functionTable });
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length) throw new Error(errors.map((error) => error.message).join('\n'));
  return result.probes[0]!;
}

test('pid/tid read twice: the program reads bpf_get_current_pid_tgid once, at entry', () => {
  const once = probe('BEGIN { print(pid); }');
  assert.is(once.facts.programs.get(once.block.body)!.readsPidTgidTwice, false);
  const twice = probe('BEGIN { print(pid); print(tid); }');
  assert.is(twice.facts.programs.get(twice.block.body)!.readsPidTgidTwice, true);
});

test('each dispatch case is a program with its own facts; the probe passes its context on', () => {
  const checked = probe('BEGIN { dispatch (1) { 1: { print(pid); print(pid); } 2: { print(1); } } }');
  const dispatch = checked.block.body.statements[0] as DispatchStatement;
  const [first, second] = dispatch.cases.map((dispatchCase) => checked.facts.programs.get(dispatchCase.body)!);
  assert.is(checked.facts.programs.get(checked.block.body)!.readsContext, true);
  assert.is(first!.readsPidTgidTwice, true);
  assert.is(second!.readsPidTgidTwice, false);
  assert.is(second!.readsContext, false);
});

test('callback loops, leaving bodies and the variables a loop body changes', () => {
  const checked = probe('BEGIN { $i = 0; $n = 0; while ($i < 10) { if ($i == 3) { exit(); } $n += 2; $i++; } for ($j : 0..3) { $n = $j; } }');
  const [, , whileLoop, forLoop] = checked.block.body.statements as Statement[];
  assert.ok(checked.facts.callbackLoops.has(whileLoop as never));
  assert.not.ok(checked.facts.callbackLoops.has(forLoop as never));
  const whileBody = (whileLoop as Extract<Statement, { kind: 'while' }>).body;
  assert.ok(checked.facts.leavingBodies.has(whileBody));
  assert.equal(checked.facts.assignedVariables.get(whileBody)!.map((variable) => variable.name), ['n', 'i']);
  const frame = checked.facts.programs.get(checked.block.body)!.frameCallbacks;
  assert.equal(frame, { any: true, leaving: true });
});

test('sizeof and offsetof values are measured once, while typing', () => {
  const checked = probe('BEGIN { $a = sizeof(uint32); $b = sizeof(comm); $c = sizeof($b); }');
  assert.equal([...checked.facts.constants.values()], [4n, 16n, 8n]);
});

test.run();
