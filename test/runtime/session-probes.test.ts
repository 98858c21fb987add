// Sessions with the other probe kinds and features the runtime drives: raw tracepoints, interval and
// profile timers, software events, bpf_loop callbacks (which need BTF func_info), and signals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { assemble, MapType, ProgramType, type AsmItem } from '../../src/bpf/index.js';
import * as asm from '../../src/bpf/asm.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../../src/bpf/registers.js';
import { s64, type Type } from '../../src/model/types.js';
import type { ActionDescription, CompiledProgram, CompiledScript, MapDescription } from '../../src/model/artifact.js';
import type { ProbeTarget } from '../../src/model/probe.js';
import { startSession, type SessionOptions } from '../../src/index.js';
import { feature, kernelHasKprobes, needs } from '../support/skip.js';

const tgid = process.pid;
const span = { file: 'test.bt', line: 1, column: 1, offset: 0, length: 1 };
const getppidNumber: Record<string, number> = { x64: 110, arm64: 173 };
const withoutKprobes = feature('a kernel without kprobes (CONFIG_KPROBES off), whose refusal is tested', !kernelHasKprobes);

const maps: MapDescription[] = [
  { name: 'ringbuf', role: 'ring-buffer', mapType: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0, perCpu: false },
  { name: 'lost', role: 'lost-events', mapType: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, perCpu: true },
];
const actions: ActionDescription[] = [
  { kind: 'printf', id: 0, format: 'value %ld\n', fields: [{ offset: 8, type: s64 }], size: 16 },
  { kind: 'exit', id: 1, codeField: { offset: 8, type: s64 }, size: 16 },
];

/** Sends [u64 id, r6] as a record and returns 0. */
const sendR6 = (id: number): AsmItem[] => [
  asm.st('dw', R10, -16, id),
  asm.stx('dw', R10, -8, R6),
  asm.ldMapFd(R1, 'ringbuf'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -16),
  asm.mov64(R3, 16),
  asm.mov64(R4, 0),
  asm.call('ringbuf_output'),
  asm.mov64(R0, 0),
  asm.exit(),
];

function program(name: string, type: number, target: ProbeTarget, items: AsmItem[], functions: string[] = []): CompiledProgram {
  const assembled = assemble(items);
  return {
    name, programType: type, items, assembled, stackBytes: 16,
    functions: functions.map((label) => ({ name: label, slot: assembled.labels.get(label)! })),
    attachments: [{ name: `${target.kind}:${name}`, target, span }],
  };
}

const script = (...programs: CompiledProgram[]): CompiledScript => ({ programs, maps, actions, ringBufferMap: 'ringbuf', lostEventsMap: 'lost' });

function capture(): { options: SessionOptions; stdout: () => string } {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (chunk) => (stdout += chunk));
  return { options: { output: { stdout: out, stderr: new PassThrough() }, banner: false }, stdout: () => stdout };
}

/** exit(code) as the whole program. */
const exitWith = (code: number): AsmItem[] => [asm.mov64(R6, code), ...sendR6(1)];

needs(test, 'rawtracepoint:sys_enter sees this process\'s getppid calls', [feature(`a getppid syscall number known to this test for ${process.arch}`, getppidNumber[process.arch] !== undefined)], async () => {
  const number = getppidNumber[process.arch]!;
  const items: AsmItem[] = [
    asm.mov64(R6, R1),
    asm.call('get_current_pid_tgid'),
    asm.alu64('rsh', R0, 32),
    asm.jmp('ne', R0, tgid, 'out'),
    asm.ldx('dw', R0, R6, 8), // args[1]: the syscall number
    asm.jmp('ne', R0, number, 'out'),
    asm.mov64(R6, number),
    ...sendR6(0),
    asm.label('out'),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
  const output = capture();
  const session = startSession(script(program('sys_enter', ProgramType.RAW_TRACEPOINT, { kind: 'rawtracepoint', name: 'sys_enter' }, items)), output.options);
  for (let index = 0; index < 3; index++) void process.ppid;
  await session.stop();
  assert.is(output.stdout(), `value ${number}\n`.repeat(3) + '\n\n');
});

test('interval:ms:20 fires and its exit() ends the session by itself', async () => {
  const session = startSession(script(program('interval', ProgramType.PERF_EVENT, { kind: 'interval', unit: 'ms', value: 20 }, exitWith(7))), { output: null });
  assert.is(session.attachedProbes, 1);
  assert.is(await session.done, 7);
});

test('profile:hz:99 attaches on every CPU and fires', async () => {
  const session = startSession(script(program('profile', ProgramType.PERF_EVENT, { kind: 'profile', unit: 'hz', value: 99 }, exitWith(3))), { output: null });
  assert.is(await session.done, 3);
});

test('software:cpu-clock with a period fires', async () => {
  const session = startSession(script(program('software', ProgramType.PERF_EVENT, { kind: 'software', event: 'cpu-clock', count: 1_000_000 }, exitWith(4))), { output: null });
  assert.is(await session.done, 4);
});

needs(test, 'probe kinds this kernel cannot attach are refused before anything is left open', [withoutKprobes], () => {
  const before = readdirSync('/proc/self/fd');
  const target: ProbeTarget = { kind: 'kprobe', symbol: 'do_sys_open', offset: 0, isReturn: false };
  assert.throws(() => startSession(script(program('kprobe', ProgramType.KPROBE, target, exitWith(0))), { output: null }), /this kernel cannot attach kprobes/);
  assert.equal(readdirSync('/proc/self/fd'), before);
});

test('a bpf_loop callback loads with the session\'s BTF func_info (sum of 0..9)', async () => {
  const items: AsmItem[] = [
    asm.st('dw', R10, -24, 0),
    asm.mov64(R1, 10),
    asm.ldFunc(R2, 'add_index'),
    asm.mov64(R3, R10),
    asm.alu64('add', R3, -24),
    asm.mov64(R4, 0),
    asm.call('loop'),
    asm.ldx('dw', R6, R10, -24),
    ...sendR6(0),
    asm.label('add_index'),
    asm.ldx('dw', R3, R2, 0),
    asm.alu64('add', R3, R1),
    asm.stx('dw', R2, 0, R3),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
  const output = capture();
  const session = startSession(script(program('looper', ProgramType.RAW_TRACEPOINT, { kind: 'begin' }, items, ['add_index'])), output.options);
  await session.stop();
  assert.is(output.stdout(), 'value 45\n\n\n');
});

test('kstack values are resolved from the stack map and /proc/kallsyms', async () => {
  const stackType: Type = { kind: 'stack', space: 'kernel', limit: 4, mode: 'bpftrace' };
  const stacks: MapDescription = { name: 'stacks', role: 'stack-traces', mapType: MapType.STACK_TRACE, keySize: 4, valueSize: 8 * 127, maxEntries: 128, flags: 0, perCpu: false };
  const printStack: ActionDescription = { kind: 'print-value', id: 2, field: { offset: 8, type: stackType }, size: 16 };
  const items: AsmItem[] = [
    asm.mov64(R6, R1),
    asm.call('get_current_pid_tgid'),
    asm.alu64('rsh', R0, 32),
    asm.jmp('ne', R0, tgid, 'out'),
    asm.mov64(R1, R6),
    asm.ldMapFd(R2, 'stacks'),
    asm.mov64(R3, 0),
    asm.call('get_stackid'),
    asm.mov32(R0, R0), // zero-extends: { u32 id, u32 pid = 0 }
    asm.mov64(R6, R0),
    ...sendR6(2),
    asm.label('out'),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
  const target: ProbeTarget = { kind: 'tracepoint', category: 'syscalls', name: 'sys_enter_getppid' };
  const compiled: CompiledScript = { ...script(program('kstack', ProgramType.TRACEPOINT, target, items)), maps: [...maps, stacks], actions: [...actions, printStack] };
  const output = capture();
  const session = startSession(compiled, output.options);
  void process.ppid;
  await session.stop();
  const frames = output.stdout().split('\n').filter((line) => line.startsWith(' '));
  assert.is(frames.length, 4, output.stdout());
  for (const frame of frames) assert.match(frame, /^ {8}[\w.]+\+\d+$/);
  assert.ok(frames.some((frame) => frame.includes('do_syscall_64+')), output.stdout());
});

test('the globals map holds the session start time (CLOCK_MONOTONIC) before BEGIN runs', async () => {
  const globals: MapDescription = { name: 'globals', role: 'globals', mapType: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, perCpu: false };
  const items: AsmItem[] = [
    asm.st('w', R10, -4, 0),
    asm.ldMapFd(R1, 'globals'),
    asm.mov64(R2, R10),
    asm.alu64('add', R2, -4),
    asm.call('map_lookup_elem'),
    asm.jmp('eq', R0, 0, 'out'),
    asm.ldx('dw', R6, R0, 0),
    ...sendR6(0),
    asm.label('out'),
    asm.mov64(R0, 0),
    asm.exit(),
  ];
  const compiled: CompiledScript = { ...script(program('elapsed', ProgramType.RAW_TRACEPOINT, { kind: 'begin' }, items)), maps: [...maps, globals], globalsMap: 'globals' };
  const output = capture();
  const before = process.hrtime.bigint();
  const session = startSession(compiled, output.options);
  const after = process.hrtime.bigint();
  await session.stop();
  const startNs = BigInt(/^value (\d+)\n/.exec(output.stdout())?.[1] ?? '0');
  assert.ok(before <= startNs && startNs <= after, `${before} <= ${startNs} <= ${after}`);
});

test('installSignalHandlers: SIGTERM stops the session, and the handlers go away', async () => {
  const listeners = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((signal) => process.listenerCount(signal));
  const before = listeners();
  const session = startSession(script(program('idle', ProgramType.RAW_TRACEPOINT, { kind: 'begin' }, [asm.mov64(R0, 0), asm.exit()])), { output: null });
  session.installSignalHandlers();
  assert.equal(listeners(), before.map((count) => count + 1));
  process.kill(process.pid, 'SIGTERM');
  assert.is(await session.done, 0);
  assert.equal(listeners(), before);
});

test.run();
