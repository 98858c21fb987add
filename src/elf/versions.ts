// GNU symbol versioning (.gnu.version, .gnu.version_d, .gnu.version_r): turns a .dynsym entry into
// `malloc@@GLIBC_2.2.5` (the default definition), `memcpy@GLIBC_2.2.5` (an older, hidden one) or
// `free@GLIBC_2.2.5` (a reference to another library's version).
import { viewOf } from './headers.js';
import type { StringTable } from './strings.js';

export interface SymbolVersion {
  readonly name: string;
  /** `@@`: the version a new link binds to. Only definitions that are not hidden. */
  readonly isDefault: boolean;
}

const hiddenBit = 0x8000;
/** Version indexes 0 (local) and 1 (global, unversioned) name no version. */
const firstNamedVersion = 2;
const versionDefinitionIsBase = 1; // VER_FLG_BASE: the file's own soname, not a version

/** Version index → name, from the definitions (Elf64_Verdef chain of `count` entries). */
export function parseVersionDefinitions(bytes: Uint8Array, count: number, strings: StringTable): Map<number, string> {
  const view = viewOf(bytes);
  const names = new Map<number, string>();
  let offset = 0;
  for (let entry = 0; entry < count && offset + 20 <= bytes.byteLength; entry++) {
    const flags = view.getUint16(offset + 2, true);
    const index = view.getUint16(offset + 4, true);
    const auxiliaryCount = view.getUint16(offset + 6, true);
    const auxiliaryOffset = view.getUint32(offset + 12, true);
    const next = view.getUint32(offset + 16, true);
    // The first Verdaux names this version; later ones name its parents.
    if (auxiliaryCount > 0 && (flags & versionDefinitionIsBase) === 0 && offset + auxiliaryOffset + 8 <= bytes.byteLength) {
      names.set(index & 0x7fff, strings.at(view.getUint32(offset + auxiliaryOffset, true)));
    }
    if (next === 0) break;
    offset += next;
  }
  return names;
}

/** Version index → name, from the requirements (Elf64_Verneed chain, each with its Vernaux chain). */
export function parseVersionNeeds(bytes: Uint8Array, count: number, strings: StringTable): Map<number, string> {
  const view = viewOf(bytes);
  const names = new Map<number, string>();
  let offset = 0;
  for (let entry = 0; entry < count && offset + 16 <= bytes.byteLength; entry++) {
    const auxiliaryCount = view.getUint16(offset + 2, true);
    let auxiliary = offset + view.getUint32(offset + 8, true);
    const next = view.getUint32(offset + 12, true);
    for (let index = 0; index < auxiliaryCount && auxiliary + 16 <= bytes.byteLength; index++) {
      const versionIndex = view.getUint16(auxiliary + 6, true);
      names.set(versionIndex & 0x7fff, strings.at(view.getUint32(auxiliary + 8, true)));
      const nextAuxiliary = view.getUint32(auxiliary + 12, true);
      if (nextAuxiliary === 0) break;
      auxiliary += nextAuxiliary;
    }
    if (next === 0) break;
    offset += next;
  }
  return names;
}

/** Resolves the .gnu.version entry of each dynamic symbol. */
export class SymbolVersions {
  private readonly indexes: DataView;

  constructor(versionSymbols: Uint8Array, private readonly definitions: Map<number, string>, private readonly needs: Map<number, string>) {
    this.indexes = viewOf(versionSymbols);
  }

  of(symbolIndex: number, defined: boolean): SymbolVersion | undefined {
    if ((symbolIndex + 1) * 2 > this.indexes.byteLength) return undefined;
    const raw = this.indexes.getUint16(symbolIndex * 2, true);
    const index = raw & ~hiddenBit;
    if (index < firstNamedVersion) return undefined;
    if (defined) {
      const name = this.definitions.get(index);
      if (name !== undefined) return { name, isDefault: (raw & hiddenBit) === 0 };
    }
    const needed = this.needs.get(index) ?? this.definitions.get(index);
    return needed === undefined ? undefined : { name: needed, isDefault: false };
  }
}

/** Splits a name that carries its version in the string itself (`.symtab` of linked files). */
export function splitVersionedName(name: string): { name: string; version: SymbolVersion | undefined } {
  const at = name.indexOf('@', 1);
  if (at === -1) return { name, version: undefined };
  const isDefault = name.charCodeAt(at + 1) === 0x40;
  const version = name.slice(at + (isDefault ? 2 : 1));
  // `@@@`-style or empty versions are not versions; keep the name whole.
  if (version.length === 0) return { name, version: undefined };
  return { name: name.slice(0, at), version: { name: version, isDefault } };
}
