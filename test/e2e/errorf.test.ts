// errorf() and warnf(): printf's formatting, printed as bpftrace prints them — a located ERROR or
// WARNING line on stderr without the source line, a message with its location in JSON — and the run
// goes on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { atExit } from './case.js';
import { compileErrors, run, self } from './harness.js';

test('errorf(): `file:line:col-end: ERROR: text` on stderr at the call, the probe goes on', async () => {
  const { stdout, stderr, exitCode } = await run('BEGIN { errorf("Something bad with args: %d, %s", 10, "arg2"); printf("after\\n"); exit(); }');
  assert.is(stderr, 'test.bt:1:9-62: ERROR: Something bad with args: 10, arg2\n');
  assert.is(stdout, `after\n${atExit()}`);
  assert.is(exitCode, 0);
});

test('warnf(): a WARNING, with printf\'s conversions and values the program reads', async () => {
  const { stderr } = await run('BEGIN { $x = 0x12345678abcdef; warnf("%hhx %hx %x %jx %d", $x, $x, $x, $x, pid);\n  errorf("two"); exit(); }');
  assert.is(stderr, `test.bt:1:32-80: WARNING: ef cdef 78abcdef 12345678abcdef ${self.pid}\ntest.bt:2:3-16: ERROR: two\n`);
});

test('-f json: errorf and warnf messages with filename, line and column, on stdout', async () => {
  const { stdout, stderr } = await run('BEGIN { errorf("bad %d", 1);\n warnf("meh"); exit(); }', { format: 'json' });
  assert.is(stderr, '');
  assert.equal(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown), [
    { type: 'errorf', msg: 'bad 1', filename: 'test.bt', line: 1, col: 9 },
    { type: 'warnf', msg: 'meh', filename: 'test.bt', line: 2, col: 2 },
  ]);
});

test('the format is a literal whose conversions match the arguments', () => {
  assert.match(compileErrors('BEGIN { errorf(comm); }'), 'errorf() needs a string literal here');
  assert.match(compileErrors('BEGIN { warnf("%d %d", 1); }'), 'warnf: the format has 2 conversions but 1 arguments are given');
  assert.match(compileErrors('BEGIN { errorf(); }'), 'errorf() takes 1 to 64 arguments, not 0');
});

test.run();
