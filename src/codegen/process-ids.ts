// The process (tgid) and thread ids a program reads, as one u64 in bpf_get_current_pid_tgid's layout
// (tgid << 32 | tid). By default they are numbered as tsbpf sees them: in the initial pid namespace
// that is the helper's answer; when tsbpf runs in another one (a container), bpf_get_ns_current_pid_tgid
// asks for the ids in tsbpf's namespace (a task of any other namespace reads 0, as in bpftrace), so that `pid` matches -p, cpid
// and the /proc/PID where the runtime reads symbols. `pid(init)` asks for the initial namespace's.
import { R10, ldx } from '../bpf/index.js';
import type { Host, PidNamespace } from '../model/host.js';
import type { Emitter } from './emitter.js';
import type { Temp } from './registers.js';

/** Whose numbering: tsbpf's pid namespace, or the initial one. */
export type PidView = 'tsbpf' | 'init';

/** sizeof(struct bpf_pidns_info): u32 pid (the thread), then u32 tgid — pid_tgid's layout in memory. */
const PIDNS_INFO_SIZE = 8;

/** A temporary holding tgid << 32 | tid, numbered in `view`. */
export function loadPidTgid(e: Emitter, host: Host, view: PidView): Temp {
  const namespace = view === 'tsbpf' ? host.pidNamespace() : undefined;
  if (!namespace) return e.callHelper('get_current_pid_tgid', [])!;
  const slot = storeNamespacePidTgid(e, namespace);
  const temp = e.pool.acquire();
  e.emit(ldx('dw', e.pool.writable(temp), R10, slot));
  return temp;
}

/** Writes tgid << 32 | tid as numbered in `namespace` to a new stack slot; returns its offset. */
export function storeNamespacePidTgid(e: Emitter, namespace: PidNamespace): number {
  const slot = e.allocate(PIDNS_INFO_SIZE);
  // For a task whose own namespace is another one, the helper fails and zeroes the ids.
  e.callHelper('get_ns_current_pid_tgid', [
    { kind: 'wide', value: BigInt(namespace.device) }, { kind: 'wide', value: BigInt(namespace.inode) },
    { kind: 'stack', offset: slot }, { kind: 'immediate', value: PIDNS_INFO_SIZE },
  ], true);
  return slot;
}
