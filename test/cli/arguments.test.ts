// The command line as data, without running anything: options to Invocations, usage errors, -c
// word splitting and executable lookup, and -l search patterns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArguments, UsageError, type Invocation, type RunRequest } from '../../src/cli/arguments.js';
import { resolveExecutable, splitCommandLine } from '../../src/cli/child-command.js';
import { parseSearch, SearchError } from '../../src/cli/list/search.js';

function parse(argv: string[]): { invocation?: Invocation; out: string; err: string; usage?: UsageError } {
  let out = '';
  let err = '';
  try {
    const invocation = parseArguments(argv, { out: (text) => (out += text), err: (text) => (err += text) });
    return { invocation, out, err };
  } catch (error) {
    if (error instanceof UsageError) return { out, err, usage: error };
    throw error;
  }
}

function run(argv: string[]): RunRequest {
  const { invocation, err } = parse(argv);
  if (invocation?.kind !== 'run') throw new Error(`expected a run request from ${argv.join(' ')}: ${err}`);
  return invocation;
}

test('-e with its parameters, and every run option as data', () => {
  const request = run(['-e', 'BEGIN {}', '-f', 'json', '-o', 'out.txt', '-B', 'line', '-q', '--unsafe', '-k', '-v', '-d', 'ast', '-d', 'asm', '--dry-run', '-p', '42', 'a', 'b']);
  assert.equal(request.program, { kind: 'inline', text: 'BEGIN {}' });
  assert.equal(request.positional, ['a', 'b']);
  assert.is(request.format, 'json');
  assert.is(request.outputFile, 'out.txt');
  assert.is(request.buffering, 'line');
  assert.is(request.quiet, true);
  assert.is(request.unsafe, true);
  assert.is(request.helperErrorChecks, 1);
  assert.is(request.verbose, true);
  assert.equal([...request.debugStages], ['ast', 'asm']);
  assert.is(request.dryRun, true);
  assert.is(request.targetPid, 42);
});

test('defaults: text, no buffering override, no stages', () => {
  const request = run(['-e', 'BEGIN {}']);
  assert.is(request.format, 'text');
  assert.is(request.buffering, undefined);
  assert.is(request.quiet, false);
  assert.is(request.helperErrorChecks, 0);
  assert.is(request.debugStages.size, 0);
  assert.is(request.targetPid, undefined);
  assert.is(request.command, undefined);
});

test('a script file takes the first argument, - means stdin, the rest are parameters (also after --)', () => {
  assert.equal(run(['script.bt', '1', '2']).program, { kind: 'file', path: 'script.bt' });
  assert.equal(run(['script.bt', '1', '2']).positional, ['1', '2']);
  assert.equal(run(['-', 'x']).program, { kind: 'stdin' });
  assert.equal(run(['script.bt', '--', '-5', '--flag']).positional, ['-5', '--flag']);
  assert.equal(run(['-e', 'BEGIN {}', '--', '-5']).positional, ['-5']);
});

test('-d all means every stage', () => {
  assert.equal([...run(['-d', 'all', '-e', 'x']).debugStages].sort(), ['asm', 'ast', 'verifier']);
});

test('-l and -lv: all probes, a search, or a program', () => {
  assert.equal(parse(['-l']).invocation, { kind: 'list', what: { kind: 'all' }, verbose: false });
  assert.equal(parse(['-lv', 't:sched:*']).invocation, { kind: 'list', what: { kind: 'search', pattern: 't:sched:*' }, verbose: true });
  assert.equal(parse(['-l', '-v', 'BEGIN']).invocation, { kind: 'list', what: { kind: 'search', pattern: 'BEGIN' }, verbose: true });
  assert.equal(parse(['--list', '--verbose', 'BEGIN']).invocation, { kind: 'list', what: { kind: 'search', pattern: 'BEGIN' }, verbose: true });
  assert.equal(parse(['-l', '-e', 'BEGIN {}']).invocation, { kind: 'list', what: { kind: 'program', program: { kind: 'inline', text: 'BEGIN {}' } }, verbose: false });
});

test('-V and -h', () => {
  assert.equal(parse(['-V']).invocation, { kind: 'version' });
  const help = parse(['-h']);
  assert.equal(help.invocation, { kind: 'help' });
  assert.match(help.out, /^tsbpf - .*\n\nUSAGE:\n/);
  // Every option the parser accepts is in the usage text, in both spellings where it has two.
  for (const flag of ['-e', '-l', '--list', '-p', '--pid', '-c', '--cmd', '-o', '--output', '-f', '-q', '--quiet', '-B', '--unsafe', '-k', '--warnings', '-v', '--verbose', '-d', '--debug', '--dry-run', '-V', '--version', '-h', '--help']) {
    assert.match(help.out, new RegExp(`(^|[ ,])${flag}[ ,\\n]`), flag);
  }
});

test('usage errors: nothing to run, bad values, conflicting options', () => {
  const cases: [string[], RegExp][] = [
    [[], /no program given/],
    [['-l', 'a', 'b'], /one search pattern/],
    [['-c', 'ls', '-p', '1', '-e', 'x'], /-c and -p/],
    [['-c', '  ', '-e', 'x'], /-c needs a command/],
  ];
  for (const [argv, message] of cases) {
    const { usage } = parse(argv);
    assert.ok(usage, argv.join(' '));
    assert.match(usage!.message, message);
  }
  for (const argv of [['-f', 'yaml', '-e', 'x'], ['-B', 'x', '-e', 'x'], ['-p', '0', '-e', 'x'], ['-p', '12x', '-e', 'x'], ['--nope']]) {
    const { usage, err } = parse(argv);
    assert.ok(usage, argv.join(' '));
    assert.match(err, /^error: /, 'commander said what is wrong');
  }
});

test('-c command lines split at spaces as bpftrace splits them: quotes are part of the words', () => {
  assert.equal(splitCommandLine('ls -l /tmp'), ['ls', '-l', '/tmp']);
  assert.equal(splitCommandLine("/bin/echo 'A'"), ['/bin/echo', "'A'"]);
  assert.equal(splitCommandLine('printf "%s\\n" "x y"'), ['printf', '"%s\\n"', '"x', 'y"']);
  assert.equal(splitCommandLine('  a   b  '), ['a', 'b']);
  assert.equal(splitCommandLine("echo 'open"), ['echo', "'open"], 'an unmatched quote is just a character');
});

test('-c finds its program on PATH, or says it cannot', () => {
  assert.is(resolveExecutable('sh', '/nonexistent:/bin'), '/bin/sh');
  assert.is(resolveExecutable('/bin/sh', ''), '/bin/sh');
  assert.throws(() => resolveExecutable('sh', '/nonexistent'), /command not found in PATH/);
  const plainFile = join(mkdtempSync(join(tmpdir(), 'tsbpf-exec-')), 'not-a-program');
  writeFileSync(plainFile, 'data', { mode: 0o644 });
  assert.throws(() => resolveExecutable(plainFile, '/bin'), /not executable/);
});

test('-l searches: provider globs, aliases, whole-line globs, bare providers', () => {
  const tracepoint = parseSearch('t:syscalls:sys_enter_open*');
  assert.equal(tracepoint.providers, ['tracepoint']);
  assert.ok(tracepoint.matches('tracepoint:syscalls:sys_enter_openat', 'tracepoint'));
  assert.not.ok(tracepoint.matches('tracepoint:syscalls:sys_exit_openat', 'tracepoint'));

  const anywhere = parseSearch('*openat*');
  assert.ok(anywhere.providers.includes('tracepoint') && anywhere.providers.includes('rawtracepoint'));
  assert.ok(anywhere.matches('tracepoint:syscalls:sys_enter_openat', 'tracepoint'));
  assert.is(anywhere.explainMissing, true);
  assert.is(parseSearch('BEGIN').providers.length, 1);
  assert.ok(parseSearch('BEGIN').matches('BEGIN', 'begin'));

  const software = parseSearch('software:cpu-clock:1000');
  assert.ok(software.matches('software:cpu-clock:', 'software'), 'a count after the event does not narrow the search');
  assert.not.ok(software.matches('software:cpu:', 'software'));

  const providers = parseSearch('*:sched:*');
  assert.ok(providers.providers.includes('tracepoint'));
  assert.ok(providers.matches('tracepoint:sched:sched_switch', 'tracepoint'));

  assert.throws(() => parseSearch('sched:*'), (error: unknown) => error instanceof SearchError && error.hint === "did you mean 'tracepoint:sched:*'?");
});

test.run();
