// strerror(errno) end to end: constants and a value in every place a value goes (printf, print(), a
// variable, a map printed at exit), an errno the kernel returns to this process, JSON, the checker's
// refusals, and the same program's output from bpftrace 0.17 when it is installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { atExit } from './case.js';
import { compileErrors, onlySelf, run } from './harness.js';
import { needs, tool } from '../support/skip.js';

const everywhere = 'BEGIN { printf("%s|%s|%s\\n", strerror(0), strerror(200), strerror(-2)); print(strerror(13)); @a = strerror(1); $x = strerror(5); printf("%s\\n", $x); exit(); }';

test('strerror(): the C library\'s text in printf, print(), a variable and a map', async () => {
  const { stdout, stderr } = await run(everywhere);
  assert.is(stderr, '');
  assert.is(stdout, `Success|Unknown error 200|Unknown error -2\nPermission denied\nInput/output error\n${atExit('@a: Operation not permitted\n')}`);
});

needs(test, 'strerror() prints what bpftrace prints', tool('bpftrace'), async () => {
  const { stdout } = await run(everywhere);
  assert.is(stdout, bpftraceOutput(everywhere), 'as bpftrace prints it');
});

test('strerror() of the errno the kernel returns: openat of a missing file is ENOENT', async () => {
  const { stdout } = await run(`tracepoint:syscalls:sys_exit_openat ${onlySelf.replace('/', '/args.ret < 0 && ')} { printf("%s\\n", strerror(-args.ret)); exit(); }`, {
    trigger: () => {
      try {
        openSync('/nonexistent/tsbpf-strerror', 'r');
      } catch {
        // ENOENT is the point.
      }
    },
    awaitExit: true,
  });
  assert.is(stdout, `No such file or directory\n${atExit()}`);
});

test('-f json: the text is a JSON string wherever it appears', async () => {
  const { stdout } = await run('BEGIN { print(strerror(13)); printf("%s\\n", strerror(2)); @e = strerror(1); exit(); }', { format: 'json' });
  const messages = stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
  assert.equal(messages, [
    { type: 'value', data: 'Permission denied' },
    { type: 'printf', data: 'No such file or directory\n' },
    { type: 'map', data: { '@e': 'Operation not permitted' } },
  ]);
});

test('strerror() takes one integer and is text for printf', () => {
  assert.match(compileErrors('BEGIN { printf("%s\\n", strerror("a")); }'), 'strerror() needs an integer here, not string[2]');
  assert.match(compileErrors('BEGIN { printf("%s\\n", strerror()); }'), 'strerror() takes 1 argument, not 0');
  assert.match(compileErrors('BEGIN { printf("%d\\n", strerror(2)); }'), 'printf: %d needs an integer, but this is strerror');
});

test('a map key, as bpftrace\'s strerror() string is', async () => {
  const { stdout } = await run('BEGIN { @m[strerror(4), 1] = 1; exit(); }');
  assert.is(stdout, atExit('@m[Interrupted system call, 1]: 1\n'));
});

/** bpftrace's stdout for `program`, without its banner; undefined when bpftrace is not installed. */
/** bpftrace's stdout for `program` (a bpftrace that is present but fails is a failure). */
function bpftraceOutput(program: string): string {
  const stdout = execFileSync('bpftrace', ['-e', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
  return stdout.replace(/^Attaching \d+ probes?\.\.\.\n/, '');
}

test.run();
