// Failure text: a verifier rejection that names an instruction is shown under the script line that
// instruction came from, with the kernel's reason; other failures are one ERROR line, plus a hint.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeFailure } from '../../src/cli/failure.js';
import { compile } from '../../src/compile.js';
import { SyscallError } from '../../src/loader/native.js';
import { VerifierError } from '../../src/loader/verifier-error.js';
import { TracefsError } from '../../src/loader/tracefs.js';

const source = 'BEGIN { @x = 1; }\ntracepoint:syscalls:sys_enter_getppid { @y = count(); }\n';
const compiled = compile(source, { fileName: 'script.bt' });

test('a rejection at an instruction is rendered at that instruction\'s source span, with a caret line', () => {
  const script = compiled.script!;
  assert.ok(script, 'the test script compiles');
  const program = script.programs.find((candidate) => candidate.attachments.some((attachment) => attachment.target.kind === 'tracepoint'))!;
  const slot = program.assembled.spans.findIndex((span) => span !== undefined && span.line === 2);
  assert.ok(slot >= 0, 'some instruction comes from line 2');
  const span = program.assembled.spans[slot]!;
  const log = ['0: R1=ctx() R10=fp0', `${slot}: (85) call bpf_map_lookup_elem#1`, 'R2 type=ctx expected=fp', 'processed 5 insns (limit 1000000)'].join('\n');
  const error = new VerifierError({ programName: program.name.slice(0, 15), errno: 13, logText: log });
  const text = describeFailure(error, { script, sourceFor: (file) => (file === 'script.bt' ? source : undefined) });
  const [location, line, marker] = text.split('\n');
  assert.ok(location!.startsWith(`script.bt:2:${span.column}`), text);
  assert.match(location!, /ERROR: the kernel's verifier rejected program \S+: .*R2 type=ctx expected=fp/);
  assert.is(line, source.split('\n')[1]);
  assert.is(marker!.search(/[~^]/) + 1, span.column);
});

test('-v adds the whole log; without it a hint says how to see it', () => {
  const log = ['0: R1=ctx() R10=fp0', '1: (b7) r0 = 0', 'something earlier', 'the reason'].join('\n');
  const error = new VerifierError({ programName: 'unknown_prog', errno: 13, logText: log });
  const brief = describeFailure(error, {});
  assert.is(brief.split('\n')[0], "ERROR: the kernel's verifier rejected program unknown_prog: the reason");
  assert.match(brief, /HINT: run with -v for the kernel's full verifier log/);
  const verbose = describeFailure(error, { verbose: true });
  assert.match(verbose, /Kernel error log:\n0: R1=ctx\(\) R10=fp0\n1: \(b7\) r0 = 0\nsomething earlier\nthe reason\n$/);
});

test('system call and tracefs failures are one ERROR line; EPERM says what is needed', () => {
  // The EPERM hint names the capabilities this process lacks (test/reliability covers each case).
  // Which hint is right follows from this process's CapEff, read here independently of tsbpf.
  const effective = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  const has = (bit: number) => (effective & (1n << BigInt(bit))) !== 0n;
  const missing = has(21) ? [] : [...(has(39) ? [] : ['CAP_BPF']), ...(has(38) ? [] : ['CAP_PERFMON'])];
  const hint = missing.length === 0
    ? 'HINT: tsbpf has CAP_BPF and CAP_PERFMON, so the kernel refused for another reason (lockdown, a security module, a sysctl)\n'
    : `HINT: tsbpf runs without ${missing.join(' and ')}: run it as root\n`;
  assert.is(describeFailure(new SyscallError('bpf(PROG_LOAD)', 1)), `ERROR: bpf(PROG_LOAD): EPERM\n${hint}`);
  assert.is(describeFailure(new TracefsError('tracepoint not found: a:b')), 'ERROR: tracepoint not found: a:b\n');
  assert.is(describeFailure('odd'), 'ERROR: odd\n');
});

test.run();
