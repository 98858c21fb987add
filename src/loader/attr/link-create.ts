// BPF_LINK_CREATE attr. Only the perf_event target variant (its bpf_cookie) is modelled; other
// attach types use the same first 16 bytes.
import { writeU32, writeU64, zeroedStruct } from './layout.js';

export interface LinkCreateAttr {
  readonly programFd: number;
  /** A perf event fd, cgroup fd, ifindex…, depending on attachType. */
  readonly targetFd: number;
  readonly attachType: number;
  readonly flags?: number;
  /** BPF_PERF_EVENT only: the value bpf_get_attach_cookie() returns. */
  readonly perfEventCookie?: bigint;
}

const LINK_CREATE_ATTR_SIZE = 64;

export function packLinkCreate(attr: LinkCreateAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(LINK_CREATE_ATTR_SIZE);
  writeU32(view, 0, attr.programFd);
  writeU32(view, 4, attr.targetFd);
  writeU32(view, 8, attr.attachType);
  writeU32(view, 12, attr.flags ?? 0);
  writeU64(view, 16, attr.perfEventCookie ?? 0n);
  return bytes;
}
