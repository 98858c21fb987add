// Attach points that match nothing, as the tsbpf command reports them (stderr and exit code) in
// today's bpftrace's words — a raw tracepoint of a module that is not there, or of no such name —
// and the missing_probes setting that turns them into warnings (the probe is then removed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { runCli } from '../cli/cli-process.js';
import { compileErrors } from '../e2e/harness.js';
import { file, needs } from '../support/skip.js';

const btf = file('/sys/kernel/btf/vmlinux', 'CONFIG_DEBUG_INFO_BTF: raw tracepoints are found in kernel BTF');
const setWarn = "If this is expected, set the 'missing_probes' config variable to 'warn'.";

/** The diagnostic block tsbpf prints for a one-line `-e` program: location, message, the line, the caret under `part`. */
function located(severity: 'ERROR' | 'WARNING', program: string, part: string, message: string, hint?: string): string {
  const column = program.indexOf(part) + 1;
  return `stdin:1:${column}-${column + part.length}: ${severity}: ${message}\n${program}\n${' '.repeat(column - 1)}${'~'.repeat(part.length)}\n${hint ? `HINT: ${hint}\n` : ''}`;
}

needs(test, 'rawtracepoint:nonsense_mod:sys_exit: No matches, then the probe has no valid attach points; exit 1', [btf], async () => {
  const point = 'rawtracepoint:nonsense_mod:sys_exit';
  const program = `${point} { printf("SUCCESS\\n"); exit(); }`;
  const result = await runCli(['-e', program]);
  assert.is(result.stderr, located('ERROR', program, point, 'No matches for rawtracepoint nonsense_mod:sys_exit.')
    + located('ERROR', program, program, `Probe has no valid attach points. ${setWarn}`));
  assert.is(result.code, 1);
  assert.is(result.stdout, '');
});

needs(test, 'rawtracepoint:nonsense: No matches (with a hint to list them), then no valid attach points', [btf], async () => {
  const point = 'rawtracepoint:nonsense';
  const program = `${point} { print("hit"); exit(); }`;
  const result = await runCli(['-e', program]);
  assert.is(result.stderr, located('ERROR', program, point, 'No matches for rawtracepoint nonsense.', "list them with: tsbpf -l 'rawtracepoint:*nonsense*'")
    + located('ERROR', program, program, `Probe has no valid attach points. ${setWarn}`));
  assert.is(result.code, 1);
});

needs(test, 'missing_probes = "warn": No matches … Skipping., the probe is removed with a warning, and the rest runs', [btf], async () => {
  const point = 'rawtracepoint:nonsense_mod:sys_exit';
  const missing = `${point} { printf("never\\n"); }`;
  const program = `config = { missing_probes = "warn" } ${missing} rawtracepoint:sys_exit { printf("SUCCESS\\n"); exit(); }`;
  const result = await runCli(['-e', program]);
  assert.is(result.stderr, located('WARNING', program, point, 'No matches for rawtracepoint nonsense_mod:sys_exit. Skipping.')
    + located('WARNING', program, missing, 'Probe has no valid attach points. It is being removed which may cause issues with program behavior.')
    + 'Attached 1 probe\n');
  assert.match(result.stdout, /^(SUCCESS\n)+\n\n$/);
  assert.is(result.code, 0);
});

needs(test, 'a module pattern that matches vmlinux attaches: rawtracepoint:vmlinu*:sys_exit, rawtracepoint:vmlinux:sys_exit', [btf], async () => {
  for (const point of ['rawtracepoint:vmlinu*:sys_exit', 'rawtracepoint:vmlinux:sys_exit']) {
    const result = await runCli(['-e', `${point} { printf("SUCCESS %d\\n", gid); exit(); }`]);
    assert.match(result.stdout, /^(SUCCESS \d+\n)+\n\n$/, point);
    assert.is(result.code, 0, result.stderr);
  }
});

test('missing_probes takes ignore, warn or error (any case); anything else is an error at the value', () => {
  assert.is(compileErrors('config = { missing_probes = "sometimes" } BEGIN { }'),
    'test.bt:1:29-40: ERROR: missing_probes: Invalid value for missing_probes: valid values are ignore, warn, and error.\n'
    + 'config = { missing_probes = "sometimes" } BEGIN { }\n                            ~~~~~~~~~~~\n');
});

needs(test, 'the key in any case, with the bpftrace_ prefix: BPFTRACE_MISSING_PROBES = "WARN" warns', [btf], () => {
  const result = compile('config = { BPFTRACE_MISSING_PROBES = "WARN" } rawtracepoint:nonsense { } BEGIN { exit(); }', { fileName: 'test.bt' });
  assert.ok(result.script, 'it compiles');
  assert.equal(result.diagnostics.map((diagnostic) => `${diagnostic.severity}: ${diagnostic.message}`), [
    'warning: No matches for rawtracepoint nonsense. Skipping.',
    'warning: Probe has no valid attach points. It is being removed which may cause issues with program behavior.',
  ]);
  assert.is(result.script!.programs.length, 1, 'only BEGIN is left');
});

test.run();
