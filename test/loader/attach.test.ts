// Attaching to real tracepoints: exact counts of this process's own getppid calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { R0, R1, R6 } from '../../src/bpf/registers.js';
import { MapType, ProgramType } from '../../src/bpf/uapi.generated.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { attachRawTracepoint, attachTracepoint, type Attachment } from '../../src/loader/attach.js';
import { createMap } from '../../src/loader/maps.js';
import { loadProgram } from '../../src/loader/programs.js';
import { TracefsError } from '../../src/loader/tracefs.js';
import { SyscallError } from '../../src/loader/native.js';
import { addToCounter, build, countForTgid, onlyTgid, readU64, u32 } from './fixtures.js';
import { feature, needs } from '../support/skip.js';

const getppidNumber = ({ x64: 110, arm64: 173 } as Record<string, number>)[process.arch];

/** Performs exactly `count` getppid(2) calls: process.ppid is a live getter. */
function callGetppid(count: number): void {
  let sum = 0;
  for (let call = 0; call < count; call++) sum += process.ppid;
  assert.ok(sum > 0);
}

function withCounter(items: AsmItem[], type: ProgramType, run: (program: ReturnType<typeof loadProgram>, read: () => bigint) => void): void {
  const counter = createMap({ name: 'counter', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
  const program = loadProgram({ name: 'count', type, bytes: build(items, { counter }) });
  try {
    run(program, () => readU64(counter.lookup(u32(0))!));
  } finally {
    program.close();
    counter.close();
  }
}

for (const mechanism of ['auto', 'ioctl'] as const) {
  test(`tracepoint syscalls:sys_enter_getppid (${mechanism}) counts exactly N calls of this process`, () => {
    withCounter(countForTgid(process.pid), ProgramType.TRACEPOINT, (program, read) => {
      let attachment: Attachment | undefined = attachTracepoint(program, 'syscalls', 'sys_enter_getppid', { mechanism });
      try {
        assert.is(attachment.kind, mechanism === 'auto' ? 'perf-event-link' : 'perf-event-ioctl');
        assert.is(read(), 0n);
        callGetppid(37);
        assert.is(read(), 37n);
        attachment.close();
        attachment = undefined;
        callGetppid(5);
        assert.is(read(), 37n, 'nothing is counted after close()');
      } finally {
        attachment?.close();
      }
    });
  });
}

test('a tracepoint link passes the bpf_cookie to the program', () => {
  const items: AsmItem[] = [
    asm.mov64(R6, R1),
    ...onlyTgid(process.pid, 'done'),
    asm.mov64(R1, R6),
    asm.call('get_attach_cookie'),
    asm.mov64(R6, R0),
    ...addToCounter(),
  ];
  withCounter(items, ProgramType.TRACEPOINT, (program, read) => {
    const attachment = attachTracepoint(program, 'syscalls', 'sys_enter_getppid', { cookie: 0xc00c1en });
    try {
      callGetppid(2);
      assert.is(read(), 2n * 0xc00c1en);
    } finally {
      attachment.close();
    }
  });
});

needs(test, 'raw tracepoint sys_enter, filtered on getppid and tgid, counts exactly N calls', [feature(`a getppid syscall number known to this test for ${process.arch}`, getppidNumber !== undefined)], () => {
  // sys_enter(struct pt_regs *regs, long id): ctx[1] is the syscall number.
  const items: AsmItem[] = [
    asm.ldx('dw', R6, R1, 8),
    asm.jmp('ne', R6, getppidNumber!, 'done'),
    ...onlyTgid(process.pid, 'done'),
    asm.mov64(R6, 1),
    ...addToCounter(),
  ];
  withCounter(items, ProgramType.RAW_TRACEPOINT, (program, read) => {
    const attachment = attachRawTracepoint(program, 'sys_enter');
    try {
      assert.is(attachment.kind, 'raw-tracepoint');
      callGetppid(23);
      assert.is(read(), 23n);
    } finally {
      attachment.close();
    }
  });
});

test('unknown tracepoints fail with a clear error', () => {
  withCounter(countForTgid(process.pid), ProgramType.TRACEPOINT, (program) => {
    assert.throws(() => attachTracepoint(program, 'syscalls', 'sys_enter_no_such_call'), (error: unknown) =>
      error instanceof TracefsError && error.message === 'tracepoint not found: syscalls:sys_enter_no_such_call');
  });
  withCounter(countForTgid(process.pid), ProgramType.RAW_TRACEPOINT, (program) => {
    assert.throws(() => attachRawTracepoint(program, 'no_such_raw_tracepoint'), (error: unknown) =>
      error instanceof SyscallError && error.code === 'ENOENT');
  });
});

test.run();
