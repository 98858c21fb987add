// Raw tracepoints: argN are the TP_PROTO arguments, and args.NAME names them from vmlinux BTF. Fired by
// this process's own syscalls (sys_enter) and children (sched_process_fork).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { openVmlinuxBtf } from '../../src/btf/index.js';
import { matchRawTracepoints, rawTracepointContext } from '../../src/providers/rawtracepoint.js';
import { callGetppid, compileErrors, compileScript, run, self } from '../e2e/harness.js';
import { feature, needs } from '../support/skip.js';

const getppid: Record<string, number> = { x64: 110, arm64: 173 };
const syscall = getppid[process.arch];
const knownGetppid = feature(`a getppid syscall number known to this test for ${process.arch}`, syscall !== undefined);

test('BTF names and types the arguments: sys_enter(regs, id), sched_switch(preempt, prev, next, prev_state)', () => {
  const btf = openVmlinuxBtf();
  const sysEnter = rawTracepointContext(btf, 'sys_enter')!;
  assert.equal(sysEnter.fields!.map((field) => [field.name, field.type, field.offset, field.size, field.signed]),
    [['regs', 'struct pt_regs *', 0, 8, false], ['id', 'long int', 8, 8, true]]);
  const sched = rawTracepointContext(btf, 'sched_switch')!;
  assert.equal(sched.fields!.slice(0, 3).map((field) => [field.name, field.offset, field.size]), [['preempt', 0, 1], ['prev', 8, 8], ['next', 16, 8]]);
  assert.is(rawTracepointContext(btf, 'no_such_tracepoint'), undefined);
  assert.ok(matchRawTracepoints(btf, 'sched_process_*').includes('sched_process_fork'));
});

needs(test, 'rawtracepoint:sys_enter: args.id and arg1 are the syscall number', [knownGetppid], async () => {
  const result = await run(`rawtracepoint:sys_enter /pid == ${self.pid} && args.id == ${syscall}/ { printf("%d %d %d\\n", args.id, arg1, args.regs != 0); }`, {
    trigger: () => callGetppid(3),
  });
  assert.is(result.stdout, `${syscall} ${syscall} 1\n`.repeat(3) + '\n\n');
});

test('a rawtracepoint wildcard expands over BTF; one program while the body reads no arguments', async () => {
  const script = compileScript('rawtracepoint:sched_process_f* { @[probe] = count(); }');
  assert.ok(script.programs.flatMap((program) => program.attachments.map((attachment) => attachment.name)).includes('rawtracepoint:sched_process_fork'));
  assert.is(compileScript('rawtracepoint:sched_process_* { @ = count(); }').programs.length, 1);
  const result = await run(`rawtracepoint:sched_process_fork /pid == ${self.pid}/ { @ = count(); }`, {
    trigger: () => {
      for (let index = 0; index < 2; index++) spawnSync('true');
    },
  });
  assert.is(result.stdout, '\n\n@: 2\n');
});

const noAttachPoints = "ERROR: Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable to 'warn'.";

test('rawtracepoint errors: unknown tracepoint, unmatched wildcard, unknown argument', () => {
  assert.is(compileErrors('rawtracepoint:no_such_tp { }'),
    "test.bt:1:1-25: ERROR: No matches for rawtracepoint no_such_tp.\nrawtracepoint:no_such_tp { }\n~~~~~~~~~~~~~~~~~~~~~~~~\nHINT: list them with: tsbpf -l 'rawtracepoint:*no_such_tp*'\n"
    + `test.bt:1:1-29: ${noAttachPoints}\nrawtracepoint:no_such_tp { }\n${'~'.repeat(28)}\n`);
  assert.is(compileErrors('rawtracepoint:no_such_* { }'),
    "test.bt:1:1-24: ERROR: No matches for rawtracepoint no_such_*.\nrawtracepoint:no_such_* { }\n~~~~~~~~~~~~~~~~~~~~~~~\nHINT: list them with: tsbpf -l 'rawtracepoint:*'\n"
    + `test.bt:1:1-28: ${noAttachPoints}\nrawtracepoint:no_such_* { }\n${'~'.repeat(27)}\n`);
  assert.is(compileErrors('rawtracepoint:sys_enter { print(args.nope); }'),
    "test.bt:1:33-42: ERROR: Can't find function parameter nope\nrawtracepoint:sys_enter { print(args.nope); }\n                                ~~~~~~~~~\nHINT: its arguments: regs, id\n");
});

test.run();
