// Symbol table entries (.symtab, .dynsym) as plain data, names without their version suffix.
import {
  sectionUndefined, symbolBindingOf, symbolSize, symbolTypeOf, symbolVisibilityOf,
  type SymbolBinding, type SymbolType, type SymbolVisibility,
} from './constants.js';
import { viewOf } from './headers.js';
import type { StringTable } from './strings.js';
import { splitVersionedName, type SymbolVersion, type SymbolVersions } from './versions.js';

export type SymbolTableKind = 'symtab' | 'dynsym';

export interface ElfSymbol {
  /** Without any version: `malloc`, never `malloc@@GLIBC_2.2.5`. */
  readonly name: string;
  readonly version: SymbolVersion | undefined;
  /** st_value: a virtual address in executables and shared objects. */
  readonly value: bigint;
  readonly size: number;
  readonly type: SymbolType;
  readonly binding: SymbolBinding;
  readonly visibility: SymbolVisibility;
  /** st_shndx: 0 for undefined (imported) symbols. */
  readonly sectionIndex: number;
  readonly table: SymbolTableKind;
}

/**
 * Every entry of a symbol table except the null entry 0. `versions` applies to .dynsym only; names in
 * .symtab may carry `@VERSION` in the string itself, which is split off the same way.
 */
export function parseSymbolTable(
  bytes: Uint8Array, strings: StringTable, table: SymbolTableKind, versions: SymbolVersions | undefined,
): ElfSymbol[] {
  const view = viewOf(bytes);
  const count = Math.floor(bytes.byteLength / symbolSize);
  const symbols: ElfSymbol[] = [];
  for (let index = 1; index < count; index++) {
    const base = index * symbolSize;
    const info = view.getUint8(base + 4);
    const sectionIndex = view.getUint16(base + 6, true);
    const rawName = strings.at(view.getUint32(base, true));
    let name = rawName;
    let version = versions?.of(index, sectionIndex !== sectionUndefined);
    if (version === undefined && rawName.includes('@')) ({ name, version } = splitVersionedName(rawName));
    symbols.push({
      name,
      version,
      value: view.getBigUint64(base + 8, true),
      size: Number(view.getBigUint64(base + 16, true)),
      type: symbolTypeOf(info),
      binding: symbolBindingOf(info),
      visibility: symbolVisibilityOf(view.getUint8(base + 5)),
      sectionIndex,
      table,
    });
  }
  return symbols;
}

/** `malloc@@GLIBC_2.2.5`, as readelf and nm show it (which leave out a version naming itself). */
export function versionedName(symbol: ElfSymbol): string {
  if (!symbol.version || symbol.version.name === symbol.name) return symbol.name;
  return `${symbol.name}${symbol.version.isDefault ? '@@' : '@'}${symbol.version.name}`;
}

/** Code a uprobe can attach to and a stack frame can land in: defined functions (and GNU ifuncs). */
export function isDefinedFunction(symbol: ElfSymbol): boolean {
  return (symbol.type === 'function' || symbol.type === 'ifunc') && symbol.sectionIndex !== sectionUndefined && symbol.value !== 0n;
}
