// Which loops become bpf_loop callbacks, and the code that lets a callback reach the probe's frame.
// No kernel here: these read the generated instructions (test/e2e/loops.test.ts runs them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../support/parse.js';
import type { ForRangeStatement, Statement, WhileStatement } from '../../src/parser/ast.js';
import { assignedVariables, canLeaveProbe, frameCallbackNeeds, loopNeedsCallback } from '../../src/check/loop-strategy.js';
import { compile } from '../../src/compile.js';
import { disassembleProgram } from '../../src/bpf/index.js';

function firstLoop(source: string): WhileStatement | ForRangeStatement {
  const program = parse(source).program!;
  const probe = program.probes[0]!;
  const loop = probe.body.statements.find((statement: Statement) => statement.kind === 'while' || statement.kind === 'forRange');
  if (!loop) throw new Error(`no loop in ${source}`);
  return loop as WhileStatement | ForRangeStatement;
}

function disassembly(source: string): string {
  const result = compile(source, { fileName: 'test.bt' });
  if (!result.script) throw new Error(JSON.stringify(result.diagnostics));
  return result.script.programs.map((program) => disassembleProgram(program.assembled).join('\n')).join('\n');
}

const decisions: [string, boolean][] = [
  ['BEGIN { $i = 0; while ($i < 10) { $i++; } }', false],
  ['BEGIN { $i = 0; $s = 0; while ($i < 10) { $s += $i * 3 - (args.x << 2); $i++; } }', false],
  ['BEGIN { for ($i : 0..10) { $s = $i % 7; } }', false],
  ['BEGIN { $i = 0; while ($i < 10) { if ($i == 3) { } $i++; } }', true],
  ['BEGIN { $i = 0; while ($i < 10) { $b = $i < 3; $i++; } }', true],
  ['BEGIN { $i = 0; while ($i < 10) { @m[$i] = 1; $i++; } }', true],
  ['BEGIN { $i = 0; while ($i < 10) { printf("%d", $i); $i++; } }', true],
  ['BEGIN { $n = 5; for ($i : 0..$n) { $s = $i; } }', true],
  ['BEGIN { $i = 0; while ($i < 10) { if ($i == 3) { dispatch ($i) { 3: { } } } $i++; } }', false],
  // Straight-line loops the verifier could not walk: long constant ranges and bounds, unknown bounds.
  ['BEGIN { for ($i : 0..4096) { $s += $i; } }', false],
  ['BEGIN { for ($i : 0..4097) { $s += $i; } }', true],
  ['BEGIN { $i = 0; while ($i < 300000) { $i++; } }', true],
  ['BEGIN { $i = 0; $n = 9; while ($i < $n) { $i++; } }', true],
  // Kept plain so that the kernel reports a loop that never ends.
  ['BEGIN { while (1) { } }', false],
  ['BEGIN { $i = 0; while ($i >= 0) { $i++; } }', false],
];

for (const [source, expected] of decisions) {
  test(`${expected ? 'callback' : 'plain loop'}: ${source}`, () => {
    assert.is(loopNeedsCallback(firstLoop(source)), expected);
  });
}

test('a body leaves the probe through exit() or return, however deeply nested', () => {
  assert.ok(canLeaveProbe(firstLoop('BEGIN { while (1) { if (pid) { for ($i : 0..2) { exit(); } } } }').body));
  assert.ok(canLeaveProbe(firstLoop('BEGIN { while (1) { if (pid) { return; } } }').body));
  assert.not.ok(canLeaveProbe(firstLoop('BEGIN { while (1) { if (pid) { break; } printf("exit()"); } }').body));
});

test('the variables a loop changes: assignments and updates, nested ones and the condition\'s included, not reads', () => {
  const names = assignedVariables(firstLoop('BEGIN { while ($a-- < 3) { $b = $c; $d += 1; $e++; --$f; if ($g) { $h = 1; } @m[$k] = 1; } }')).map((variable) => variable.name);
  assert.equal(names.sort(), ['a', 'b', 'd', 'e', 'f', 'h']);
});

test('a probe prepares the callback slots only when it has a frame callback, and the leave flag only when one can leave', () => {
  const body = (source: string) => parse(source).program!.probes[0]!.body;
  assert.equal(frameCallbackNeeds(body('BEGIN { $i = 0; while ($i < 3) { $i++; } print(len(@m)); }')), { any: false, leaving: false });
  assert.equal(frameCallbackNeeds(body('BEGIN { for ($kv : @m) { printf("%d", $kv.1); } }')), { any: true, leaving: false });
  assert.equal(frameCallbackNeeds(body('BEGIN { $i = 0; while ($i < 3) { if ($i) { exit(); } $i++; } }')), { any: true, leaving: true });
});

test('a branching loop calls bpf_loop with its callback and the probe\'s frame pointer as the context', () => {
  const text = disassembly('BEGIN { $i = 0; while ($i < 10) { if ($i == 3) { printf("x\\n"); } $i++; } }');
  assert.match(text, /r1 = 8388608\n.*r2 = subprog\[[+-]\d+\]\n.*r3 = r10\n.*r4 = 0\n.*call bpf_loop#181/);
  // The callback takes the frame pointer from r2, then makes $i unknown to the verifier with r1 - r1.
  assert.match(text, /\(bf\) r8 = r2\n.*\(bf\) (r\d) = r1\n.*\(1f\) \1 -= r1\n/);
});

test('a straight-line loop stays a plain loop: no callback, no helper call', () => {
  const text = disassembly('BEGIN { $i = 0; $s = 0; while ($i < 10) { $s += $i; $i++; } }');
  assert.not.match(text, /call/);
  assert.not.match(text, /subprog/);
});

test('a for-map body gets the frame pointer (r4 in the callback) and the probe context from the frame', () => {
  const text = disassembly('tracepoint:syscalls:sys_enter_openat { @m[1] = 1; $x = 5; for ($kv : @m) { $x += args.flags; } }');
  assert.match(text, /r3 = r10\n.*r4 = 0\n.*call bpf_for_each_map_elem#164/);
  // The context pointer was saved at entry; args.flags (offset 32) loads it through r8 first.
  assert.match(text, /\(79\) (r\d) = \*\(u64 \*\)\(r8 -\d+\)\n.*\(79\) \1 = \*\(u64 \*\)\(\1 \+32\)/);
  assert.match(text, /\(bf\) r8 = r4\n/);
  // $x lives in the probe's frame: the body updates it through r8.
  assert.match(text, /\*\(u64 \*\)\(r8 -\d+\) = r\d/);
});

test.run();
