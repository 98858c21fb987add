// The functions of a binary as uprobe targets: one entry per name (a function defined in both
// .symtab and .dynsym, or under several versions, is one target), found by exact name or by glob
// (`uprobe:/bin/bash:read*`), each with the file offset the uprobe is placed at.
import { globLiteralPrefix, globToRegExp, isGlob } from '../btf/glob.js';
import type { ElfFile } from './elf-file.js';
import { isDefinedFunction, type ElfSymbol } from './symbols.js';

export interface FunctionTarget {
  readonly name: string;
  readonly address: bigint;
  readonly size: number;
  /** undefined when no PT_LOAD maps the address (then it cannot be probed). */
  readonly fileOffset: number | undefined;
  readonly symbol: ElfSymbol;
}

/** Every defined function, by name; .symtab first (it has the static functions), then .dynsym. */
export function functionTargets(elf: ElfFile): Map<string, FunctionTarget> {
  const byName = new Map<string, FunctionTarget>();
  for (const table of ['symtab', 'dynsym'] as const) {
    for (const symbol of elf.symbols(table)) {
      if (!isDefinedFunction(symbol) || symbol.name === '') continue;
      const existing = byName.get(symbol.name);
      // Two static functions may share a name; an exported one is the one users mean.
      if (existing && (symbol.binding === 'local' || existing.symbol.binding !== 'local')) continue;
      byName.set(symbol.name, { name: symbol.name, address: symbol.value, size: symbol.size, fileOffset: elf.fileOffsetOf(symbol.value), symbol });
    }
  }
  return byName;
}

/** The functions whose names match `pattern` (a glob, or an exact name), sorted by name. */
export function matchFunctions(elf: ElfFile, pattern: string): FunctionTarget[] {
  const targets = functionTargets(elf);
  if (!isGlob(pattern)) {
    const target = targets.get(pattern);
    return target ? [target] : [];
  }
  const prefix = globLiteralPrefix(pattern);
  const expression = globToRegExp(pattern);
  const matches: FunctionTarget[] = [];
  for (const [name, target] of targets) if (name.startsWith(prefix) && expression.test(name)) matches.push(target);
  return matches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
