// BPF_MAP_CREATE attr (union bpf_attr, anonymous map-create struct).
import { BPF_ATTR_SIZE, OBJECT_NAME_CAPACITY, writeFixedString, writeU32, writeU64, zeroedStruct } from './layout.js';

export interface MapCreateAttr {
  readonly mapType: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags?: number;
  readonly innerMapFd?: number;
  readonly numaNode?: number;
  /** Already sanitized; truncated to 15 characters here. */
  readonly name?: string;
  readonly btfFd?: number;
  readonly btfKeyTypeId?: number;
  readonly btfValueTypeId?: number;
  readonly mapExtra?: bigint;
}

export function packMapCreate(attr: MapCreateAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(BPF_ATTR_SIZE);
  writeU32(view, 0, attr.mapType);
  writeU32(view, 4, attr.keySize);
  writeU32(view, 8, attr.valueSize);
  writeU32(view, 12, attr.maxEntries);
  writeU32(view, 16, attr.flags ?? 0);
  writeU32(view, 20, attr.innerMapFd ?? 0);
  writeU32(view, 24, attr.numaNode ?? 0);
  if (attr.name) writeFixedString(view, 28, OBJECT_NAME_CAPACITY, attr.name);
  if (attr.btfFd !== undefined) {
    writeU32(view, 48, attr.btfFd);
    writeU32(view, 52, attr.btfKeyTypeId ?? 0);
    writeU32(view, 56, attr.btfValueTypeId ?? 0);
  }
  writeU64(view, 64, attr.mapExtra ?? 0n);
  return bytes;
}
