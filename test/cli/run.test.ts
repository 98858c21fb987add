// The command line end to end for running programs: where the program comes from (-e, a file,
// stdin), positional parameters, output formats and files, diagnostics and exit codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, lines, runCli } from './cli-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'tsbpf-cli-'));

test('-e runs a program, prints its output and the maps at exit, and exits 0', async () => {
  const result = await runCli(['-e', 'BEGIN { printf("hello %d\\n", 41 + 1); @calls = count(); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, 'hello 42\n\n\n@calls: 1\n');
  assert.match(result.stderr, /^Attached 1 probe\n$/);
});

test('-q leaves out the banner', async () => {
  const result = await runCli(['-q', '-e', 'BEGIN { printf("quiet\\n"); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stderr, '');
  assert.is(lines(result.stdout).join('|'), 'quiet');
});

test('positional parameters follow -e, with or without --', async () => {
  const program = 'BEGIN { printf("%s %d %d\\n", $1, $2, $#); exit(); }';
  const plain = await runCli(['-e', program, 'word', '7']);
  assert.is(plain.code, 0, plain.stderr);
  assert.is(lines(plain.stdout)[0], 'word 7 2');
  const dashed = await runCli(['-e', program, '--', '-x', '9']);
  assert.is(dashed.code, 0, dashed.stderr);
  assert.is(lines(dashed.stdout)[0], '-x 9 2');
});

test('a script file runs with its parameters, and its diagnostics name the file', async () => {
  const path = join(scratch, 'sum.bt');
  writeFileSync(path, 'BEGIN {\n  printf("sum %d\\n", $1 + $2);\n  exit();\n}\n');
  const result = await runCli([path, '3', '4']);
  assert.is(result.code, 0, result.stderr);
  assert.is(lines(result.stdout)[0], 'sum 7');

  const broken = join(scratch, 'broken.bt');
  writeFileSync(broken, 'BEGIN {\n  @x = nosuchfunction(1);\n}\n');
  const failed = await runCli([broken]);
  assert.is(failed.code, 1);
  assert.ok(failed.stderr.startsWith(`${broken}:2:8`), failed.stderr);
});

test('- reads the program from stdin', async () => {
  const result = await runCli(['-', 'from-stdin'], { input: 'BEGIN { printf("%s\\n", $1); exit(); }' });
  assert.is(result.code, 0, result.stderr);
  assert.is(lines(result.stdout)[0], 'from-stdin');
});

test('a missing script file is a one-line ERROR and exit code 1, not a stack trace', async () => {
  const missing = join(scratch, 'does-not-exist.bt');
  const result = await runCli([missing]);
  assert.is(result.code, 1);
  assert.is(result.stderr, `ERROR: failed to open file '${missing}': No such file or directory\n`);
});

test('-l with a missing file name warns that it is taken as a search pattern, as bpftrace does', async () => {
  const result = await runCli(['-l', 'no-such-script.bt']);
  assert.is(result.code, 0);
  assert.is(result.stderr, "WARNING: It appears that 'no-such-script.bt' is a filename but the file does not exist. Treating 'no-such-script.bt' as a search pattern.\n");
  assert.is((await runCli(['-l', 'tracepoint:sched:sched_switch'])).stderr, '', 'a probe pattern gets no such warning');
});

test('a syntax error is rendered with its location and a marker under the column, exit code 1', async () => {
  const source = 'BEGIN { printf("x" }';
  const result = await runCli(['-e', source]);
  assert.is(result.code, 1);
  assert.is(result.stdout, '');
  const [location, sourceLine, marker] = result.stderr.split('\n');
  const match = /^stdin:1:(\d+)(?:-(\d+))?: ERROR: .+/.exec(location!);
  assert.ok(match, result.stderr);
  assert.is(sourceLine, source);
  const column = Number(match![1]);
  assert.match(marker!, /^ *[~^]+$/);
  assert.is(marker!.search(/[~^]/) + 1, column, 'the marker starts at the reported column');
  assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
});

test('a type error is a diagnostic with a caret line too', async () => {
  const result = await runCli(['-e', 'BEGIN { @x = nosuchfunction(1); }']);
  assert.is(result.code, 1);
  assert.match(result.stderr, /^stdin:1:14-\d+: ERROR: .*nosuchfunction/);
  assert.match(result.stderr, /\n {13}~+\n/);
});

test('-f json prints one JSON document per line, every line of it', async () => {
  const result = await runCli(['-f', 'json', '-e', 'BEGIN { printf("json %d\\n", 5); @m[1] = 2; @c = count(); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  const documents = lines(result.stdout).map((line) => JSON.parse(line) as { type: string; data: unknown });
  assert.equal(documents.map((document) => document.type), ['attached_probes', 'printf', 'map', 'map']);
  assert.is(documents[1]!.data, 'json 5\n');
  assert.equal(documents[2]!.data, { '@c': 1 });
  assert.equal(documents[3]!.data, { '@m': { '1': 2 } });
});

test('-o writes the output to a file and nothing to stdout', async () => {
  const path = join(scratch, 'out.txt');
  const result = await runCli(['-o', path, '-e', 'BEGIN { printf("to the file\\n"); @x = 3; exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout, '');
  assert.is(readFileSync(path, 'utf8'), 'to the file\n\n\n@x: 3\n');

  const unwritable = await runCli(['-o', join(scratch, 'no', 'such', 'dir', 'out.txt'), '-e', 'BEGIN { exit(); }']);
  assert.is(unwritable.code, 1);
  assert.match(unwritable.stderr, /^ERROR: failed to open output file .*ENOENT/);
});

test('-B none, line and full all deliver the whole output by the end', async () => {
  for (const mode of ['none', 'line', 'full']) {
    const result = await runCli(['-B', mode, '-e', 'BEGIN { printf("a"); printf("b\\n"); @n = 1; exit(); }']);
    assert.is(result.code, 0, result.stderr);
    assert.is(result.stdout, 'ab\n\n\n@n: 1\n', mode);
  }
});

test('exit(code) becomes the exit code', async () => {
  const result = await runCli(['-e', 'BEGIN { exit(3); }']);
  assert.is(result.code, 3, result.stderr);
});

test('-k and --unsafe are accepted; -kk is refused as today\'s bpftrace refuses it', async () => {
  const doubled = await runCli(['-kk', '-e', 'BEGIN { exit(); }']);
  assert.is(doubled.code, 2, doubled.stderr);
  assert.match(doubled.stderr, /-kk has been deprecated\. Use a single -k for runtime warnings for errors in map lookups and probe reads\./);
  for (const flags of [['-k'], ['--unsafe']]) {
    const result = await runCli([...flags, '-e', 'BEGIN { exit(); }']);
    assert.is(result.code, 0, `${flags.join(' ')}: ${result.stderr}`);
  }
});

test('--no-warnings: compile warnings are not printed, errors still are; -k with it is refused (either order)', async () => {
  const program = 'BEGIN { $x = (uint64)(uint64)pid; exit(); }';
  const warned = await runCli(['-e', program]);
  assert.match(warned.stderr, /WARNING: Unnecessary cast/);
  const quiet = await runCli(['--no-warnings', '-e', program]);
  assert.is(quiet.code, 0, quiet.stderr);
  assert.not.match(quiet.stderr, /WARNING/);
  const failing = await runCli(['--no-warnings', '-e', 'BEGIN { $x = (uint64)(uint64)pid; print(nope); }']);
  assert.is(failing.code, 1);
  assert.match(failing.stderr, /ERROR: unknown identifier: nope/);
  assert.not.match(failing.stderr, /WARNING/);
  for (const flags of [['-k', '--no-warnings'], ['--no-warnings', '-k']]) {
    const both = await runCli([...flags, '-e', 'BEGIN { exit(); }']);
    assert.is(both.code, 2, flags.join(' '));
    assert.match(both.stderr, /-k, --warnings conflicts with --no-warnings/);
  }
});

test('bpftrace\'s LLVM and ahead-of-time flags are refused with the reason', async () => {
  const cases: [string[], RegExp][] = [
    [['--emit-llvm', 'out.ll'], /--emit-llvm: tsbpf has no LLVM stage/],
    [['--emit-elf', 'out.o'], /--emit-elf: tsbpf loads its programs directly/],
    [['--aot', 'out'], /--aot: tsbpf has no ahead-of-time mode/],
  ];
  for (const [flags, message] of cases) {
    const result = await runCli([...flags, '-e', 'BEGIN { exit(); }']);
    assert.is(result.code, 2, flags.join(' '));
    assert.match(result.stderr, message);
  }
});

test('--include FILE and -I DIR: a header\'s constants and definitions before the script\'s; a missing one is located on the command line', async () => {
  // bpftrace's runtime case (call/strerror): --include errno.h makes EPERM known.
  const errno = await runCli(['--include', 'errno.h', '-e', 'BEGIN { print(strerror(EPERM)); exit(); }']);
  assert.is(errno.stdout.split('\n')[0], 'Operation not permitted', errno.stderr);
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-include-'));
  writeFileSync(join(directory, 'mine.h'), '#define ANSWER 42\nstruct pair { int a; int b; };\n');
  const quoted = await runCli(['-I', directory, '-e', '#include "mine.h"\nBEGIN { print((ANSWER, sizeof(struct pair))); exit(); }']);
  assert.is(quoted.stdout.split('\n')[0], '(42, 8)', quoted.stderr);
  const included = await runCli(['--include', 'mine.h', '-I', directory, '-e', 'BEGIN { print(ANSWER); exit(); }']);
  assert.is(included.stdout.split('\n')[0], '42', included.stderr);
  const missing = await runCli(['--include', 'nothere.h', '-e', 'BEGIN { exit(); }']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /^command line:1:1: ERROR: cannot find include file <nothere\.h>/);
});

test('usage errors exit with 2 and say what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [[], /no program given/],
    [['-x', '-e', 'BEGIN {}'], /unknown option '-x'/],
    [['-f', 'xml', '-e', 'BEGIN {}'], /'xml' is invalid/],
    [['-B', 'sometimes', '-e', 'BEGIN {}'], /'sometimes' is invalid/],
    [['-d', 'llvm', '-e', 'BEGIN {}'], /'llvm' is invalid/],
    [['-p', 'abc', '-e', 'BEGIN {}'], /process id/],
    [['-p', '1', '-c', 'true', '-e', 'BEGIN {}'], /-c and -p cannot be used together/],
    [['-e'], /argument missing/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.is(result.stdout, '');
  }
});

test('-V prints the version from package.json; -h prints the usage; both exit 0', async () => {
  const manifest = JSON.parse(readFileSync(join(cliPath, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  const version = await runCli(['-V']);
  assert.is(version.code, 0);
  assert.is(version.stdout, `tsbpf v${manifest.version}\n`);
  const help = await runCli(['-h']);
  assert.is(help.code, 0);
  // bpftrace's layout: a title line, then USAGE:, OPTIONS:, … sections.
  assert.match(help.stdout, /^tsbpf - .*\n\nUSAGE:\n    tsbpf \[options\] filename\n/);
  for (const section of ['OPTIONS:', 'TROUBLESHOOTING OPTIONS:', 'EXAMPLES:']) assert.ok(help.stdout.includes(`\n${section}\n`), section);
  for (const option of ["-e 'program'", '-l, --list', '-p, --pid PID', '-c, --cmd CMD', '-o, --output FILE', '-f FORMAT', '-B MODE', '--dry-run', '--unsafe']) {
    assert.ok(help.stdout.includes(`    ${option}`), `help lists ${option}`);
  }
});

test('-d ast prints the program back as canonical source; -d asm prints each program with its probes', async () => {
  const result = await runCli(['-d', 'ast', '-d', 'asm', '--dry-run', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid > 1/ {@n=count();}']);
  assert.is(result.code, 0, result.stderr);
  const [ast, asm] = result.stdout.split('tracepoint:syscalls:sys_enter_getppid\n; program');
  assert.ok(ast!.startsWith('tracepoint:syscalls:sys_enter_getppid /pid > 1/ {\n'), result.stdout);
  assert.match(ast!, /@n = count\(\);/);
  assert.ok(asm !== undefined, result.stdout);
  assert.match(asm!, /^ \S+: \d+ instructions, \d+ bytes of stack\n/);
  assert.match(asm!, /call bpf_get_current_pid_tgid#14/);
  assert.match(asm!, /\(95\) exit/);
});

test.run();
