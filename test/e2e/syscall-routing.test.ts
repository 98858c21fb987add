// Syscall routing against the real kernel: the same script compiled with syscallRouting 'always'
// (one raw_syscalls program tail-calling per-syscall programs by number) and 'never' (one perf event
// per syscall tracepoint) runs as two sessions at once, while a small C helper makes known syscalls
// a known number of times — among them syscalls newer than the installed unistd.h, whose numbers
// scripts/gen-syscalls.mjs supplies. Both must count the same, and the per-tracepoint path reads
// the kernel's own syscall number (`args->__syscall_nr`), which must be the table's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../src/compile.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import type { SyscallRouting } from '../../src/codegen/syscall-routing.js';
import { syscallNumbers } from '../../src/codegen/syscalls.generated.js';
import { hasErrors, renderDiagnostics } from '../../src/diagnostics/index.js';
import { startSession, type Session } from '../../src/index.js';
import { cc, needs, x86_64 } from '../support/skip.js';

/** What the helper calls: tracepoint name, x86-64 number, arguments (C expressions). Entry i is called i + 1 times. */
const calls: readonly { readonly tracepoint: string; readonly number: number; readonly args: string }[] = [
  { tracepoint: 'getppid', number: 110, args: '' },
  { tracepoint: 'newuname', number: 63, args: ', &names' },
  { tracepoint: 'newfstat', number: 5, args: ', 0, buffer' },
  { tracepoint: 'cachestat', number: 451, args: ', -1, buffer, buffer, 0' },
  { tracepoint: 'fchmodat2', number: 452, args: ', AT_FDCWD, missing, 0, 0' },
  { tracepoint: 'futex_wake', number: 454, args: ', 0, 0, 0, 0' },
  { tracepoint: 'statmount', number: 457, args: ', 0, 0, 0, 0' },
  { tracepoint: 'listmount', number: 458, args: ', 0, 0, 0, 0' },
  { tracepoint: 'lsm_list_modules', number: 461, args: ', 0, 0, 0' },
  { tracepoint: 'mseal', number: 462, args: ', 0, 0, 0' },
  { tracepoint: 'getxattrat', number: 464, args: ', AT_FDCWD, missing, 0, "user.tsbpf", 0, 0' },
  { tracepoint: 'file_getattr', number: 468, args: ', AT_FDCWD, missing, 0, 0, 0' },
];
const exits = ['getppid', 'newuname', 'cachestat', 'fchmodat2', 'mseal', 'file_getattr'];

// Writes "ready", waits for a line on stdin, makes the calls, then writes each call's result
// (-errno on failure) as `name=result` on one line: the values the exit tracepoints must see.
const helperSource = `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void) {
  static char buffer[4096], report[4096];
  static const char missing[] = "/nonexistent/tsbpf-routing";
  struct utsname names;
  long results[${calls.length}];
  if (write(1, "ready\\n", 6) != 6 || read(0, buffer, sizeof buffer) <= 0) return 1;
${calls.map((call, index) => `  for (int time = 0; time <= ${index}; time++) results[${index}] = syscall(${call.number}${call.args});
  if (results[${index}] == -1) results[${index}] = -errno;`).join('\n')}
  int length = 0;
${calls.map((call, index) => `  length += snprintf(report + length, sizeof report - length, "${call.tracepoint}=%ld ", results[${index}]);`).join('\n')}
  report[length - 1] = '\\n';
  return write(1, report, length) == length ? 0 : 1;
}
`;

// The numbers are x86-64's (the only table scripts/gen-syscalls.mjs makes).
const onX64 = x86_64.present;
const kernelTest = (name: string, handler: () => unknown): void => needs(test, name, [x86_64, cc], handler as () => Promise<void>);
const helperPath = join(mkdtempSync(join(tmpdir(), 'tsbpf-routing-')), 'syscall-caller');
if (onX64 && cc.present) {
  writeFileSync(`${helperPath}.c`, helperSource);
  execFileSync('cc', ['-O1', '-o', helperPath, `${helperPath}.c`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** How often the helper makes call `index`. */
function expectedCount(index: number): number {
  return index + 1;
}

interface Helper {
  readonly pid: number;
  /** Lets it make its calls; resolves with its report (call → result) once it has exited. */
  run(): Promise<Record<string, number>>;
}

async function startHelper(): Promise<Helper> {
  const child = spawn(helperPath, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Its start-up syscalls (the loader's mmaps, fstats) are over once it says ready.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => output.startsWith('ready\n') && resolve());
    void exited.then(() => reject(new Error(`the helper exited before it was ready: ${output}`)));
  });
  return {
    pid: child.pid!,
    run: async () => {
      child.stdin.end('go\n');
      assert.is(await exited, 0, output);
      const report = output.slice('ready\n'.length).trim();
      return Object.fromEntries(report.split(' ').map((pair) => [pair.split('=')[0]!, Number(pair.split('=')[1])]));
    },
  };
}

function sourceFor(pid: number): string {
  return `tracepoint:syscalls:sys_enter_${calls.map((call) => call.tracepoint).join(',\ntracepoint:syscalls:sys_enter_')}
  /pid == ${pid}/
  {
    @calls[probe] = count();
    @number[probe] = max(args->__syscall_nr);
  }
  tracepoint:syscalls:sys_exit_${exits.join(',\ntracepoint:syscalls:sys_exit_')}
  /pid == ${pid}/
  {
    @calls[probe] = count();
    @returned[probe] = max(args->ret);
  }`;
}

function compileWith(source: string, syscallRouting: SyscallRouting): CompiledScript {
  const result = compile(source, { fileName: 'routing.bt', syscallRouting });
  if (!result.script || hasErrors(result.diagnostics)) throw new Error(renderDiagnostics(result.diagnostics, () => source));
  return result.script;
}

interface Captured {
  readonly session: Session;
  readonly output: () => string;
}

function startCaptured(script: CompiledScript): Captured {
  let stdout = '';
  const session = startSession(script, {
    banner: false,
    output: { format: 'text', stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stdout += `stderr: ${text}`) } },
  });
  return { session, output: () => stdout };
}

/** `@name[key]: value` lines of a printed map, as { key: value }. */
function mapEntries(output: string, name: string): Record<string, number> {
  const entries: Record<string, number> = {};
  for (const match of output.matchAll(new RegExp(`^@${name}\\[([^\\]]+)\\]: (-?\\d+)$`, 'gm'))) entries[match[1]!] = Number(match[2]);
  return entries;
}

test('the supplementary syscall numbers are the ones this test calls', () => {
  for (const call of calls) {
    const name = call.tracepoint.replace(/^new(uname|fstat)$/, '$1');
    assert.is(syscallNumbers[name], call.number, name);
  }
});

kernelTest('routed and per-tracepoint sessions, attached at the same time, count every call alike', async () => {
  const helper = await startHelper();
  const source = sourceFor(helper.pid);
  const routed = compileWith(source, 'always');
  const direct = compileWith(source, 'never');
  assert.equal(routed.programs.filter((program) => program.routesSyscalls).map((program) => program.attachments.map((attachment) => attachment.name)), [
    ['tracepoint:raw_syscalls:sys_enter'], ['tracepoint:raw_syscalls:sys_exit'],
  ]);
  assert.is(routed.programs.filter((program) => program.attachments.length > 0).length, 2, 'only the two dispatchers attach');
  assert.ok(direct.programs.every((program) => !program.tailCall && program.attachments.length === 1));

  const sessions = [startCaptured(routed), startCaptured(direct)];
  try {
    const report = await helper.run();
    await Promise.all(sessions.map(({ session }) => session.stop()));
    const [routedOutput, directOutput] = sessions.map(({ output }) => output());

    const expectedCalls: Record<string, number> = {};
    const expectedNumbers: Record<string, number> = {};
    calls.forEach((call, index) => {
      expectedCalls[`tracepoint:syscalls:sys_enter_${call.tracepoint}`] = expectedCount(index);
      expectedNumbers[`tracepoint:syscalls:sys_enter_${call.tracepoint}`] = call.number;
    });
    const expectedReturns: Record<string, number> = {};
    for (const name of exits) {
      expectedCalls[`tracepoint:syscalls:sys_exit_${name}`] = expectedCount(calls.findIndex((call) => call.tracepoint === name));
      expectedReturns[`tracepoint:syscalls:sys_exit_${name}`] = report[name]!;
    }
    assert.is(report.getppid, process.pid, 'the helper is this process\'s child');
    for (const [label, output] of [['routed', routedOutput!], ['per tracepoint', directOutput!]] as const) {
      assert.equal(mapEntries(output, 'calls'), expectedCalls, `${label}:\n${output}`);
      assert.equal(mapEntries(output, 'number'), expectedNumbers, `${label}:\n${output}`);
      assert.equal(mapEntries(output, 'returned'), expectedReturns, `${label}:\n${output}`);
      assert.not.match(output, /stderr:/);
    }
  } finally {
    await Promise.all(sessions.map(({ session }) => session.stop()));
  }
});

kernelTest('the whole sys_enter_* wildcard, routed, counts the helper\'s calls by tracepoint name', async () => {
  const helper = await startHelper();
  const script = compileWith(`tracepoint:syscalls:sys_enter_* /pid == ${helper.pid}/ { @calls[probe] = count(); }`, 'auto');
  assert.is(script.programs.filter((program) => program.attachments.length > 0).length, 1, 'only the sys_enter dispatcher attaches');
  const { session, output } = startCaptured(script);
  try {
    await helper.run();
    await session.stop();
  } finally {
    await session.stop();
  }
  const expected: Record<string, number> = {};
  calls.forEach((call, index) => (expected[`tracepoint:syscalls:sys_enter_${call.tracepoint}`] = expectedCount(index)));
  // After its calls, the helper writes its report and exits.
  expected['tracepoint:syscalls:sys_enter_write'] = 1;
  expected['tracepoint:syscalls:sys_enter_exit_group'] = 1;
  assert.equal(mapEntries(output(), 'calls'), expected, output());
});

kernelTest('auto routes a probe block from 8 syscall tracepoints on; other tracepoints in the block stay attached', () => {
  const names = ['getppid', 'getpid', 'getuid', 'getgid', 'gettid', 'umask', 'kill', 'newuname'];
  const block = (count: number) => `${names.slice(0, count).map((name) => `tracepoint:syscalls:sys_enter_${name}`).join(', ')}, tracepoint:sched:sched_process_exec { @[probe] = count(); }`;
  const seven = compileWith(block(7), 'auto');
  assert.ok(seven.programs.every((program) => !program.routesSyscalls && !program.tailCall));
  const eight = compileWith(block(8), 'auto');
  const attached = eight.programs.flatMap((program) => program.attachments.map((attachment) => attachment.name)).sort();
  assert.equal(attached, ['tracepoint:raw_syscalls:sys_enter', 'tracepoint:sched:sched_process_exec']);
  const routedIndices = eight.programs.filter((program) => program.tailCall).map((program) => [program.reachedBy!.map((point) => point.name).join(), program.tailCall!.indices]);
  assert.equal(routedIndices, [
    ['tracepoint:syscalls:sys_enter_getppid', [110]], ['tracepoint:syscalls:sys_enter_getpid', [39]], ['tracepoint:syscalls:sys_enter_getuid', [102]],
    ['tracepoint:syscalls:sys_enter_getgid', [104]], ['tracepoint:syscalls:sys_enter_gettid', [186]], ['tracepoint:syscalls:sys_enter_umask', [95]],
    ['tracepoint:syscalls:sys_enter_kill', [62]], ['tracepoint:syscalls:sys_enter_newuname', [63]],
  ]);
  assert.ok(compileWith(block(8), 'never').programs.every((program) => !program.routesSyscalls));
  assert.ok(compileWith(block(1), 'always').programs.some((program) => program.routesSyscalls));
});

test.run();
