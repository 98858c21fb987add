// Attaching loaded programs: perf events (tracepoints, and later kprobe/uprobe/software events)
// through a BPF link where the kernel has one, else the older ioctl pair; raw tracepoints through
// RAW_TRACEPOINT_OPEN; many uprobes in one binary through one uprobe_multi link. Each attachment owns its fds and is undone by close().
import { AttachType, BpfCommand } from '../bpf/uapi.generated.js';
import { cString } from './attr/layout.js';
import { packLinkCreate, packUprobeMultiLinkCreate } from './attr/link-create.js';
import { packPerfEventAttr, PERF_FLAG_FD_CLOEXEC, type PerfEventAttr, PerfIoctl, tracepointEventAttr } from './attr/perf-event-attr.js';
import { packRawTracepointOpen } from './attr/raw-tracepoint.js';
import { native, SyscallError } from './native.js';
import { bpf, closeFd, commandName } from './syscall.js';
import { tracepointId } from './tracefs.js';

/** Anything with a program fd (a BpfProgram). */
export interface ProgramHandle {
  readonly fd: number;
  readonly name?: string;
}

export type Attachment =
  | { readonly kind: 'perf-event-link'; readonly target: string; readonly linkFd: number; readonly perfEventFd: number; close(): void }
  | { readonly kind: 'perf-event-ioctl'; readonly target: string; readonly perfEventFd: number; close(): void }
  | { readonly kind: 'raw-tracepoint'; readonly target: string; readonly fd: number; close(): void }
  | { readonly kind: 'uprobe-multi'; readonly target: string; readonly linkFd: number; close(): void };

const EINVAL = 22;
const EOPNOTSUPP = 95;
const ENOTSUPP = 524;

export interface PerfAttachOptions {
  /** Passed to the program as bpf_get_attach_cookie() (needs a BPF link). */
  readonly cookie?: bigint;
  /** 'auto' (default): a BPF link, falling back to PERF_EVENT_IOC_SET_BPF when the kernel has none. */
  readonly mechanism?: 'auto' | 'link' | 'ioctl';
}

export interface PerfEventTarget {
  /** -1 for every process (then `cpu` must be a CPU), or a pid/tid. */
  readonly pid: number;
  /** A CPU number, or -1 for any CPU (then `pid` must be a process). */
  readonly cpu: number;
  readonly groupFd?: number;
}

/** perf_event_open with close-on-exec; throws SyscallError naming `what`. */
export function openPerfEvent(attr: PerfEventAttr, target: PerfEventTarget, what = 'perf event'): number {
  const fd = native().perfEventOpen(packPerfEventAttr(attr), target.pid, target.cpu, target.groupFd ?? -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) throw new SyscallError(`perf_event_open ${what}`, -fd);
  return fd;
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (!done) action();
    done = true;
  };
}

/**
 * Attaches `program` to an open perf event and takes ownership of `perfEventFd` (closed on failure
 * and on close()). A cookie needs a BPF link (5.15+); without one the ioctl path is the fallback.
 */
export function attachPerfEvent(program: ProgramHandle, perfEventFd: number, options: PerfAttachOptions & { readonly target?: string } = {}): Attachment {
  const target = options.target ?? `perf event fd ${perfEventFd}`;
  const addon = native();
  const mechanism = options.mechanism ?? 'auto';
  if (mechanism === 'ioctl' && options.cookie !== undefined) {
    closeFd(perfEventFd);
    throw new TypeError(`attach ${target}: a bpf_cookie needs a BPF link, not the ioctl mechanism`);
  }
  const linkFd = mechanism === 'ioctl'
    ? -EOPNOTSUPP
    : bpf(BpfCommand.LINK_CREATE, packLinkCreate({ programFd: program.fd, targetFd: perfEventFd, attachType: AttachType.PERF_EVENT, perfEventCookie: options.cookie }));
  if (linkFd >= 0) {
    return {
      kind: 'perf-event-link', target, linkFd, perfEventFd,
      close: once(() => {
        closeFd(linkFd);
        closeFd(perfEventFd);
      }),
    };
  }
  const linkUnsupported = linkFd === -EINVAL || linkFd === -EOPNOTSUPP || linkFd === -ENOTSUPP;
  if (!linkUnsupported || options.cookie !== undefined || mechanism === 'link') {
    closeFd(perfEventFd);
    throw new SyscallError(`${commandName(BpfCommand.LINK_CREATE)} ${program.name ?? `fd ${program.fd}`} to ${target}`, -linkFd);
  }
  let result = addon.ioctl(perfEventFd, PerfIoctl.SET_BPF, program.fd);
  if (result >= 0) result = addon.ioctl(perfEventFd, PerfIoctl.ENABLE, 0);
  if (result < 0) {
    closeFd(perfEventFd);
    throw new SyscallError(`attach ${program.name ?? `fd ${program.fd}`} to ${target} (PERF_EVENT_IOC_SET_BPF)`, -result);
  }
  return {
    kind: 'perf-event-ioctl', target, perfEventFd,
    close: once(() => {
      addon.ioctl(perfEventFd, PerfIoctl.DISABLE, 0);
      closeFd(perfEventFd);
    }),
  };
}

/**
 * Attaches a TRACEPOINT program to `category:name`. One event on CPU 0 is enough: the program is
 * attached to the tracepoint itself and runs on every CPU.
 */
export function attachTracepoint(program: ProgramHandle, category: string, name: string, options: PerfAttachOptions = {}): Attachment {
  const target = `tracepoint:${category}:${name}`;
  const perfEventFd = openPerfEvent(tracepointEventAttr(tracepointId(category, name)), { pid: -1, cpu: 0 }, target);
  return attachPerfEvent(program, perfEventFd, { ...options, target });
}

/** Attaches a RAW_TRACEPOINT program to the kernel tracepoint `name` (e.g. `sys_enter`). */
export function attachRawTracepoint(program: ProgramHandle, name: string, options: { readonly cookie?: bigint } = {}): Attachment {
  const nameBytes = cString(name);
  const attr = packRawTracepointOpen({ name: native().addressOf(nameBytes), programFd: program.fd, cookie: options.cookie });
  const fd = bpf(BpfCommand.RAW_TRACEPOINT_OPEN, attr);
  if (fd < 0) {
    const hint = fd === -2 ? 'no such raw tracepoint' : undefined;
    throw new SyscallError(`${commandName(BpfCommand.RAW_TRACEPOINT_OPEN)} ${name}`, -fd, hint);
  }
  return { kind: 'raw-tracepoint', target: `rawtracepoint:${name}`, fd, close: once(() => closeFd(fd)) };
}

export interface UprobeMultiTarget {
  /** The binary. */
  readonly path: string;
  /** File offsets of the probed instructions. */
  readonly offsets: readonly number[];
  /** Each offset's bpf_get_attach_cookie() value (default: none, 0). */
  readonly cookies?: readonly bigint[];
  readonly isReturn: boolean;
  /** Only this process (-p, -c); else every process. */
  readonly pid?: number;
}

/** Attaches a KPROBE program loaded for BPF_TRACE_UPROBE_MULTI to every offset of `target` through one link. */
export function attachUprobeMulti(program: ProgramHandle, target: UprobeMultiTarget, name: string): Attachment {
  if (target.cookies && target.cookies.length !== target.offsets.length) throw new RangeError(`${name}: ${target.cookies.length} cookies for ${target.offsets.length} offsets`);
  const path = cString(target.path);
  const offsets = BigUint64Array.from(target.offsets, (offset) => BigInt(offset));
  const cookies = target.cookies ? BigUint64Array.from(target.cookies) : undefined;
  const addressOf = native().addressOf;
  const linkFd = bpf(BpfCommand.LINK_CREATE, packUprobeMultiLinkCreate({
    programFd: program.fd, path: addressOf(path), offsets: addressOf(offsets), cookies: cookies ? addressOf(cookies) : 0n,
    count: offsets.length, isReturn: target.isReturn, pid: target.pid ?? 0,
  }));
  if (linkFd < 0) throw new SyscallError(`${commandName(BpfCommand.LINK_CREATE)} ${program.name ?? `fd ${program.fd}`} to ${name} (uprobe_multi)`, -linkFd);
  return { kind: 'uprobe-multi', target: name, linkFd, close: once(() => closeFd(linkFd)) };
}
