// BPF_OBJ_GET_INFO_BY_FD attr, and decoders for the bpf_prog_info / bpf_map_info it fills.
import { type Address, OBJECT_NAME_CAPACITY, readFixedString, viewOf, writeU32, writeU64, zeroedStruct } from './layout.js';

const OBJ_INFO_ATTR_SIZE = 16;
/** sizeof(struct bpf_prog_info) as of 6.x; a kernel with a larger struct copies only this much. */
export const PROG_INFO_SIZE = 232;
/** sizeof(struct bpf_map_info). */
export const MAP_INFO_SIZE = 88;

export function packObjInfo(attr: { readonly fd: number; readonly info: Address; readonly infoLength: number }): Uint8Array {
  const { bytes, view } = zeroedStruct(OBJ_INFO_ATTR_SIZE);
  writeU32(view, 0, attr.fd);
  writeU32(view, 4, attr.infoLength);
  writeU64(view, 8, attr.info);
  return bytes;
}

/** How many info bytes the kernel filled (it writes back info_len). */
export function readInfoLength(attr: Uint8Array): number {
  return viewOf(attr).getUint32(4, true);
}

export interface ProgramInfo {
  readonly type: number;
  readonly id: number;
  /** The 8-byte program tag as 16 hex digits, as bpftool prints it. */
  readonly tag: string;
  readonly jitedProgLen: number;
  readonly xlatedProgLen: number;
  readonly loadTimeNs: bigint;
  readonly createdByUid: number;
  readonly mapIdCount: number;
  readonly name: string;
  readonly btfId: number;
  readonly runTimeNs: bigint;
  readonly runCnt: bigint;
  readonly recursionMisses: bigint;
  readonly verifiedInsns: number;
  readonly attachBtfObjId: number;
  readonly attachBtfId: number;
}

function hex(view: DataView, offset: number, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += view.getUint8(offset + index).toString(16).padStart(2, '0');
  return text;
}

/** Decodes a bpf_prog_info; `filledLength` (from info_len) hides fields an older kernel did not write. */
export function decodeProgramInfo(bytes: Uint8Array, filledLength = bytes.length): ProgramInfo {
  const view = viewOf(bytes);
  const u32 = (offset: number) => (offset + 4 <= filledLength ? view.getUint32(offset, true) : 0);
  const u64 = (offset: number) => (offset + 8 <= filledLength ? view.getBigUint64(offset, true) : 0n);
  return {
    type: u32(0),
    id: u32(4),
    tag: hex(view, 8, 8),
    jitedProgLen: u32(16),
    xlatedProgLen: u32(20),
    loadTimeNs: u64(40),
    createdByUid: u32(48),
    mapIdCount: u32(52),
    name: readFixedString(view, 64, OBJECT_NAME_CAPACITY),
    btfId: u32(128),
    runTimeNs: u64(192),
    runCnt: u64(200),
    recursionMisses: u64(208),
    verifiedInsns: u32(216),
    attachBtfObjId: u32(220),
    attachBtfId: u32(224),
  };
}

export interface MapInfo {
  readonly type: number;
  readonly id: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly name: string;
  readonly btfId: number;
  readonly btfKeyTypeId: number;
  readonly btfValueTypeId: number;
  readonly mapExtra: bigint;
}

export function decodeMapInfo(bytes: Uint8Array, filledLength = bytes.length): MapInfo {
  const view = viewOf(bytes);
  const u32 = (offset: number) => (offset + 4 <= filledLength ? view.getUint32(offset, true) : 0);
  return {
    type: u32(0),
    id: u32(4),
    keySize: u32(8),
    valueSize: u32(12),
    maxEntries: u32(16),
    flags: u32(20),
    name: readFixedString(view, 24, OBJECT_NAME_CAPACITY),
    btfId: u32(64),
    btfKeyTypeId: u32(68),
    btfValueTypeId: u32(72),
    mapExtra: 80 + 8 <= filledLength ? view.getBigUint64(80, true) : 0n,
  };
}
