// Byte-for-byte checks of every bpf_attr / perf_event_attr packer against offsets taken from the
// uapi headers (offsetof on union bpf_attr, struct perf_event_attr). No kernel needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packMapCreate } from '../../src/loader/attr/map-create.js';
import { packMapBatch, packMapElem, readBatchCount } from '../../src/loader/attr/map-elem.js';
import { packProgLoad, readLogTrueSize } from '../../src/loader/attr/prog-load.js';
import { packTestRun, readTestRunOutput } from '../../src/loader/attr/test-run.js';
import { packObjInfo, readInfoLength } from '../../src/loader/attr/obj-info.js';
import { packEnableStats } from '../../src/loader/attr/enable-stats.js';
import { packRawTracepointOpen } from '../../src/loader/attr/raw-tracepoint.js';
import { packLinkCreate } from '../../src/loader/attr/link-create.js';
import { packPerfEventAttr, probeEventAttr, softwareEventAttr, tracepointEventAttr } from '../../src/loader/attr/perf-event-attr.js';
import { sanitizeObjectName } from '../../src/loader/attr/layout.js';

type Field = readonly [offset: number, width: 1 | 2 | 4 | 8, value: number | bigint];

/** Builds the expected struct independently of DataView: explicit little-endian byte shifts. */
function expected(size: number, fields: readonly Field[], strings: readonly [number, string][] = []): Uint8Array {
  const bytes = new Uint8Array(size);
  for (const [offset, width, value] of fields) {
    let remaining = BigInt.asUintN(width * 8, BigInt(value));
    for (let index = 0; index < width; index++) {
      bytes[offset + index] = Number(remaining & 0xffn);
      remaining >>= 8n;
    }
  }
  for (const [offset, text] of strings) for (let index = 0; index < text.length; index++) bytes[offset + index] = text.charCodeAt(index);
  return bytes;
}

function same(actual: Uint8Array, wanted: Uint8Array): void {
  assert.is(actual.length, wanted.length, 'size');
  const differences: string[] = [];
  for (let index = 0; index < wanted.length; index++) {
    if (actual[index] !== wanted[index]) differences.push(`@${index}: ${actual[index]} != ${wanted[index]}`);
  }
  assert.equal(differences, []);
}

const A = 0x1122334455667788n;
const B = 0x0102030405060708n;
const C = 0x7fffaaaabbbbcccn;
const D = 0x1000200030004000n;

test('MAP_CREATE: every field at its uapi offset, name NUL-padded in 16 bytes', () => {
  const packed = packMapCreate({
    mapType: 5, keySize: 16, valueSize: 8, maxEntries: 4096, flags: 0x400, innerMapFd: 7, numaNode: 1,
    name: 'AT_counts', btfFd: 9, btfKeyTypeId: 3, btfValueTypeId: 4, mapExtra: 0xabcdn,
  });
  same(packed, expected(144, [
    [0, 4, 5], [4, 4, 16], [8, 4, 8], [12, 4, 4096], [16, 4, 0x400], [20, 4, 7], [24, 4, 1],
    [48, 4, 9], [52, 4, 3], [56, 4, 4], [64, 8, 0xabcdn],
  ], [[28, 'AT_counts']]));
});

test('MAP_CREATE: without BTF the btf fields stay zero; a long name keeps 15 chars and its NUL', () => {
  const packed = packMapCreate({ mapType: 27, keySize: 0, valueSize: 0, maxEntries: 4096, name: 'a_very_long_map_name_indeed' });
  same(packed, expected(144, [[0, 4, 27], [12, 4, 4096]], [[28, 'a_very_long_map']]));
  assert.is(packed[43], 0);
});

test('object names are sanitized to [A-Za-z0-9_.] and 15 characters', () => {
  assert.is(sanitizeObjectName('@counts[comm]'), '_counts_comm_');
  assert.is(sanitizeObjectName('tracepoint:syscalls:sys_enter_openat'), 'tracepoint_sysc');
  assert.is(sanitizeObjectName('ok.name_1'), 'ok.name_1');
});

test('map element ops: fd, key, value/next_key pointers, u64 flags', () => {
  same(packMapElem({ mapFd: 5, key: A, valueOrNextKey: B, flags: 2 }), expected(32, [[0, 4, 5], [8, 8, A], [16, 8, B], [24, 8, 2]]));
  same(packMapElem({ mapFd: 6, key: 0n, valueOrNextKey: C }), expected(32, [[0, 4, 6], [16, 8, C]]));
});

test('MAP_LOOKUP_BATCH: batch struct layout and count readback', () => {
  const packed = packMapBatch({ mapFd: 12, inBatch: A, outBatch: B, keys: C, values: D, count: 256, elemFlags: 4, flags: 0 });
  same(packed, expected(56, [[0, 8, A], [8, 8, B], [16, 8, C], [24, 8, D], [32, 4, 256], [36, 4, 12], [40, 8, 4]]));
  packed[32] = 17;
  packed[33] = 0;
  assert.is(readBatchCount(packed), 17);
});

test('PROG_LOAD: all fields including BTF func/line info, attach ids and the log', () => {
  const packed = packProgLoad({
    programType: 26, instructionCount: 31, instructions: A, license: B, logLevel: 1, logSize: 65536, logBuffer: C,
    kernelVersion: 0x60c00, flags: 4, name: 'BEGIN_1', ifindex: 3, expectedAttachType: 24, btfFd: 11,
    funcInfoRecordSize: 8, funcInfo: D, funcInfoCount: 2, lineInfoRecordSize: 16, lineInfo: A + 8n, lineInfoCount: 5,
    attachBtfId: 1234, attachProgFd: 13, fdArray: B + 8n,
  });
  same(packed, expected(144, [
    [0, 4, 26], [4, 4, 31], [8, 8, A], [16, 8, B], [24, 4, 1], [28, 4, 65536], [32, 8, C], [40, 4, 0x60c00], [44, 4, 4],
    [64, 4, 3], [68, 4, 24], [72, 4, 11], [76, 4, 8], [80, 8, D], [88, 4, 2], [92, 4, 16], [96, 8, A + 8n], [104, 4, 5],
    [108, 4, 1234], [112, 4, 13], [120, 8, B + 8n],
  ], [[48, 'BEGIN_1']]));
});

test('PROG_LOAD: minimal attr leaves the log fields zero; log_true_size reads offset 140', () => {
  const packed = packProgLoad({ programType: 5, instructionCount: 2, instructions: A, license: B });
  same(packed, expected(144, [[0, 4, 5], [4, 4, 2], [8, 8, A], [16, 8, B]]));
  packed.set([0x10, 0x27, 0x01, 0x00], 140);
  assert.is(readLogTrueSize(packed), 0x12710);
});

test('PROG_TEST_RUN: in/out regions, repeat, flags, cpu; outputs read from the same attr', () => {
  const packed = packTestRun({
    programFd: 7, dataIn: { address: A, size: 64 }, dataOut: { address: B, size: 128 }, ctxIn: { address: C, size: 48 },
    ctxOut: { address: D, size: 24 }, repeat: 1000, flags: 1, cpu: 1, batchSize: 3,
  });
  same(packed, expected(80, [
    [0, 4, 7], [8, 4, 64], [12, 4, 128], [16, 8, A], [24, 8, B], [32, 4, 1000], [40, 4, 48], [44, 4, 24], [48, 8, C], [56, 8, D],
    [64, 4, 1], [68, 4, 1], [72, 4, 3],
  ]));
  packed.set(expected(4, [[0, 4, 42]]), 4);
  packed.set(expected(4, [[0, 4, 31]]), 36);
  packed.set(expected(4, [[0, 4, 60]]), 12);
  packed.set(expected(4, [[0, 4, 20]]), 44);
  assert.equal(readTestRunOutput(packed), { retval: 42, durationNs: 31, dataSizeOut: 60, ctxSizeOut: 20 });
});

test('OBJ_GET_INFO_BY_FD: fd, info_len, info pointer; info_len readback', () => {
  const packed = packObjInfo({ fd: 9, info: A, infoLength: 232 });
  same(packed, expected(16, [[0, 4, 9], [4, 4, 232], [8, 8, A]]));
  packed[4] = 88;
  packed[5] = 0;
  assert.is(readInfoLength(packed), 88);
});

test('ENABLE_STATS: type at offset 0', () => {
  same(packEnableStats(0), expected(8, []));
  same(packEnableStats(1), expected(8, [[0, 4, 1]]));
});

test('RAW_TRACEPOINT_OPEN: name pointer, prog fd, cookie at 16', () => {
  same(packRawTracepointOpen({ name: A, programFd: 4, cookie: 0xc00c1e42n }), expected(24, [[0, 8, A], [8, 4, 4], [16, 8, 0xc00c1e42n]]));
  same(packRawTracepointOpen({ name: 0n, programFd: 4 }), expected(24, [[8, 4, 4]]));
});

test('LINK_CREATE: prog fd, target fd (-1 as all-ones), attach type, flags, perf_event bpf_cookie', () => {
  same(packLinkCreate({ programFd: 3, targetFd: 8, attachType: 41, flags: 0, perfEventCookie: B }), expected(64, [[0, 4, 3], [4, 4, 8], [8, 4, 41], [16, 8, B]]));
  same(packLinkCreate({ programFd: 3, targetFd: -1, attachType: 41 }), expected(64, [[0, 4, 3], [4, 4, 0xffffffff], [8, 4, 41]]));
});

test('perf_event_attr for a tracepoint: size 128, config = id, period 1, PERF_SAMPLE_RAW, wakeup 1', () => {
  same(packPerfEventAttr(tracepointEventAttr(782)), expected(128, [[0, 4, 2], [4, 4, 128], [8, 8, 782], [16, 8, 1], [24, 8, 0x400], [48, 4, 1]]));
});

test('perf_event_attr for software events: frequency sets the freq bit (10); a period does not', () => {
  same(packPerfEventAttr(softwareEventAttr(0, { frequency: 99 })), expected(128, [[0, 4, 1], [4, 4, 128], [8, 8, 0], [16, 8, 99], [40, 8, 1n << 10n]]));
  same(packPerfEventAttr(softwareEventAttr(1, { period: 10_000_000n })), expected(128, [[0, 4, 1], [4, 4, 128], [8, 8, 1], [16, 8, 10_000_000n]]));
  assert.throws(() => packPerfEventAttr({ type: 1, config: 0, samplePeriod: 1, sampleFrequency: 2 }), /not both/);
});

test('perf_event_attr for a uprobe PMU: config (retprobe bit, ref_ctr_offset), config1 path pointer, config2 offset', () => {
  const config = (0x1234n << 32n) | 1n;
  same(packPerfEventAttr(probeEventAttr(8, { target: A, offset: 0x1139, config })), expected(128, [
    [0, 4, 8], [4, 4, 128], [8, 8, config], [16, 8, 1], [48, 4, 1], [56, 8, A], [64, 8, 0x1139],
  ]));
});

test('perf_event_attr flags: disabled, inherit, exclude_kernel, watermark bits; breakpoint type', () => {
  const packed = packPerfEventAttr({ type: 5, config: 0, samplePeriod: 1, flags: ['disabled', 'inherit', 'excludeKernel', 'watermark'], breakpointType: 2, config1: A, config2: 8 });
  same(packed, expected(128, [[0, 4, 5], [4, 4, 128], [16, 8, 1], [40, 8, (1n << 0n) | (1n << 1n) | (1n << 5n) | (1n << 14n)], [52, 4, 2], [56, 8, A], [64, 8, 8]]));
});

test.run();
