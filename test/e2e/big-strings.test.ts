// Issue 14, item 11: max_strlen = 9999, as bpftrace's str_big cases. The strings live in a scratch
// area bigger than a per-CPU map value holds (a for-map body's values too, where a 9999-byte key and
// value make a 19998-byte $kv), and the programs load into the real verifier and print whole strings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync } from 'node:fs';
import { self } from './harness.js';
import { atExit } from './case.js';
import { runScript } from './functions-support.js';

const onlyThisThread = `/tid == ${self.pid}/`;
const environment = { BPFTRACE_MAX_STRLEN: '9999' };
const big = `/${'X'.repeat(5555)}`;

/** One openat from this thread of a 5556-character path (refused: ENAMETOOLONG; the syscall is what counts). */
function open(): void {
  try {
    closeSync(openSync(big, 'r'));
  } catch {
    // expected
  }
}

const bigCases: [string, string, string][] = [
  ['a map key', '@[str(args.filename)] = count();', atExit(`@[${big}]: 1\n`)],
  ['strncmp', 'if (strncmp(str(args.filename), "/XXX", 4) == 0) { print("matched"); }', `matched\n${atExit()}`],
  ['printf', 'printf("%s\\n", str(args.filename));', `${big}\n${atExit()}`],
  ['print', 'print(str(args.filename));', `${big}\n${atExit()}`],
  ['a nested tuple', 'print((1, (2, str(args.filename))));', `(1, (2, ${big}))\n${atExit()}`],
  ['a for-map body: key and value, and $kv, printed', '@map[str(args.filename)] = str(args.filename); for ($kv : @map) { print($kv); }',
    `(${big}, ${big})\n${atExit(`@map[${big}]: ${big}\n`)}`],
];
for (const [name, body, expected] of bigCases) {
  test(`a 5556-character path: ${name}`, async () => {
    const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} { ${body} }`, { trigger: open, environment });
    assert.is(stderr, '');
    assert.is(stdout, expected);
  });
}

test('a string read at BEGIN, then copied from map to map', async () => {
  const { stdout } = await runScript('BEGIN { @s = str(0); @ss = @s; print("success!"); exit(); }', { environment });
  assert.is(stdout, `success!\n${atExit('@s: \n@ss: \n')}`);
});

test.run();
