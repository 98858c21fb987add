// BPF_LINK_CREATE attr. The perf_event target variant (its bpf_cookie) and the uprobe_multi variant
// are modelled; other attach types use the same first 16 bytes.
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

/**
 * uprobe_multi (Linux 6.6): enum bpf_attach_type's BPF_TRACE_UPROBE_MULTI, its return-probe flag and
 * its link type. The uapi header src/bpf/uapi.generated.ts comes from predates them.
 */
export const UprobeMulti = { attachType: 48, returnFlag: 1, linkType: 12 } as const;

export interface UprobeMultiAttr {
  readonly programFd: number;
  /** Addresses of: the binary's path (NUL-terminated), `count` u64 file offsets, and `count` u64 cookies or 0. */
  readonly path: bigint;
  readonly offsets: bigint;
  readonly cookies: bigint;
  readonly count: number;
  readonly isReturn: boolean;
  /** Only this process; 0 for every process. */
  readonly pid: number;
}

/** link_create.uprobe_multi: path 16, offsets 24, ref_ctr_offsets 32, cookies 40, cnt 48, flags 52, pid 56. */
export function packUprobeMultiLinkCreate(attr: UprobeMultiAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(LINK_CREATE_ATTR_SIZE);
  writeU32(view, 0, attr.programFd);
  writeU32(view, 8, UprobeMulti.attachType);
  writeU64(view, 16, attr.path);
  writeU64(view, 24, attr.offsets);
  writeU64(view, 40, attr.cookies);
  writeU32(view, 48, attr.count);
  writeU32(view, 52, attr.isReturn ? UprobeMulti.returnFlag : 0);
  writeU32(view, 56, attr.pid);
  return bytes;
}
