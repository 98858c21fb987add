// bpf_prog_info / bpf_map_info decoding on hand-built buffers (offsets from the uapi header).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMapInfo, decodeProgramInfo, MAP_INFO_SIZE, PROG_INFO_SIZE } from '../../src/loader/attr/obj-info.js';
import { parseCpuList } from '../../src/loader/cpus.js';

function put(bytes: Uint8Array, offset: number, width: number, value: number | bigint): void {
  let remaining = BigInt(value);
  for (let index = 0; index < width; index++) {
    bytes[offset + index] = Number(remaining & 0xffn);
    remaining >>= 8n;
  }
}

test('bpf_prog_info: ids, tag as hex, lengths, name, stats and verified_insns', () => {
  const info = new Uint8Array(PROG_INFO_SIZE);
  put(info, 0, 4, 5);
  put(info, 4, 4, 413);
  info.set([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03], 8);
  put(info, 16, 4, 155);
  put(info, 20, 4, 248);
  put(info, 52, 4, 1);
  info.set(new TextEncoder().encode('sys_enter_open'), 64);
  put(info, 192, 8, 61_600_000n);
  put(info, 200, 8, 200_007n);
  put(info, 216, 4, 34);
  const decoded = decodeProgramInfo(info);
  assert.is(decoded.type, 5);
  assert.is(decoded.id, 413);
  assert.is(decoded.tag, 'deadbeef00010203');
  assert.is(decoded.jitedProgLen, 155);
  assert.is(decoded.xlatedProgLen, 248);
  assert.is(decoded.mapIdCount, 1);
  assert.is(decoded.name, 'sys_enter_open');
  assert.is(decoded.runTimeNs, 61_600_000n);
  assert.is(decoded.runCnt, 200_007n);
  assert.is(decoded.verifiedInsns, 34);
});

test('bpf_prog_info: fields past the filled length read as zero', () => {
  const info = new Uint8Array(PROG_INFO_SIZE).fill(0xff);
  const decoded = decodeProgramInfo(info, 192);
  assert.is(decoded.runCnt, 0n);
  assert.is(decoded.verifiedInsns, 0);
  assert.is(decoded.id, 0xffffffff);
});

test('bpf_map_info: sizes, flags, name, btf ids', () => {
  const info = new Uint8Array(MAP_INFO_SIZE);
  put(info, 0, 4, 5);
  put(info, 4, 4, 77);
  put(info, 8, 4, 16);
  put(info, 12, 4, 8);
  put(info, 16, 4, 4096);
  put(info, 20, 4, 1);
  info.set(new TextEncoder().encode('AT_'), 24);
  put(info, 64, 4, 9);
  put(info, 68, 4, 2);
  put(info, 72, 4, 3);
  put(info, 80, 8, 0x55n);
  assert.equal(decodeMapInfo(info), {
    type: 5, id: 77, keySize: 16, valueSize: 8, maxEntries: 4096, flags: 1, name: 'AT_', btfId: 9, btfKeyTypeId: 2, btfValueTypeId: 3, mapExtra: 0x55n,
  });
});

test('CPU lists: ranges and singles', () => {
  assert.equal(parseCpuList('0-1\n'), [0, 1]);
  assert.equal(parseCpuList('0,2-4,7'), [0, 2, 3, 4, 7]);
  assert.equal(parseCpuList('0'), [0]);
  assert.throws(() => parseCpuList('zero'), /malformed/);
});

test.run();
