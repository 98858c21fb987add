// Map element commands: LOOKUP/UPDATE/DELETE/GET_NEXT_KEY share one layout; the BATCH commands another.
import { type Address, viewOf, writeU32, writeU64, zeroedStruct } from './layout.js';

/** Flags for MAP_UPDATE_ELEM. */
export const UpdateFlags = { ANY: 0, NOEXIST: 1, EXIST: 2, LOCK: 4 } as const;

export interface MapElemAttr {
  readonly mapFd: number;
  readonly key: Address;
  /** The value buffer (lookup/update) or the next-key buffer (GET_NEXT_KEY). */
  readonly valueOrNextKey?: Address;
  readonly flags?: number | bigint;
}

/** Map element ops only read the first 32 bytes; a short attr keeps the hot path cheap. */
const MAP_ELEM_ATTR_SIZE = 32;

export function packMapElem(attr: MapElemAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(MAP_ELEM_ATTR_SIZE);
  writeU32(view, 0, attr.mapFd);
  writeU64(view, 8, attr.key);
  writeU64(view, 16, attr.valueOrNextKey ?? 0n);
  writeU64(view, 24, attr.flags ?? 0);
  return bytes;
}

export interface MapBatchAttr {
  readonly mapFd: number;
  /** NULL on the first call; afterwards the previous call's out_batch. */
  readonly inBatch: Address;
  readonly outBatch: Address;
  readonly keys: Address;
  readonly values: Address;
  /** In: capacity of keys/values in elements. Out (read back with readBatchCount): elements returned. */
  readonly count: number;
  readonly elemFlags?: number | bigint;
  readonly flags?: number | bigint;
}

const MAP_BATCH_ATTR_SIZE = 56;

export function packMapBatch(attr: MapBatchAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(MAP_BATCH_ATTR_SIZE);
  writeU64(view, 0, attr.inBatch);
  writeU64(view, 8, attr.outBatch);
  writeU64(view, 16, attr.keys);
  writeU64(view, 24, attr.values);
  writeU32(view, 32, attr.count);
  writeU32(view, 36, attr.mapFd);
  writeU64(view, 40, attr.elemFlags ?? 0);
  writeU64(view, 48, attr.flags ?? 0);
  return bytes;
}

/** The kernel writes the number of elements it copied back into `count`, even on ENOENT. */
export function readBatchCount(attr: Uint8Array): number {
  return viewOf(attr).getUint32(32, true);
}
