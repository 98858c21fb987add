// JIT symbol maps (/tmp/perf-PID.map), written by runtimes for code that has no ELF file: node
// --perf-basic-prof, perf-map-agent for the JVM, LuaJIT. Each line is `START SIZE name`, hex numbers.
import { upperBound } from './upper-bound.js';
import { readFileSync } from 'node:fs';

export interface PerfMapSymbol {
  readonly name: string;
  readonly offset: number;
}

export class PerfMap {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly names: readonly string[];

  constructor(text: string, readonly path: string) {
    const entries: { start: number; end: number; name: string }[] = [];
    for (const line of text.split('\n')) {
      const match = /^(?:0x)?([0-9a-fA-F]+) (?:0x)?([0-9a-fA-F]+) (.+)$/.exec(line);
      if (!match) continue;
      const start = parseInt(match[1]!, 16);
      entries.push({ start, end: start + parseInt(match[2]!, 16), name: match[3]! });
    }
    // Later lines win: a JIT reuses addresses after freeing code, so sort stably and search the last.
    entries.sort((a, b) => a.start - b.start);
    this.starts = Float64Array.from(entries, (entry) => entry.start);
    this.ends = Float64Array.from(entries, (entry) => entry.end);
    this.names = entries.map((entry) => entry.name);
  }

  lookup(address: number): PerfMapSymbol | undefined {
    const low = upperBound(this.starts, address);
    // Entries do not nest; only a few can overlap after code was moved.
    for (let position = low - 1; position >= 0 && position >= low - 8; position--) {
      if (address < this.ends[position]!) return { name: this.names[position]!, offset: address - this.starts[position]! };
    }
    return undefined;
  }
}

/** The process's perf map, seen through its root (containers) first; undefined when it has none. */
export function readPerfMap(pid: number): PerfMap | undefined {
  for (const path of [`/proc/${pid}/root/tmp/perf-${pid}.map`, `/tmp/perf-${pid}.map`]) {
    try {
      return new PerfMap(readFileSync(path, 'utf8'), `/tmp/perf-${pid}.map`);
    } catch {
      // try the next place
    }
  }
  return undefined;
}
