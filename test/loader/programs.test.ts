// Program loading against the real verifier: success and info(), rejections as VerifierError,
// logs bigger than the first buffer, BPF_PROG_TEST_RUN and run-time statistics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { R0, R1 } from '../../src/bpf/registers.js';
import { MapType, ProgramType } from '../../src/bpf/uapi.generated.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { createMap } from '../../src/loader/maps.js';
import { enableStats, loadProgram } from '../../src/loader/programs.js';
import { VerifierError } from '../../src/loader/verifier-error.js';
import { addFirstArgument, build, readU64, u32, u64s } from './fixtures.js';

test('a valid program loads and info() reports its type, name, tag and instruction counts', () => {
  const bytes = build([asm.mov64(R0, 0), asm.alu64('add', R0, 2), asm.exit()]);
  const program = loadProgram({ name: 'tsbpf:valid-one', type: ProgramType.RAW_TRACEPOINT, bytes });
  try {
    assert.ok(program.fd > 0);
    const info = program.info();
    assert.is(info.type, ProgramType.RAW_TRACEPOINT);
    assert.is(info.name, 'tsbpf_valid_one');
    assert.is(info.xlatedProgLen, 3 * 8);
    assert.is(info.verifiedInsns, 3);
    assert.ok(info.id > 0);
    assert.match(info.tag, /^[0-9a-f]{16}$/);
    assert.is(program.verifierLog.length, 0, 'no log is requested for a load that succeeds');
  } finally {
    program.close();
  }
});

test('r0 unset at exit: VerifierError with R0 !read_ok in the summary and the failing index', () => {
  const bytes = build([asm.mov64(R1, 1), asm.mov64(R1, 2), asm.exit()]);
  try {
    loadProgram({ name: 'bad', type: ProgramType.RAW_TRACEPOINT, bytes }).close();
    assert.unreachable('the verifier must reject this program');
  } catch (error) {
    assert.instance(error, VerifierError);
    const verifierError = error as VerifierError;
    assert.is(verifierError.code, 'EACCES');
    assert.ok(verifierError.summary.some((line) => line.includes('R0 !read_ok')), verifierError.message);
    assert.is(verifierError.instructionIndex, 2);
    assert.match(verifierError.message, /R0 !read_ok/);
    assert.ok(verifierError.log[verifierError.log.length - 1]!.startsWith('processed '));
  }
});

/** `count` instructions `reg += 1`, each of which the verifier logs on its own line. */
function longStraightLine(count: number, register: typeof R0): AsmItem[] {
  return Array.from({ length: count }, () => asm.alu64('add', register, 1));
}

test('a rejected program whose log exceeds the first 64 KiB buffer still yields the whole log', () => {
  const count = 4000;
  const bytes = build([asm.mov64(R1, 0), ...longStraightLine(count, R1), asm.exit()]);
  try {
    loadProgram({ name: 'long_bad', type: ProgramType.RAW_TRACEPOINT, bytes }).close();
    assert.unreachable('the verifier must reject this program');
  } catch (error) {
    assert.instance(error, VerifierError);
    const { log, summary, truncated, instructionIndex } = error as VerifierError;
    const logBytes = log.reduce((total, line) => total + line.length + 1, 0);
    assert.ok(logBytes > 64 * 1024, `log is only ${logBytes} bytes; the test needs more than the first buffer`);
    assert.not.ok(truncated);
    // The kernel's rotating log would have dropped the start had the buffer not grown.
    assert.ok(log.some((line) => line.startsWith('0: (b7) r1 = 0')), 'first instruction present');
    assert.ok(log[log.length - 1]!.startsWith(`processed ${count + 2} insns`), log[log.length - 1]);
    assert.equal(summary, [`${count + 1}: (95) exit`, 'R0 !read_ok']);
    assert.is(instructionIndex, count + 1);
  }
});

test('a requested level-2 log on a valid program grows past the first buffer and ends with processed', () => {
  const count = 3000;
  const bytes = build([asm.mov64(R0, 0), ...longStraightLine(count, R0), asm.exit()]);
  const program = loadProgram({ name: 'long_ok', type: ProgramType.RAW_TRACEPOINT, bytes, logLevel: 2, logSize: 4096 });
  try {
    const log = program.verifierLog;
    const logBytes = log.reduce((total, line) => total + line.length + 1, 0);
    assert.ok(logBytes > 4096 * 4, `log is only ${logBytes} bytes`);
    assert.ok(log.some((line) => line.startsWith('0: (b7) r0 = 0')));
    assert.ok(log[log.length - 1]!.startsWith(`processed ${count + 2} insns`), log[log.length - 1]);
  } finally {
    program.close();
  }
});

test('BPF_PROG_TEST_RUN of a raw_tp program updates a map the test then reads', () => {
  const counter = createMap({ name: 'counter', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
  const program = loadProgram({ name: 'add_arg', type: ProgramType.RAW_TRACEPOINT, bytes: build(addFirstArgument(), { counter }) });
  try {
    assert.is(program.testRun({ ctx: u64s(5n) }).retval, 0);
    assert.is(readU64(counter.lookup(u32(0))!), 5n);
    program.testRun({ ctx: u64s(37n, 1n) });
    assert.is(readU64(counter.lookup(u32(0))!), 42n);
  } finally {
    program.close();
    counter.close();
  }
});

test('TEST_RUN returns the program retval (raw_tp, ctx-derived, on a chosen CPU)', () => {
  const program = loadProgram({ name: 'ret_arg', type: ProgramType.RAW_TRACEPOINT, bytes: build([asm.ldx('dw', R0, R1, 8), asm.exit()]) });
  try {
    assert.is(program.testRun({ ctx: u64s(1n, 1234n) }).retval, 1234);
    assert.is(program.testRun({ ctx: u64s(0n, 99n), flags: 1, cpu: 0 }).retval, 99);
  } finally {
    program.close();
  }
});

test('enableStats makes run_cnt and run_time_ns grow by the runs made', () => {
  const counter = createMap({ name: 'counter', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
  const program = loadProgram({ name: 'stats', type: ProgramType.RAW_TRACEPOINT, bytes: build(addFirstArgument(), { counter }) });
  const stats = enableStats();
  try {
    const before = program.info();
    for (let run = 0; run < 5; run++) program.testRun({ ctx: u64s(1n) });
    const after = program.info();
    assert.is(after.runCnt - before.runCnt, 5n);
    assert.ok(after.runTimeNs > before.runTimeNs, `run_time_ns ${before.runTimeNs} -> ${after.runTimeNs}`);
  } finally {
    stats.close();
    program.close();
    counter.close();
  }
});

test.run();
