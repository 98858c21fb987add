// Symbol indexes of the files processes map (and of probes' binaries), shared between processes (every
// process maps the same libc) and kept for the session: a file is opened and indexed once, on the
// first address in it.
import { statSync } from 'node:fs';
import { findDebugFile } from '../elf/debug-file.js';
import { ElfFile } from '../elf/elf-file.js';
import type { ElfSegment } from '../elf/headers.js';
import { FunctionIndex } from './function-index.js';
import type { MemoryMapping } from './process-maps.js';

export interface LoadedModule {
  /** The path the process maps it by (what perf-mode stacks print). */
  readonly path: string;
  readonly segments: readonly ElfSegment[];
  readonly functions: FunctionIndex;
}

export interface ModuleCacheOptions {
  /** Also read separate debug files (/usr/lib/debug); on by default, as bpftrace does. */
  readonly useDebugFiles?: boolean;
  readonly debugRoot?: string;
}

export class ModuleCache {
  private readonly modules = new Map<string, LoadedModule | null>();

  constructor(private readonly options: ModuleCacheOptions = {}) {}

  /** The module behind a file mapping of `pid`; undefined when it cannot be read as ELF. */
  forMapping(pid: number, mapping: MemoryMapping): LoadedModule | undefined {
    const key = mapping.inode !== 0 ? `${mapping.device}:${mapping.inode}` : mapping.path;
    let module = this.modules.get(key);
    if (module === undefined) {
      module = this.load(pid, mapping) ?? null;
      this.modules.set(key, module);
    }
    return module ?? undefined;
  }

  /** A binary by path (a probe's target, for a process that has exited); undefined when it is not readable ELF. */
  forFile(path: string): LoadedModule | undefined {
    const key = `path:${path}`;
    let module = this.modules.get(key);
    if (module === undefined) {
      module = this.open(path, path) ?? null;
      this.modules.set(key, module);
    }
    return module ?? undefined;
  }

  private load(pid: number, mapping: MemoryMapping): LoadedModule | undefined {
    for (const candidate of candidatePaths(pid, mapping)) {
      const module = this.open(candidate, mapping.path);
      if (module) return module;
    }
    return undefined;
  }

  /** `candidate` indexed (with its debug file), shown as `path`; undefined when it cannot be read. */
  private open(candidate: string, path: string): LoadedModule | undefined {
    let elf: ElfFile;
    try {
      elf = ElfFile.open(candidate);
    } catch {
      return undefined;
    }
    const files = [elf];
    try {
      const debugPath = this.options.useDebugFiles === false ? undefined : findDebugFile(elf, this.options.debugRoot);
      if (debugPath) {
        try {
          files.push(ElfFile.open(debugPath));
        } catch {
          // A broken debug file: the binary's own symbols still work.
        }
      }
      return { path, segments: elf.segments, functions: FunctionIndex.build(files) };
    } catch {
      // A malformed table: the caller tries the next way to the file, or gives up on names.
      return undefined;
    } finally {
      for (const file of files) file.close();
    }
  }
}

/**
 * Ways to open the mapped file, surest first: the path itself when it is still the same inode, the
 * kernel's handle on the very mapping (survives deletion and upgrades, needs the process alive),
 * then the path inside the process's root (containers).
 */
function candidatePaths(pid: number, mapping: MemoryMapping): string[] {
  const paths: string[] = [];
  if (!mapping.deleted && sameInode(mapping.path, mapping.inode)) paths.push(mapping.path);
  paths.push(`/proc/${pid}/map_files/${mapping.start.toString(16)}-${mapping.end.toString(16)}`);
  if (sameInode(`/proc/${pid}/root${mapping.path}`, mapping.inode)) paths.push(`/proc/${pid}/root${mapping.path}`);
  return paths;
}

function sameInode(path: string, inode: number): boolean {
  try {
    return inode === 0 || statSync(path).ino === inode;
  } catch {
    return false;
  }
}
