// The session's default SymbolResolver: src/symbols' Symbolizer (kernel names from /proc/kallsyms,
// user names from each process's mapped ELF files), reading stack ids from the script's stack-trace
// maps — one per address space, as the code generator creates them.
import type { MapDescription, UserCodeFile } from '../model/artifact.js';
import type { BpfMap } from '../loader/maps.js';
import { stackAddresses, Symbolizer } from '../symbols/index.js';

export interface StackMap {
  readonly map: BpfMap;
  readonly description: MapDescription;
}

export interface SessionSymbolsOptions {
  /**
   * Processes whose memory maps are read now (-p, -c): their ustack frames and usym() values still
   * resolve when they have exited before the output is printed (maps at exit).
   */
  readonly processes?: readonly number[];
  /** The script's probe binaries, which name the stacks of processes that are gone (CompiledScript.userCodeFiles). */
  readonly userCodeFiles?: readonly UserCodeFile[];
}

export function createSessionSymbolizer(stackMaps: readonly StackMap[], options: SessionSymbolsOptions = {}): Symbolizer {
  const bySpace = new Map<'kernel' | 'user', BpfMap>();
  for (const { map, description } of stackMaps) bySpace.set(description.stackSpace ?? 'kernel', map);
  const key = new Uint8Array(4);
  const keyView = new DataView(key.buffer);
  const symbolizer = new Symbolizer({
    ...(options.userCodeFiles ? { userCodeFiles: options.userCodeFiles } : {}),
    readStack: (type, stackId) => {
      const map = bySpace.get(type.space);
      if (!map) return undefined;
      keyView.setUint32(0, stackId, true);
      const value = map.lookup(key);
      return value ? stackAddresses(value) : undefined;
    },
  });
  for (const pid of options.processes ?? []) symbolizer.process(pid);
  return symbolizer;
}
