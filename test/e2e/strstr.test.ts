// strstr() and strcap() as today's bpftrace stdlib defines them: the first position of a needle or
// -1 (an empty needle at 0), in literals, str() values at the default max_strlen and comm; a string's
// capacity or an array's length as a constant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync } from 'node:fs';
import { self } from './harness.js';
import { compileErrors } from './harness.js';
import { runScript } from './functions-support.js';

test('strstr(): positions in literals and strings, -1 when absent, 0 for an empty needle', async () => {
  const { stdout } = await runScript(`BEGIN {
    $h = "hello world"; $n = "o w"; $e = "";
    printf("%d %d %d %d %d %d %d\\n", strstr($h, "o"), strstr($h, $n), strstr($h, "zz"), strstr($h, $e), strstr("abc", "c"), strstr("abc", "abcd"), strstr($e, "a"));
    exit();
  }`);
  assert.is(stdout.split('\n')[0], '4 4 -1 0 2 -1 -1');
});

test('strstr() over a 1024-byte str() of the path this test opens: where its file name starts', async () => {
  const path = `/tmp/${'d'.repeat(300)}/needle-here`;
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ {
    $p = str(args.filename); printf("%d %d %d\\n", strstr($p, "needle"), strstr($p, comm), strstr($p, "/"));
  }`, { trigger: () => { try { closeSync(openSync(path, 'r')); } catch { /* ENOENT: the probe ran */ } } });
  assert.is(stdout.split('\n')[0], `${path.indexOf('needle')} ${path.indexOf(self.comm)} 0`);
});

test('strcap(): a string\'s capacity (NUL included), an array\'s length; other values are an error', async () => {
  const { stdout } = await runScript('config = { max_strlen = 100 } BEGIN { printf("%d %d %d %d\\n", strcap("ab"), strcap(comm), strcap(str(0)), strcap((uint8[4])pton("127.0.0.1"))); exit(); }');
  assert.is(stdout.split('\n')[0], '3 16 100 4');
  assert.match(compileErrors('BEGIN { print(strcap(5)); }'), /strcap\(\) needs a string or an array, not int64/);
});

test.run();
