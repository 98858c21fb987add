// /etc/ld.so.cache, the dynamic linker's index of installed libraries, in glibc's current format
// ("glibc-ld.so.cache" + "1.1"): a 48-byte header, then `count` 24-byte entries
//   i32 flags, u32 name, u32 path, u32 os version, u64 hwcap
// whose name and path are offsets of NUL-terminated strings, counted from the header's start. Since
// glibc 2.32 ldconfig writes only this format; older files put it after a legacy "ld.so-1.7.0" table.
import { readFileSync } from 'node:fs';
import { viewOf } from './headers.js';
import { readCString } from './strings.js';

export interface LdCacheEntry {
  /** The soname as linked against: `libc.so.6`. */
  readonly name: string;
  readonly path: string;
  /** FLAG_ELF_LIBC6 (3) | the architecture's ABI bits (x86-64: 0x300, aarch64: 0xa00). */
  readonly flags: number;
  /** Nonzero for libraries in glibc-hwcaps subdirectories. */
  readonly hwcap: bigint;
}

const newMagic = 'glibc-ld.so.cache1.1';
const legacyMagic = 'ld.so-1.7.0';
const headerSize = 48;
const entrySize = 24;
const legacyEntrySize = 12;

/** Parses the cache's bytes; undefined when they hold no current-format table. */
export function parseLdCache(bytes: Uint8Array): LdCacheEntry[] | undefined {
  const start = newFormatStart(bytes);
  if (start === undefined || start + headerSize > bytes.byteLength) return undefined;
  const view = viewOf(bytes);
  const count = view.getUint32(start + 20, true);
  const table = bytes.subarray(start);
  const entries: LdCacheEntry[] = [];
  for (let index = 0; index < count; index++) {
    const entry = start + headerSize + index * entrySize;
    if (entry + entrySize > bytes.byteLength) return undefined;
    const nameOffset = view.getUint32(entry + 4, true);
    const pathOffset = view.getUint32(entry + 8, true);
    if (nameOffset >= table.byteLength || pathOffset >= table.byteLength) return undefined;
    entries.push({
      name: readCString(table, nameOffset).text,
      path: readCString(table, pathOffset).text,
      flags: view.getInt32(entry, true),
      hwcap: view.getBigUint64(entry + 16, true),
    });
  }
  return entries;
}

function newFormatStart(bytes: Uint8Array): number | undefined {
  if (startsWith(bytes, 0, newMagic)) return 0;
  if (!startsWith(bytes, 0, legacyMagic)) return undefined;
  // The legacy header is the 11-byte magic padded to 12, a u32 count, then 12-byte entries; the new
  // table follows, aligned to 8.
  const legacyCount = viewOf(bytes).getUint32(12, true);
  const afterLegacy = 16 + legacyCount * legacyEntrySize;
  const aligned = (afterLegacy + 7) & ~7;
  return startsWith(bytes, aligned, newMagic) ? aligned : undefined;
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset + text.length > bytes.byteLength) return false;
  for (let index = 0; index < text.length; index++) if (bytes[offset + index] !== text.charCodeAt(index)) return false;
  return true;
}

/** The cache flags of libraries this process can load (its own architecture, glibc ABI). */
export function nativeCacheFlags(arch: string = process.arch): number | undefined {
  const libc6 = 0x0003;
  switch (arch) {
    case 'x64': return libc6 | 0x0300;
    case 'arm64': return libc6 | 0x0a00;
    default: return undefined;
  }
}

let cached: { path: string; entries: LdCacheEntry[] } | undefined;

/** The system's cache (empty when missing or unreadable); read once per path. */
export function readLdCache(path = '/etc/ld.so.cache'): LdCacheEntry[] {
  if (cached?.path !== path) {
    let entries: LdCacheEntry[] = [];
    try {
      entries = parseLdCache(readFileSync(path)) ?? [];
    } catch {
      // No cache: library names fall back to the standard directories.
    }
    cached = { path, entries };
  }
  return cached.entries;
}
