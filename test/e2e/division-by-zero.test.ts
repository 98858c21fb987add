// Division and modulo by zero behave as in today's bpftrace: the result is 1, and each time it happens
// a warning names the expression (text: at its source line; JSON: a runtime_error message). Two
// constant operands are a compile-time error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../cli/cli-process.js';

const warning = 'Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.';

test('x / 0 and x % 0 are 1, with a warning at the expression each time; a non-zero divisor divides', async () => {
  const program = 'BEGIN { @z = 0; $a = 10 / @z; $b = 10 % @z; printf("%d %d %d %d\\n", $a, $b, 10 / (@z + 3), -7 % (@z + 4)); clear(@z); exit(); }';
  const result = await runCli(['-q', '-e', program]);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, '1 1 3 -3\n\n\n');
  const caret = (column: number, width: number) => `${' '.repeat(column - 1)}${'~'.repeat(width)}`;
  assert.is(result.stderr, `stdin:1:22-29: WARNING: ${warning}\n${program}\n${caret(22, 7)}\n`
    + `stdin:1:36-43: WARNING: ${warning}\n${program}\n${caret(36, 7)}\n`);
});

test('in JSON the warning is a runtime_error message with its place', async () => {
  const result = await runCli(['-q', '-f', 'json', '-e', 'BEGIN { @z = 0; printf("%d\\n", 7 / @z); clear(@z); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines[0], { type: 'runtime_error', msg: warning, filename: 'stdin', line: 1, col: 32 });
  assert.equal(lines[1], { type: 'printf', data: '1\n' });
});

test('two constant operands dividing by zero do not compile', async () => {
  const result = await runCli(['-e', 'BEGIN { printf("%d\\n", 5 / 0); exit(); }']);
  assert.is(result.code, 1);
  assert.match(result.stderr, /^stdin:1:24-29: ERROR: division by zero of two constants\n/);
});

test.run();
