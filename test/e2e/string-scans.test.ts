// strlen() and strcontains() over strings longer than 64 bytes run as bpf_loop callbacks (a callback
// per byte or start position; see src/codegen/byte-scan.ts). These check them against the path each
// run opened, at the edges: a string that fills its capacity, a needle at the very end of what was
// kept and one that runs past the cut, needles as long as the haystack, on the stack (max_strlen 100,
// 200) and in the scratch area (1024), and inside a loop that is itself a callback.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync } from 'node:fs';
import { self } from './harness.js';
import { runScript } from './functions-support.js';

/** Opens `path` (it need not exist: sys_enter_openat sees the name either way). */
function open(path: string): () => void {
  return () => {
    try {
      closeSync(openSync(path, 'r'));
    } catch {
      // ENOENT: the probe has run.
    }
  };
}

/** The characters str() keeps of a string: max_strlen below 1024 (the pad byte), one fewer from 1024. */
function kept(path: string, maxStrlen: number): string {
  return path.slice(0, maxStrlen < 1024 ? maxStrlen : maxStrlen - 1);
}

const program = (maxStrlen: number, end: string, across: string) => `config = { max_strlen = ${maxStrlen} }
tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ {
  $s = str(args.filename); $tail = str(args.filename + 7);
  printf("%d %d %d %d %d %d %d\\n", strlen($s), strlen($tail), strcontains($s, "${end}"), strcontains($s, "${across}"),
    strcontains($s, $tail), strcontains($s, $s), strcontains($tail, $s));
  for ($i : 0..2) { printf("%d %d\\n", strlen($s) + $i, strcontains($s, "${end}")); }
}`;

/** What the program prints for `path`, computed here from the path and str()'s cut. */
function expected(path: string, maxStrlen: number, end: string, across: string): string {
  const s = kept(path, maxStrlen);
  const tail = kept(path.slice(7), maxStrlen);
  const bit = (value: boolean) => (value ? 1 : 0);
  const first = [s.length, tail.length, bit(s.includes(end)), bit(s.includes(across)), bit(s.includes(tail)), 1, bit(tail.includes(s))];
  const loop = [0, 1].map((i) => `${s.length + i} ${bit(s.includes(end))}`);
  return [first.join(' '), ...loop].join('\n') + '\n';
}

for (const maxStrlen of [100, 200, 1024]) {
  for (const delta of [-1, 0, 1, 40]) {
    const length = (maxStrlen < 1024 ? maxStrlen : maxStrlen - 1) + delta;
    test(`max_strlen ${maxStrlen}, a ${length}-character path: lengths, needles at the cut and past it, whole-string needles`, async () => {
      // A path of distinct-looking characters: the last kept ones are "xyz", the first dropped one "Q".
      const body = Array.from({ length: length - 1 }, (_, index) => 'abcdefghijklmnop'[index % 16]).join('');
      let path = `/${body}`;
      const keep = Math.min(path.length, maxStrlen < 1024 ? maxStrlen : maxStrlen - 1);
      path = `${path.slice(0, keep - 3)}xyz${path.length > keep ? 'Q' + path.slice(keep + 1) : ''}`;
      const end = 'yz';
      const across = 'zQ';
      const { stdout, stderr } = await runScript(program(maxStrlen, end, across), { trigger: open(path) });
      assert.is(stderr.replace(/^WARNING: .*str\(\).*\n/m, ''), '');
      const printed = stdout.split('\n\n')[0]! + '\n';
      assert.is(printed, expected(path, maxStrlen, end, across));
    });
  }
}

test('a needle longer than the haystack, and an empty haystack and needle, over 1024-byte strings', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ {
    $s = str(args.filename); $e = str(args.filename + strlen($s)); $short = str(args.filename, 5);
    printf("%d %d %d %d %d %d\\n", strlen($e), strcontains($e, $e), strcontains($s, $e), strcontains($e, $s), strcontains($short, $s), strcontains($s, "/nonexistent-dir/x"));
  }`, { trigger: open('/nonexistent-dir/xy') });
  assert.is(stdout.split('\n\n')[0], '0 1 1 0 0 1');
});

test.run();
