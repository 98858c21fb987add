// assert(cond, msg): nothing while the condition holds; when it fails, bpftrace's message (located at
// the errorf of its stdlib macro, expanded from the call) and the run ends with status 1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { atExit } from './case.js';
import { callGetppid, compileErrors, run, self } from './harness.js';
import { runCli } from '../cli/cli-process.js';

const failing = 'BEGIN { assert(1 == 1, "fine"); printf("a\\n"); assert(pid == 0, "My error message"); printf("b\\n"); }';

test('a failed assertion: bpftrace\'s located message, nothing after it runs, exit status 1', async () => {
  const { stdout, stderr, exitCode } = await run(failing);
  assert.is(stdout, `a\n${atExit()}`);
  assert.is(stderr, 'stdlib/base.bt:6:5-37: ERROR: assert failed: My error message\ntest.bt:1:48-84: ERROR: expanded from\n');
  assert.is(exitCode, 1);
});

test('the command line shows the assert() call under "expanded from"', async () => {
  const { stderr, code } = await runCli(['-e', failing]);
  assert.is(stderr, 'Attached 1 probe\nstdlib/base.bt:6:5-37: ERROR: assert failed: My error message\n'
    + 'stdin:1:48-84: ERROR: expanded from\n'
    + `${failing}\n${' '.repeat(47)}${'~'.repeat(36)}\n`);
  assert.is(code, 1);
});

test('an assertion on events: it holds for some, fails on the third, with a message the program reads', async () => {
  const { stdout, stderr, exitCode } = await run(`tracepoint:syscalls:sys_enter_getppid /pid == ${self.pid}/ { @n++; assert(@n < 3, comm); printf("%d\\n", @n); }`, {
    trigger: () => callGetppid(3),
    awaitExit: true,
  });
  assert.is(stdout, `1\n2\n${atExit('@n: 3\n')}`);
  assert.match(stderr, `stdlib/base.bt:6:5-37: ERROR: assert failed: ${self.comm}\n`);
  assert.is(exitCode, 1);
});

test('-f json: the errorf message at the macro\'s location', async () => {
  const { stdout, exitCode } = await run('BEGIN { assert(false, "x"); }', { format: 'json' });
  assert.equal(JSON.parse(stdout.trim()), { type: 'errorf', msg: 'assert failed: x', filename: 'stdlib/base.bt', line: 6, col: 5 });
  assert.is(exitCode, 1);
});

test('a condition and a string message', () => {
  assert.match(compileErrors('BEGIN { assert(1); }'), 'assert() takes 2 arguments, not 1');
  assert.match(compileErrors('BEGIN { assert(1, 2); }'), 'assert() needs a string here, not');
  assert.match(compileErrors('BEGIN { assert("a", "b"); }'), 'assert() needs a condition here, not string[2]');
});

test.run();
