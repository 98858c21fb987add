// Separate debug files: distributions strip .symtab from binaries and ship it in
// /usr/lib/debug (libc6-dbg, *-dbgsym). Like gdb and bcc (so, bpftrace), look the file up by build id
// (/usr/lib/debug/.build-id/ab/cdef….debug), then by .gnu_debuglink name, checking its CRC-32.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as zlib from 'node:zlib';
import type { ElfFile } from './elf-file.js';
import { viewOf } from './headers.js';
import { readCString } from './strings.js';

const defaultDebugRoot = '/usr/lib/debug';

export function findDebugFile(elf: ElfFile, debugRoot = defaultDebugRoot): string | undefined {
  const buildId = elf.buildId();
  if (buildId && buildId.length > 2) {
    const candidate = join(debugRoot, '.build-id', buildId.slice(0, 2), `${buildId.slice(2)}.debug`);
    if (isFile(candidate)) return candidate;
  }
  const link = debugLink(elf);
  if (!link) return undefined;
  let ownPath: string;
  try {
    ownPath = realpathSync(elf.path);
  } catch {
    return undefined;
  }
  const directory = dirname(ownPath);
  for (const candidate of [join(directory, link.name), join(directory, '.debug', link.name), join(debugRoot, directory, link.name)]) {
    if (candidate === ownPath || !isFile(candidate)) continue;
    if (crcMatches(candidate, link.crc)) return candidate;
  }
  return undefined;
}

/** The .gnu_debuglink section: a file name, padding to 4 bytes, then the file's CRC-32. */
export function debugLink(elf: ElfFile): { name: string; crc: number } | undefined {
  const section = elf.section('.gnu_debuglink');
  if (!section) return undefined;
  const bytes = elf.sectionBytes(section);
  const { text, next } = readCString(bytes, 0);
  const crcOffset = (next + 3) & ~3;
  if (text === '' || crcOffset + 4 > bytes.byteLength) return undefined;
  return { name: text, crc: viewOf(bytes).getUint32(crcOffset, true) };
}

function crcMatches(path: string, expected: number): boolean {
  const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  // Without zlib.crc32 (Node < 20.15) the name alone has to do.
  if (!crc32) return true;
  try {
    return crc32(readFileSync(path)) >>> 0 === expected;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
