// /proc/PID/maps: which file (and which offset in it) backs each range of a process's addresses.
//   7f2c1d600000-7f2c1d628000 r--p 00000000 fd:01 1315432    /usr/lib/x86_64-linux-gnu/libc.so.6
import { readFileSync } from 'node:fs';

export interface MemoryMapping {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
  /** `r-xp` */
  readonly permissions: string;
  /** File offset of `start`. */
  readonly offset: bigint;
  /** `fd:01`: with `inode`, identifies the file even if its path changed. */
  readonly device: string;
  readonly inode: number;
  /** The path, `[vdso]`/`[heap]`/`[stack]`, or '' for anonymous memory; ` (deleted)` is removed. */
  readonly path: string;
  readonly deleted: boolean;
}

export function parseProcessMaps(text: string): MemoryMapping[] {
  const mappings: MemoryMapping[] = [];
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S+)\s+([0-9a-f]+)\s+(\S+)\s+(\d+)\s*(.*)$/.exec(line);
    if (!match) continue;
    let path = match[7]!;
    const deleted = path.endsWith(' (deleted)');
    if (deleted) path = path.slice(0, -' (deleted)'.length);
    mappings.push({
      start: BigInt(`0x${match[1]}`),
      end: BigInt(`0x${match[2]}`),
      permissions: match[3]!,
      offset: BigInt(`0x${match[4]}`),
      device: match[5]!,
      inode: Number(match[6]),
      path,
      deleted,
    });
  }
  return mappings;
}

/** The process's mappings, or undefined when it has exited (or never existed). */
export function readProcessMaps(pid: number | 'self'): MemoryMapping[] | undefined {
  try {
    return parseProcessMaps(readFileSync(`/proc/${pid}/maps`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** The mapping containing `address` (mappings are in address order, as the kernel lists them). */
export function mappingAt(mappings: readonly MemoryMapping[], address: bigint): MemoryMapping | undefined {
  let low = 0;
  let high = mappings.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (mappings[middle]!.start > address) high = middle;
    else low = middle + 1;
  }
  const candidate = mappings[low - 1];
  return candidate && address < candidate.end ? candidate : undefined;
}

/** A file-backed mapping (not anonymous memory, the heap, the stack or [vdso]). */
export function isFileMapping(mapping: MemoryMapping): boolean {
  return mapping.path.startsWith('/');
}
