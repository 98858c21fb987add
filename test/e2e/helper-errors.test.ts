// -k (bpftrace's --warnings): a probe read that fails is reported at its place in the script, with
// the helper and its return value, as today's bpftrace reports it (json-output/helper_error); without
// -k the read leaves zeros and says nothing. The reads here really fail in the kernel: a user-space
// address 0 from a syscall tracepoint (EFAULT), and a kernel address below the kernel's (ERANGE).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync } from 'node:fs';
import { self } from './harness.js';
import { runScript } from './functions-support.js';
import { runCli } from '../cli/cli-process.js';

const openHostname = () => closeSync(openSync('/etc/hostname', 'r'));

// A user pointer made of the filename's own address minus itself: NULL, in the user address space.
const nullRead = `tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ {
  $p = (struct flock *)((uint64)args.filename - (uint64)args.filename);
  printf("%d\\n", $p->l_pid);
}`;

test('with -k a failed user read warns "Bad address" at the field access, and the value is 0', async () => {
  const { stdout, stderr } = await runScript(nullRead, { trigger: openHostname, probeReadWarnings: true });
  assert.is(stdout.split('\n')[0], '0');
  const column = nullRead.split('\n')[2]!.indexOf('$p->l_pid') + 1;
  // (The session prints the source line and caret when it has the source: the CLI test below.)
  assert.is(stderr.split('\n').slice(0, 2).join('\n'), [
    `test.bt:3:${column}-${column + '$p->l_pid'.length}: WARNING: Bad address`,
    'Additional Info - helper: probe_read_user, retcode: -14',
  ].join('\n'));
});

test('without -k the same read is silent', async () => {
  const { stdout, stderr } = await runScript(nullRead, { trigger: openHostname });
  assert.is(stdout.split('\n')[0], '0');
  assert.is(stderr, '');
});

test('in JSON: bpftrace\'s helper_error record, its column where the field access starts (inside parentheses)', async () => {
  const source = `tracepoint:syscalls:sys_enter_openat /tid == ${self.pid}/ { $v = ((struct flock *)((uint64)args.filename - (uint64)args.filename)).l_type; }`;
  const { stdout } = await runScript(source, { trigger: openHostname, probeReadWarnings: true, format: 'json' });
  const column = source.indexOf('(struct flock') + 1;
  assert.ok(stdout.includes(`{"type": "helper_error", "msg": "Bad address", "helper": "probe_read_user", "retcode": -14, "filename": "test.bt", "line": 1, "col": ${column}}\n`), stdout);
});

test('every kind of probe read reports: str() of a bad kernel address, buf(), a kernel struct field (the CLI\'s -k)', async () => {
  const result = await runCli(['-k', '-e', 'BEGIN { $s = str(8); $b = buf(8, 4); $t = (struct task_struct *)8; $x = $t->pid; exit(); }']);
  assert.is(result.code, 0, result.stderr);
  const helpers = [...result.stderr.matchAll(/Additional Info - helper: (\w+), retcode: (-\d+)/g)].map((match) => match[1]);
  assert.equal(helpers, ['probe_read_kernel_str', 'probe_read_kernel', 'probe_read_kernel']);
  assert.is([...result.stderr.matchAll(/retcode: (-\d+)/g)].every((match) => Number(match[1]) < 0), true);
  // Located as any warning: the place, the helper's line, the source line and a caret under str(8).
  assert.match(result.stderr, /^stdin:1:14-20: WARNING: .+\nAdditional Info - helper: probe_read_kernel_str, retcode: -\d+\nBEGIN \{ \$s = str\(8\);.*\n {13}~{6}\n/m);
});

test.run();
