// Issue 9, part 5: bad programs and bad environments, each through the CLI as a user meets them: a
// clear message naming the culprit, exit code 1, no stack trace, nothing on stdout. And the soft
// limits: a full map is reported once by name while the run goes on; a string longer than
// max_strlen keeps max_strlen characters and the `..` trailer.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missingCapabilities } from '../../src/cli/failure.js';
import { cliPath, runCli, startCli, type CliResult } from '../cli/cli-process.js';
import { stackTrace } from './kernel-objects.js';
import { feature, needs, tool } from '../support/skip.js';

function assertRejected(result: CliResult, ...mentions: RegExp[]): void {
  assert.is(result.code, 1, `exit code 1, got ${result.code}: ${result.stderr}`);
  assert.is(result.stdout, '', 'nothing on stdout');
  assert.match(result.stderr, /^(\S+:\d+:\d+(-\d+)?: )?ERROR: /m);
  for (const mention of mentions) assert.match(result.stderr, mention);
  assert.not.match(result.stderr, stackTrace, 'no stack trace');
  assert.not.match(result.stderr, /internal error/i);
}

const badPrograms: readonly (readonly [what: string, program: string, mentions: RegExp[]])[] = [
  ['an unknown provider', 'nosuchprovider:foo { }', [/stdin:1:1/, /nosuchprovider/]],
  ['an unknown tracepoint', 'tracepoint:nosuch:thing { }', [/nosuch:thing/]],
  ['a tracepoint wildcard that matches nothing', 'tracepoint:syscalls:sys_enter_nope_* { }', [/sys_enter_nope_\*/]],
  ['an unknown function', 'BEGIN { nosuchfunction(1); }', [/stdin:1:9/, /nosuchfunction/]],
  ['a uprobe on a missing binary', 'uprobe:/nonexistent/tsbpf-binary:main { }', [/\/nonexistent\/tsbpf-binary/]],
  ['a uprobe on a missing symbol', 'uprobe:/bin/sh:tsbpf_no_such_symbol { }', [/tsbpf_no_such_symbol/]],
  ['a string where printf wants an integer', 'BEGIN { printf("%d\\n", comm); }', [/stdin:1:24/, /%d/]],
  ['an integer where strlen wants a string', 'BEGIN { @n = strlen(5); }', [/strlen/]],
  ['an exit code that is a string', 'BEGIN { exit("bye"); }', [/exit/]],
  ['a map used with two value types', 'BEGIN { @m = 1; @m = "s"; }', [/@m/]],
  ['a map used with two key types', 'BEGIN { @m[1] = 1; @m["a"] = 2; }', [/@m/]],
  ['an aggregation of a string', 'BEGIN { @s = sum(comm); }', [/sum/]],
  ['a script without probes', '// only a comment', [/no probes/]],
];

for (const [what, program, mentions] of badPrograms) {
  test(`${what}: a clear message and exit code 1`, async () => {
    assertRejected(await runCli(['-e', program]), ...mentions);
  });
}

const dropAll = ['--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--'];
const unshare = tool('unshare');
/** A feature probe, not the code under test: may this process create a mount namespace? */
const mountNamespaces = feature('permission to create a mount namespace (unshare -m)', unshare.present && spawnSync('unshare', ['-m', 'true']).status === 0);

needs(test, 'without capabilities (setpriv drops them all): says which capabilities are missing', [tool('setpriv')], async () => {
  const result = spawnSync('setpriv', [...dropAll, process.execPath, cliPath, '-e', 'tracepoint:syscalls:sys_enter_openat { @ = count(); }'], { encoding: 'utf8', timeout: 20_000 });
  assertRejected({ code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr }, /EPERM/, /HINT: tsbpf runs without CAP_BPF and CAP_PERFMON/);
});

needs(test, 'with CAP_BPF but without CAP_PERFMON (capsh): the program load is refused, naming CAP_PERFMON', [tool('capsh')], async () => {
  const command = `${process.execPath} ${cliPath} -e 'tracepoint:syscalls:sys_enter_openat { @ = count(); }'`;
  const result = spawnSync('capsh', ['--drop=cap_perfmon,cap_sys_admin', '--', '-c', command], { encoding: 'utf8', timeout: 20_000 });
  assertRejected({ code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr }, /HINT: tsbpf runs without CAP_PERFMON: run it as root/);
});

test('missingCapabilities reads CapEff: CAP_SYS_ADMIN covers both, otherwise each missing one is named', () => {
  const status = (mask: bigint) => `Name:\tnode\nCapEff:\t${mask.toString(16).padStart(16, '0')}\n`;
  const bit = (n: number) => 1n << BigInt(n);
  assert.equal(missingCapabilities(status(0n)), ['CAP_BPF', 'CAP_PERFMON']);
  assert.equal(missingCapabilities(status(bit(39))), ['CAP_PERFMON']);
  assert.equal(missingCapabilities(status(bit(38))), ['CAP_BPF']);
  assert.equal(missingCapabilities(status(bit(38) | bit(39))), []);
  assert.equal(missingCapabilities(status(bit(21))), []);
  assert.is(missingCapabilities('no capability line'), undefined);
});

needs(test, 'tracefs not mounted (a mount namespace without it): tracepoints say how to mount it; raw tracepoints still run', [unshare, tool('umount'), mountNamespaces], async () => {
  const inNamespace = (program: string) => {
    const unmount = 'umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null;'
      + ' ! grep -qE " (tracefs|debugfs) " /proc/self/mounts || exit 77;';
    return spawnSync('unshare', ['-m', 'sh', '-c', `${unmount} exec "$0" "$@"`, process.execPath, cliPath, '-e', program], { encoding: 'utf8', timeout: 20_000 });
  };
  const tracepoint = inNamespace('tracepoint:syscalls:sys_enter_openat { @ = count(); }');
  // unshare and mount namespaces are there (checked before the test): a hang or a failed umount is a failure.
  assert.is(tracepoint.error, undefined, `tsbpf in the namespace did not finish: ${tracepoint.error}`);
  assert.is.not(tracepoint.status, 77, 'umount of tracefs failed in the new mount namespace');
  assertRejected({ code: tracepoint.status, signal: tracepoint.signal, stdout: tracepoint.stdout, stderr: tracepoint.stderr }, /tracefs is not mounted/, /mount -t tracefs/);
  const raw = inNamespace('rawtracepoint:sys_enter { @ = count(); } interval:ms:100 { exit(); }');
  assert.is(raw.status, 0, raw.stderr);
  assert.match(raw.stdout, /@: [1-9]\d*/);
});

test('a map that fills up: one warning naming it, however often it is read, and the run goes on', async () => {
  const program = 'config = { max_map_keys = 8 } BEGIN { for ($i : 0..20) { @full[$i] = $i; @fine[$i % 4] = count(); } print(@full); print(@full); }'
    + ' interval:ms:50 { @ticks = count(); if (@ticks == 3) { exit(); } }';
  const result = await runCli(['-e', program]);
  assert.is(result.code, 0, result.stderr);
  const warnings = result.stderr.split('\n').filter((line) => /WARNING/.test(line));
  assert.equal(warnings.length, 1, result.stderr);
  assert.match(warnings[0]!, /^stdin:1:\d+(-\d+)?: WARNING: map @full is full \(8 entries\): updates with new keys were dropped; raise max_map_keys/);
  assert.match(result.stdout, /@ticks: 3\n/, 'the run went on after the map filled');
  assert.is(result.stdout.match(/^@full\[\d+\]: \d+$/gm)?.length, 8 * 3, 'two print() calls and the dump at exit, 8 entries each');
});

test('a string longer than max_strlen keeps max_strlen characters and the `..` trailer', async () => {
  const path = `/tmp/${'s'.repeat(120)}`;
  // The cut string equals the whole path: strings compare within the shorter capacity, as in bpftrace.
  const program = `config = { max_strlen = 32 } tracepoint:syscalls:sys_enter_openat /str(args.filename) == "${path}"/`
    + ' { printf("%s|%d\\n", str(args.filename), strlen(str(args.filename))); exit(); }';
  const running = startCli(['-e', program]);
  await running.waitFor('Attached 1 probe');
  const opener = setInterval(() => {
    try {
      closeSync(openSync(path, 'r'));
    } catch {
      // ENOENT is fine: the openat happened
    }
  }, 20);
  const result = await running.result.finally(() => clearInterval(opener));
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, `${path.slice(0, 32)}..|32\n\n\n`);
});

test.run();
