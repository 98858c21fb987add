// Sessions against the real kernel: hand-assembled CompiledScripts (a tgid-filtered tracepoint on
// sys_enter_getppid counting into a PERCPU_HASH and sending printf records, BEGIN/END programs
// writing exit/print/clear records), triggered with real getppid calls (process.ppid).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { assemble, MapType, ProgramType, type AsmItem } from '../../src/bpf/index.js';
import * as asm from '../../src/bpf/asm.js';
import { R0, R1, R2, R3, R4, R6, R7, R10 } from '../../src/bpf/registers.js';
import { stringType, u64, s64 } from '../../src/model/types.js';
import type { ActionDescription, CompiledProgram, CompiledScript, MapDescription } from '../../src/model/artifact.js';
import type { ProbeTarget } from '../../src/model/probe.js';
import { VerifierError } from '../../src/loader/verifier-error.js';
import { startSession } from '../../src/index.js';
import type { SessionOptions } from '../../src/runtime/session.js';
import type { SessionEvent } from '../../src/runtime/records.js';

const tgid = process.pid;
const span = { file: 'test.bt', line: 1, column: 1, offset: 0, length: 1 };
const comm = readFileSync('/proc/self/comm', 'utf8').trim();

const ringBuffer: MapDescription = { name: 'ringbuf', role: 'ring-buffer', mapType: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0, perCpu: false };
const lostEvents: MapDescription = { name: 'lost', role: 'lost-events', mapType: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, perCpu: true };
const calls: MapDescription = {
  name: 'AT_calls', role: 'user', scriptName: '@calls', mapType: MapType.PERCPU_HASH, keySize: 8, valueSize: 8, maxEntries: 64, flags: 0,
  keyType: u64, value: { kind: 'count' }, perCpu: true,
};

const actions: ActionDescription[] = [
  { kind: 'printf', id: 0, format: 'getppid by %d (%s)\n', fields: [{ offset: 8, type: u64 }, { offset: 16, type: stringType(16) }], size: 32 },
  { kind: 'exit', id: 1, codeField: { offset: 8, type: s64 }, size: 16 },
  { kind: 'printf', id: 2, format: 'hello from %s\n', fields: [{ offset: 8, type: stringType(8) }], size: 16 },
  { kind: 'print-map', id: 3, map: 'AT_calls', top: 0, divisor: 0, size: 8 },
  { kind: 'clear', id: 4, map: 'AT_calls', size: 8 },
];

/** Sends the record [u64 id, u64 word] (16 bytes) or just the id (8 bytes). */
function sendRecord(id: number, word?: bigint): AsmItem[] {
  const size = word === undefined ? 8 : 16;
  return [
    asm.st('dw', R10, -16, id),
    ...(word === undefined ? [] : [asm.lddw(R1, word), asm.stx('dw', R10, -8, R1)]),
    asm.ldMapFd(R1, 'ringbuf'),
    asm.mov64(R2, R10),
    asm.alu64('add', R2, -16),
    asm.mov64(R3, size),
    asm.mov64(R4, 0),
    asm.call('ringbuf_output'),
  ];
}

/** Text as 8 NUL-padded bytes in a little-endian u64. */
function text8(text: string): bigint {
  const bytes = new Uint8Array(8);
  bytes.set(new TextEncoder().encode(text));
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

/** @calls[tgid] = count(); printf("getppid by %d (%s)\n", tgid, comm); counting failed writes in `lost`. */
const countGetppid: AsmItem[] = [
  asm.call('get_current_pid_tgid'),
  asm.alu64('rsh', R0, 32),
  asm.jmp('ne', R0, tgid, 'out'),
  asm.mov64(R7, R0),
  asm.stx('dw', R10, -8, R7),
  asm.ldMapFd(R1, 'AT_calls'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -8),
  asm.call('map_lookup_elem'),
  asm.jmp('eq', R0, 0, 'insert'),
  asm.ldx('dw', R1, R0, 0),
  asm.alu64('add', R1, 1),
  asm.stx('dw', R0, 0, R1),
  asm.ja('record'),
  asm.label('insert'),
  asm.st('dw', R10, -16, 1),
  asm.ldMapFd(R1, 'AT_calls'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -8),
  asm.mov64(R3, R10),
  asm.alu64('add', R3, -16),
  asm.mov64(R4, 0),
  asm.call('map_update_elem'),
  asm.label('record'),
  asm.st('dw', R10, -48, 0),
  asm.stx('dw', R10, -40, R7),
  asm.mov64(R1, R10),
  asm.alu64('add', R1, -32),
  asm.mov64(R2, 16),
  asm.call('get_current_comm'),
  asm.ldMapFd(R1, 'ringbuf'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -48),
  asm.mov64(R3, 32),
  asm.mov64(R4, 0),
  asm.call('ringbuf_output'),
  asm.jmp('sge', R0, 0, 'out'),
  // The ring buffer was full: count the loss as generated code does.
  asm.st('w', R10, -4, 0),
  asm.ldMapFd(R1, 'lost'),
  asm.mov64(R2, R10),
  asm.alu64('add', R2, -4),
  asm.call('map_lookup_elem'),
  asm.jmp('eq', R0, 0, 'out'),
  asm.mov64(R1, 1),
  asm.atomic('dw', 'add', R0, 0, R1),
  asm.label('out'),
  asm.mov64(R0, 0),
  asm.exit(),
];

function program(name: string, type: number, targets: readonly ProbeTarget[], items: AsmItem[]): CompiledProgram {
  return {
    name, programType: type, items, assembled: assemble(items), stackBytes: 48, functions: [],
    attachments: targets.map((target) => ({ name: `${target.kind}:${name}`, target, span })),
  };
}

const getppidProgram = program('getppid', ProgramType.TRACEPOINT, [{ kind: 'tracepoint', category: 'syscalls', name: 'sys_enter_getppid' }], countGetppid);
const begin = (name: string, items: AsmItem[]) => program(name, ProgramType.RAW_TRACEPOINT, [{ kind: 'begin' }], [...items, asm.mov64(R0, 0), asm.exit()]);
const end = (name: string, items: AsmItem[]) => program(name, ProgramType.RAW_TRACEPOINT, [{ kind: 'end' }], [...items, asm.mov64(R0, 0), asm.exit()]);

function script(programs: CompiledProgram[], maps: MapDescription[] = [calls]): CompiledScript {
  return { programs, maps: [ringBuffer, lostEvents, ...maps], actions, ringBufferMap: 'ringbuf', lostEventsMap: 'lost' };
}

function capture(format: 'text' | 'json' = 'text'): { options: SessionOptions; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk) => (stdout += chunk));
  err.on('data', (chunk) => (stderr += chunk));
  return { options: { output: { format, stdout: out, stderr: err } }, stdout: () => stdout, stderr: () => stderr };
}

function collect(iterator: AsyncIterable<SessionEvent>): Promise<SessionEvent[]> {
  return (async () => {
    const events: SessionEvent[] = [];
    for await (const event of iterator) events.push(event);
    return events;
  })();
}

function callGetppid(times: number): void {
  for (let index = 0; index < times; index++) void process.ppid;
}

const openFds = () => readdirSync('/proc/self/fd').sort();

test('counts and prints getppid calls, then prints the map at stop', async () => {
  const output = capture();
  const session = startSession(script([begin('hello', sendRecord(2, text8('BEGIN'))), getppidProgram]), output.options);
  const events = collect(session);
  assert.is(session.attachedProbes, 2);
  callGetppid(5);
  assert.is(await session.stop(), 0);
  const lines = Array.from({ length: 5 }, () => `getppid by ${tgid} (${comm})\n`).join('');
  assert.is(output.stdout(), `hello from BEGIN\n${lines}\n\n@calls[${tgid}]: 5\n`);
  assert.is(output.stderr(), 'Attached 2 probes\n');
  const seen = await events;
  assert.equal(seen.map((event) => event.kind), ['printf', 'printf', 'printf', 'printf', 'printf', 'printf', 'maps-at-exit']);
  assert.equal(seen[1], { kind: 'printf', text: `getppid by ${tgid} (${comm})\n` });
  const last = seen[6]!;
  assert.ok(last.kind === 'maps-at-exit');
  assert.equal(last.maps, [{ name: '@calls', entries: [{ key: [{ kind: 'integer', value: BigInt(tgid), signed: false, width: 8 }], value: { kind: 'count', value: 5n } }] }]);
});

test('records arrive from the event loop while the session runs', async () => {
  const output = capture();
  const session = startSession(script([getppidProgram]), { ...output.options, banner: false });
  const iterator = session.events();
  callGetppid(3);
  const received: SessionEvent[] = [];
  for (let index = 0; index < 3; index++) received.push((await iterator.next()).value);
  assert.equal(received.map((event) => event.kind), ['printf', 'printf', 'printf']);
  // Already written before stop(): output is not held back until the end.
  assert.is(output.stdout(), Array.from({ length: 3 }, () => `getppid by ${tgid} (${comm})\n`).join(''));
  await session.stop();
  assert.is((await iterator.next()).value.kind, 'maps-at-exit');
  assert.ok((await iterator.next()).done);
});

test('a large backlog is delivered completely, in turns that let the event loop run', async () => {
  // 10,000 records of 40 bytes fit in 1 MiB: nothing is lost.
  const session = startSession(script([getppidProgram]), { output: null, banner: false, ringBufferBytes: 1 << 20 });
  const iterator = session.events();
  callGetppid(10_000);
  let turns = 0;
  let counting = true;
  const tick = () => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  for (let index = 0; index < 10_000; index++) {
    const { value } = await iterator.next();
    assert.equal(value, { kind: 'printf', text: `getppid by ${tgid} (${comm})\n` });
  }
  const turnsWhileDelivering = turns;
  counting = false;
  await session.stop();
  assert.ok(turnsWhileDelivering >= 2, `the event loop turned ${turnsWhileDelivering} times`);
  const last = (await iterator.next()).value;
  assert.ok(last.kind === 'maps-at-exit' && last.maps[0]!.entries[0]!.value.kind === 'count' && last.maps[0]!.entries[0]!.value.value === 10_000n);
});

test('exit() from BEGIN stops the session with its code; END runs; later records are dropped', async () => {
  const output = capture();
  const session = startSession(
    script([
      begin('stopper', [...sendRecord(1, 3n), ...sendRecord(2, text8('nobody'))]),
      end('farewell', [...sendRecord(2, text8('END'))]),
      getppidProgram,
    ]),
    output.options,
  );
  assert.is(session.attachedProbes, 3);
  assert.is(await session.done, 3);
  assert.is(output.stdout(), 'hello from END\n\n\n');
  assert.is(await session.stop(), 3, 'stop() after the end resolves the same way');
});

test('print(@calls) and clear(@calls) from END read and clear the kernel map', async () => {
  const output = capture();
  const session = startSession(script([end('printer', [...sendRecord(3), ...sendRecord(4)]), getppidProgram]), output.options);
  const events = collect(session);
  callGetppid(4);
  await session.stop();
  const lines = Array.from({ length: 4 }, () => `getppid by ${tgid} (${comm})\n`).join('');
  // Printed by print(), then nothing at exit: the map was cleared.
  assert.is(output.stdout(), `${lines}@calls[${tgid}]: 4\n\n\n`);
  const kinds = (await events).map((event) => event.kind);
  assert.equal(kinds.slice(4), ['print-map', 'clear', 'maps-at-exit']);
});

test('JSON output', async () => {
  const output = capture('json');
  const session = startSession(script([getppidProgram]), output.options);
  callGetppid(2);
  await session.stop();
  const line = `{"type": "printf", "data": "getppid by ${tgid} (${comm})\\n"}\n`;
  assert.is(output.stdout(), `{"type": "attached_probes", "count": 1, "data": {"probes": 1}}\n${line}${line}{"type": "map", "data": {"@calls": {"${tgid}": 2}}}\n`);
});

test('a full ring buffer loses records, and the loss is reported', async () => {
  const output = capture();
  const session = startSession(script([getppidProgram]), { ...output.options, banner: false, ringBufferBytes: 4096 });
  const events = collect(session);
  callGetppid(500); // no event loop turn in between: the 4 KiB buffer fills up
  await session.stop();
  const seen = await events;
  const printed = seen.filter((event) => event.kind === 'printf').length;
  const lost = seen.filter((event) => event.kind === 'lost-events').reduce((total, event) => total + (event.kind === 'lost-events' ? event.count : 0), 0);
  assert.ok(printed > 0 && printed < 500, `printed ${printed}`);
  assert.is(printed + lost, 500);
  assert.is(output.stderr(), `Lost ${lost} events\n`);
  assert.ok(output.stdout().endsWith(`@calls[${tgid}]: 500\n`));
});

test('stop() releases every fd the session opened', async () => {
  // A first run loads the addon and warms up tracefs, so the comparison sees only session fds.
  await startSession(script([getppidProgram]), { output: null }).stop();
  const before = openFds();
  const session = startSession(script([begin('hello', sendRecord(2, text8('x'))), getppidProgram, end('bye', [])]), { output: null });
  assert.ok(openFds().length > before.length + 4, 'the session holds maps, programs, links and the ring buffer');
  callGetppid(2);
  await session.stop();
  assert.equal(openFds(), before);
});

test('a verifier rejection propagates as is and closes the maps created before it', async () => {
  await startSession(script([getppidProgram]), { output: null }).stop();
  const before = openFds();
  const broken = program('broken', ProgramType.TRACEPOINT, [{ kind: 'tracepoint', category: 'syscalls', name: 'sys_enter_getppid' }], [asm.mov64(R6, 1), asm.exit()]);
  assert.throws(() => startSession(script([getppidProgram, broken]), { output: null }), (error: unknown) => error instanceof VerifierError && /R0 !read_ok/.test(error.message));
  assert.equal(openFds(), before);
});

test('a failing attach closes what was attached and loaded', async () => {
  const before = openFds();
  const missing = program('missing', ProgramType.TRACEPOINT, [{ kind: 'tracepoint', category: 'syscalls', name: 'sys_enter_no_such_call' }], countGetppid);
  assert.throws(() => startSession(script([getppidProgram, missing]), { output: null }), /tracepoint not found/);
  assert.equal(openFds(), before);
});

test('a record that does not match its action stops the session cleanly with a failure', async () => {
  const before = openFds();
  // Action 0 expects 32 bytes; this BEGIN sends 16.
  const session = startSession(script([begin('short', sendRecord(0, 1n)), getppidProgram]), { output: null });
  const events = collect(session);
  assert.is(await session.done, 1);
  assert.match(session.failure?.message ?? '', /record for action 0 is 16 bytes, expected 32/);
  await events.then(() => assert.unreachable('the iterator should throw the failure'), (error: Error) => assert.is(error, session.failure));
  assert.equal(openFds(), before);
});

test.run();
