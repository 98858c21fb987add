// Issue 14, item 11: strings cut as today's bpftrace cuts them. Below max_strlen 1024, str() reads one
// byte more than max_strlen: a longer string keeps max_strlen characters and prints with the `..`
// trailer (str_trunc_trailer), wherever a string is printed. str(p, n) reads n bytes, its NUL included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../src/compile.js';
import { configFromEnvironment } from '../../src/cli/environment.js';
import { renderDiagnostics } from '../../src/diagnostics/index.js';
import { self } from './harness.js';
import { atExit } from './case.js';
import { diagnosticsOf, runScript } from './functions-support.js';

const directory = mkdtempSync(join(tmpdir(), 'tsbpf-truncation-'));
const path = join(directory, 'hello.txt');
writeFileSync(path, 'hello\n');
const onlyThisThread = `/tid == ${self.pid}/`;

/** The program sees one openat from this thread, of `opened` (which need not exist). */
function open(opened: string): () => void {
  return () => {
    try {
      closeSync(openSync(opened, 'r'));
    } catch {
      // ENOENT, ENAMETOOLONG: the syscall is what counts.
    }
  };
}

/** What compiling prints (warnings included) with bpftrace's environment variables. */
function warningsOf(source: string, environment: Record<string, string> = {}): string {
  const result = compile(source, { fileName: 'test.bt', environment: configFromEnvironment(environment) });
  assert.ok(result.script, 'it compiles');
  return renderDiagnostics(result.diagnostics, () => source);
}

test('max_strlen 5: a longer path keeps five characters and the `..` trailer in printf, print, map keys and values, and tuples', async () => {
  const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
    printf("%s|%d|%d|%d\\n", str(args.filename), strlen(str(args.filename)), str(args.filename) == "${path}", str(args.filename) == "/tmp");
    print(str(args.filename)); @key[str(args.filename)] = count(); @value = str(args.filename); @tuple = (1, (str(args.filename), 2));
  }`, { trigger: open(path), environment: { BPFTRACE_MAX_STRLEN: '5' } });
  assert.is(stderr, '');
  // Compared as bpftrace compares: within the shorter capacity, so the cut string begins the whole path.
  assert.is(stdout, `/tmp/..|5|1|0\n/tmp/..\n${atExit('@key[/tmp/..]: 1\n@tuple: (1, (/tmp/.., 2))\n@value: /tmp/..\n')}`);
});

test('the trailer: BPFTRACE_STR_TRUNC_TRAILER, and config str_trunc_trailer, which the script sets over the environment', async () => {
  const program = `tracepoint:syscalls:sys_enter_openat ${onlyThisThread} { printf("P: %s\\n", str(args.filename)); }`;
  const environment = { BPFTRACE_MAX_STRLEN: '5', BPFTRACE_STR_TRUNC_TRAILER: '_xxx' };
  assert.is((await runScript(program, { trigger: open(path), environment })).stdout, `P: /tmp/_xxx\n${atExit()}`);
  const configured = await runScript(`config = { max_strlen = 6; str_trunc_trailer = "~" } ${program}`, { trigger: open(path), environment });
  assert.is(configured.stdout, `P: /tmp/t~\n${atExit()}`);
});

test('the trailer in JSON output: part of the string, in printf, print, map keys and tuples', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
    printf("%s\\n", str(args.filename)); print((str(args.filename), 1)); @[str(args.filename)] = 1;
  }`, { trigger: open(path), environment: { BPFTRACE_MAX_STRLEN: '5' }, format: 'json' });
  assert.is(stdout, [
    '{"type": "printf", "data": "/tmp/..\\n"}',
    '{"type": "value", "data": ["/tmp/..",1]}',
    '{"type": "map", "data": {"@": {"/tmp/..": 1}}}',
    '',
  ].join('\n'));
});

test('str(p, 5) reads five bytes, its NUL included: four characters and no trailer, whether 5 is a literal, a variable or an expression', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
    print(str(args.filename, 5)); $a = (uint16)5; print(str(args.filename, $a)); $b = 1; print(str(args.filename, $b + 4));
    $s = "zztest"; print(str($s, 5)); print(str($s, $a)); @[str(args.filename, 5)] = count();
  }`, { trigger: open(path) });
  assert.is(stdout, `/tmp\n/tmp\n/tmp\nzzte\nzzte\n${atExit('@[/tmp]: 1\n')}`);
});

test('str(p, n) longer than max_strlen: bpftrace\'s warning, and the string is cut at max_strlen with the trailer', async () => {
  const program = `tracepoint:syscalls:sys_enter_openat ${onlyThisThread} { print(str(args.filename, 100)); }`;
  assert.is(warningsOf(program, { BPFTRACE_MAX_STRLEN: '8' }), [
    `test.bt:1:${program.indexOf('str(') + 1}-${program.indexOf('100)') + 5}: WARNING: length param (100) is too long and will be shortened to 8 bytes (see BPFTRACE_MAX_STRLEN)`,
    program,
    `${' '.repeat(program.indexOf('str('))}${'~'.repeat('str(args.filename, 100)'.length)}`,
    '',
  ].join('\n'));
  const { stdout } = await runScript(program, { trigger: open(path), environment: { BPFTRACE_MAX_STRLEN: '8' } });
  assert.is(stdout, `${path.slice(0, 8)}..\n${atExit()}`);
});

test('a negative str() length is bpftrace\'s error', () => {
  assert.is(diagnosticsOf('BEGIN { print(str(0, -1)); }'), [
    'test.bt:1:15-25: ERROR: strcannot use negative length (-1)',
    'BEGIN { print(str(0, -1)); }',
    '              ~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('max_strlen 1024 (the default) and over: no byte past max_strlen is read, so a longer string has max_strlen - 1 characters and no trailer', async () => {
  const long = `/${'a'.repeat(1500)}`;
  const program = `tracepoint:syscalls:sys_enter_openat ${onlyThisThread} { printf("%s\\n", str(args.filename)); }`;
  assert.is((await runScript(program, { trigger: open(long) })).stdout, `${long.slice(0, 1023)}\n${atExit()}`);
  const { stdout } = await runScript(program, { trigger: open(long), environment: { BPFTRACE_MAX_STRLEN: '1100' } });
  assert.is(stdout, `${long.slice(0, 1099)}\n${atExit()}`);
});

test.run();
