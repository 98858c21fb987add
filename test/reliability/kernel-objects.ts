// What a process holds in the kernel (BPF programs, maps and links by id, perf events), read from
// /proc/PID/fd and fdinfo, and what the kernel still has (bpftool … show -j), to check that a run
// leaves nothing behind. Other processes load BPF objects too, so checks are by the ids a run held.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface HeldObjects {
  readonly programs: number[];
  readonly maps: number[];
  readonly links: number[];
  /** perf_event fds (tracepoints, uprobes, timers): they have no id, so they are counted. */
  readonly perfEvents: number;
}

export function heldObjects(pid: number | 'self'): HeldObjects {
  const held: HeldObjects = { programs: [], maps: [], links: [], perfEvents: 0 };
  let perfEvents = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    let info: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      info = target.startsWith('anon_inode:') ? readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8') : '';
    } catch {
      continue; // closed meanwhile
    }
    const id = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)$`, 'm').exec(info)?.[1] ?? NaN);
    if (target === 'anon_inode:bpf-prog') held.programs.push(id('prog_id'));
    else if (target === 'anon_inode:bpf-map') held.maps.push(id('map_id'));
    else if (target === 'anon_inode:bpf_link') held.links.push(id('link_id'));
    else if (target === 'anon_inode:[perf_event]') perfEvents++;
  }
  return { ...held, perfEvents };
}

export interface KernelIds {
  readonly programs: Set<number>;
  readonly maps: Set<number>;
  readonly links: Set<number>;
}

/** Every BPF object id the kernel has now, from bpftool (needs tool('bpftool'); a failing bpftool throws). */
export function kernelIds(): KernelIds {
  const ids = (kind: string): Set<number> => {
    const listed = JSON.parse(execFileSync('bpftool', [kind, 'show', '-j'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { id: number }[];
    return new Set(listed.map((entry) => entry.id));
  };
  return { programs: ids('prog'), maps: ids('map'), links: ids('link') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The ids in `held` that the kernel still has after up to `timeoutMs` (objects are freed an RCU
 * grace period after their last reference goes); [] when all are gone.
 */
export async function remainingAfter(held: HeldObjects, timeoutMs = 5000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = kernelIds();
    const left = [
      ...held.programs.filter((id) => now.programs.has(id)).map((id) => `program ${id}`),
      ...held.maps.filter((id) => now.maps.has(id)).map((id) => `map ${id}`),
      ...held.links.filter((id) => now.links.has(id)).map((id) => `link ${id}`),
    ];
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(100);
  }
}

/** A stack trace in CLI output: a user should never see one. */
export const stackTrace = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
