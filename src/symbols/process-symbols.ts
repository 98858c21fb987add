// User addresses of one process → functions. The memory map is read on first use and kept, so a
// process that has exited still resolves addresses through the map seen while it lived (bpftrace's
// -p behaviour); a process already gone at first use resolves nothing and stacks print addresses.
import { addressOfFileOffset } from '../elf/address.js';
import type { ModuleCache } from './module-cache.js';
import { readPerfMap, type PerfMap } from './perf-map.js';
import { isFileMapping, mappingAt, readProcessMaps, type MemoryMapping } from './process-maps.js';

export interface UserSymbol {
  readonly name: string;
  /** Bytes past the function's start. */
  readonly offset: number;
  /** The file the function is in, as the process maps it (or the perf map). */
  readonly module: string;
}

export interface ProcessSymbolsOptions {
  /** Re-read the memory map on an address outside it (dlopen) at most this often. Default 1000. */
  readonly refreshIntervalMs?: number;
  /** For tests: what reads /proc/PID/maps. */
  readonly readMaps?: (pid: number) => MemoryMapping[] | undefined;
}

export class ProcessSymbols {
  private mappings: readonly MemoryMapping[] | undefined;
  private lastRead = 0;
  private perfMap: PerfMap | null | undefined;
  private readonly refreshIntervalMs: number;
  private readonly readMaps: (pid: number) => MemoryMapping[] | undefined;

  constructor(readonly pid: number, private readonly modules: ModuleCache, options: ProcessSymbolsOptions = {}) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 1000;
    this.readMaps = options.readMaps ?? readProcessMaps;
  }

  /** Reads the memory map now (if not yet read); false when the process is already gone. */
  snapshot(): boolean {
    if (!this.mappings) this.refresh();
    return this.mappings !== undefined;
  }

  resolve(address: bigint): UserSymbol | undefined {
    this.snapshot();
    let mapping = this.mappings && mappingAt(this.mappings, address);
    if (!mapping && this.mappings && Date.now() - this.lastRead >= this.refreshIntervalMs) {
      this.refresh();
      mapping = this.mappings && mappingAt(this.mappings, address);
    }
    if (!mapping) return undefined;
    if (!isFileMapping(mapping)) return this.resolveJitted(address);
    const module = this.modules.forMapping(this.pid, mapping);
    if (!module) return undefined;
    const fileOffset = address - mapping.start + mapping.offset;
    if (fileOffset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    const linkAddress = addressOfFileOffset(module.segments, Number(fileOffset));
    if (linkAddress === undefined) return undefined;
    const symbol = module.functions.lookup(Number(linkAddress));
    return symbol && { name: symbol.name, offset: symbol.offset, module: module.path };
  }

  private refresh(): void {
    this.lastRead = Date.now();
    // A failed read means the process exited: keep what was seen while it lived.
    const mappings = this.readMaps(this.pid);
    if (mappings) this.mappings = mappings;
  }

  private resolveJitted(address: bigint): UserSymbol | undefined {
    if (this.perfMap === undefined) this.perfMap = readPerfMap(this.pid) ?? null;
    const symbol = this.perfMap?.lookup(Number(address));
    return symbol && this.perfMap ? { ...symbol, module: this.perfMap.path } : undefined;
  }
}
