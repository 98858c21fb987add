// BTF doing its jobs in real programs: func_info that lets bpf_loop callbacks load, and vmlinux
// layouts that let a program read the current task's fields. Run via BPF_PROG_TEST_RUN.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  alu64, assemble, call, exit, label, ldFunc, ldx, mov64, ProgramType, R0, R1, R2, R3, R4, R10, st, stx,
} from '../../src/bpf/index.js';
import { BtfWriter, encodeFuncInfo, openVmlinuxBtf } from '../../src/btf/index.js';
import { loadBtf } from '../../src/loader/btf-load.js';
import { loadProgram } from '../../src/loader/programs.js';
import { VerifierError } from '../../src/loader/verifier-error.js';

// sum = 0; bpf_loop(100, callback, &sum, 0); return sum;  with  callback(i, ctx) { *ctx += i; return 0; }
function loopProgram() {
  return assemble([
    st('dw', R10, -8, 0),
    mov64(R1, 100),
    ldFunc(R2, 'callback'),
    mov64(R3, R10),
    alu64('add', R3, -8),
    mov64(R4, 0),
    call('loop'),
    ldx('dw', R0, R10, -8),
    exit(),
    label('callback'),
    ldx('dw', R3, R2, 0),
    alu64('add', R3, R1),
    stx('dw', R2, 0, R3),
    mov64(R0, 0),
    exit(),
  ]);
}

/** int main(void *ctx) and long callback(unsigned int index, void *ctx), both static. */
function loopBtf() {
  const writer = new BtfWriter();
  const int = writer.int('int', 4, { signed: true });
  const long = writer.int('long', 8, { signed: true });
  const uint = writer.int('unsigned int', 4);
  const voidPointer = writer.pointer(0);
  const main = writer.func('main', writer.funcProto(int, [{ name: 'ctx', type: voidPointer }]));
  const callback = writer.func('callback', writer.funcProto(long, [{ name: 'index', type: uint }, { name: 'ctx', type: voidPointer }]));
  return { blob: writer.toBytes(), main, callback };
}

test('a bpf_loop callback loads with func_info and sums 0..99', () => {
  const program = loopProgram();
  const btf = loopBtf();
  const callbackSlot = program.labels.get('callback');
  assert.ok(callbackSlot !== undefined && callbackSlot > 0);
  const handle = loadBtf(btf.blob);
  try {
    const loaded = loadProgram({
      name: 'btf_loop',
      type: ProgramType.RAW_TRACEPOINT,
      bytes: program.bytes,
      license: 'GPL',
      btf: {
        fd: handle.fd,
        ...encodeFuncInfo([{ instructionOffset: 0, typeId: btf.main }, { instructionOffset: callbackSlot!, typeId: btf.callback }]),
      },
    });
    try {
      assert.is(loaded.testRun({ ctx: new Uint8Array(8) }).retval, 4950);
    } finally {
      loaded.close();
    }
  } finally {
    handle.close();
  }
});

test('without func_info the same program is refused: the BTF is what makes it load', () => {
  const program = loopProgram();
  assert.throws(
    () => loadProgram({ name: 'btf_loop_bare', type: ProgramType.RAW_TRACEPOINT, bytes: program.bytes, license: 'GPL' }).close(),
    (error: unknown) => error instanceof VerifierError && error.log.some((line) => /func_info/.test(line)),
  );
});

/** Reads `size` (1, 2 or 4) bytes at `offset` in the current task_struct and returns them. */
function taskFieldProgram(offset: number, size: 'b' | 'h' | 'w') {
  const bytes = { b: 1, h: 2, w: 4 }[size];
  return assemble([
    call('get_current_task'),
    mov64(R3, R0),
    alu64('add', R3, offset),
    st('dw', R10, -8, 0),
    mov64(R1, R10),
    alu64('add', R1, -8),
    mov64(R2, bytes),
    call('probe_read_kernel'),
    ldx(size, R0, R10, -8),
    exit(),
  ]).bytes;
}

function runTaskField(offset: number, size: 'b' | 'h' | 'w'): number {
  const loaded = loadProgram({ name: 'btf_task', type: ProgramType.RAW_TRACEPOINT, bytes: taskFieldProgram(offset, size), license: 'GPL' });
  try {
    return loaded.testRun({ ctx: new Uint8Array(8) }).retval;
  } finally {
    loaded.close();
  }
}

// In a worker thread the task's pid (thread id) differs from its tgid (process id), so the two
// neighbouring fields cannot be mistaken for each other as they could on the main thread.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { loadProgram } = await import(workerData.loaderUrl);
  const { native } = await import(workerData.nativeUrl);
  const results = workerData.programs.map((bytes) => {
    const program = loadProgram({ name: 'btf_task', type: workerData.type, bytes, license: 'GPL' });
    try { return program.testRun({ ctx: new Uint8Array(8) }).retval; } finally { program.close(); }
  });
  parentPort.postMessage({ results, threadId: native().gettid() });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

function runInWorkerThread(programs: Uint8Array[]): Promise<{ results: number[]; threadId: number }> {
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      programs,
      type: ProgramType.RAW_TRACEPOINT,
      loaderUrl: new URL('../../src/loader/programs.js', import.meta.url).href,
      nativeUrl: new URL('../../src/loader/native.js', import.meta.url).href,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { results: number[]; threadId: number; error?: string }) => {
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

test('curtask->tgid at the reader\'s offset is this process\'s pid, seen from another thread', async () => {
  const btf = openVmlinuxBtf();
  const tgid = btf.memberOffset('task_struct', 'tgid');
  const pid = btf.memberOffset('task_struct', 'pid');
  assert.is(tgid.size, 4);
  assert.is(runTaskField(tgid.byteOffset, 'w'), process.pid);
  const { results, threadId } = await runInWorkerThread([taskFieldProgram(tgid.byteOffset, 'w'), taskFieldProgram(pid.byteOffset, 'w')]);
  assert.is.not(threadId, process.pid);
  assert.equal(results, [process.pid, threadId]);
});

test('curtask->comm at the reader\'s offset starts with this thread\'s name', () => {
  const btf = openVmlinuxBtf();
  const comm = btf.memberOffset('task_struct', 'comm');
  const firstFour = runTaskField(comm.byteOffset, 'w');
  const name = readFileSync('/proc/thread-self/comm', 'latin1').replace(/\n$/, '');
  const expected = new Uint8Array(4);
  expected.set(Buffer.from(name, 'latin1').subarray(0, 4));
  assert.is(firstFour >>> 0, new DataView(expected.buffer).getUint32(0, true));
  // An indexed path: comm[1] is the next byte.
  assert.is(runTaskField(btf.memberOffset('task_struct', 'comm[1]').byteOffset, 'b'), expected[1]);
});

test.run();
