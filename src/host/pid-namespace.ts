// Which pid namespace tsbpf runs in. In the initial one, bpf_get_current_pid_tgid numbers processes as
// tsbpf sees them; in another (a container, `unshare --pid`), programs must ask the kernel for the ids
// in tsbpf's namespace instead, naming it by nsfs device and inode, as bpftrace does.
import { statSync } from 'node:fs';
import type { PidNamespace } from '../model/host.js';

/** The initial pid namespace's inode (PROC_PID_INIT_INO in the kernel's proc_ns.h). */
export const INITIAL_PID_NAMESPACE_INODE = 0xeffffffc;

/** tsbpf's pid namespace, or undefined in the initial one (or when /proc cannot tell). */
export function ownPidNamespace(path = '/proc/self/ns/pid'): PidNamespace | undefined {
  let stat;
  try {
    stat = statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
  if (stat.ino === BigInt(INITIAL_PID_NAMESPACE_INODE)) return undefined;
  return { device: kernelDevice(stat.dev), inode: Number(stat.ino) };
}

/**
 * stat()'s device number (glibc's encoding: minor's low byte, major, minor's rest) in the kernel's
 * dev_t encoding (major << 20 | minor), which the helper compares with nsfs's.
 */
export function kernelDevice(device: bigint): number {
  const major = ((device >> 8n) & 0xfffn) | ((device >> 32n) & ~0xfffn);
  const minor = (device & 0xffn) | ((device >> 12n) & ~0xffn);
  return Number((major << 20n) | minor);
}
