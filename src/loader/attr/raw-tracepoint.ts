// BPF_RAW_TRACEPOINT_OPEN attr: tracepoint name (NULL for tp_btf programs), program, and the
// bpf_cookie that 6.10+ kernels accept at offset 16.
import { type Address, writeU32, writeU64, zeroedStruct } from './layout.js';

const RAW_TRACEPOINT_ATTR_SIZE = 24;

export function packRawTracepointOpen(attr: { readonly name: Address; readonly programFd: number; readonly cookie?: bigint }): Uint8Array {
  const { bytes, view } = zeroedStruct(RAW_TRACEPOINT_ATTR_SIZE);
  writeU64(view, 0, attr.name);
  writeU32(view, 8, attr.programFd);
  writeU64(view, 16, attr.cookie ?? 0n);
  return bytes;
}
