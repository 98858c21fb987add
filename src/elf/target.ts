// Where `uprobe:TARGET:fn` and `usdt:TARGET:…` point, resolved as bpftrace does: a path (anything with
// a `/`), else a program found in $PATH, else a library: one the traced process has mapped (with -p),
// then /etc/ld.so.cache, then the standard library directories. Library names may be full sonames
// (`libc.so.6`), stems (`libc`) or bare (`c`, as in `-lc`).
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { nativeCacheFlags, readLdCache, type LdCacheEntry } from './ld-cache.js';

export type TargetResolution =
  | { readonly kind: 'found'; readonly path: string; readonly via: TargetSource }
  | { readonly kind: 'not-found'; readonly target: string; readonly message: string };

export type TargetSource = 'path' | 'search-path' | 'process' | 'ld-cache' | 'library-directory';

export interface TargetOptions {
  /** The traced process (-p): its mapped libraries win over system ones. */
  readonly pid?: number;
  /** $PATH; defaults to the environment's. */
  readonly searchPath?: string;
  readonly ldCachePath?: string;
  readonly libraryDirectories?: readonly string[];
  /** For relative paths; defaults to the process's working directory. */
  readonly cwd?: string;
}

const standardLibraryDirectories: Readonly<Record<string, readonly string[]>> = {
  x64: ['/lib64', '/usr/lib64', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib', '/usr/lib', '/usr/local/lib'],
  arm64: ['/lib64', '/usr/lib64', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib', '/usr/lib', '/usr/local/lib'],
};

export function resolveTarget(target: string, options: TargetOptions = {}): TargetResolution {
  if (target === '') return { kind: 'not-found', target, message: 'empty uprobe target' };
  if (target.includes('/')) {
    const path = resolve(options.cwd ?? process.cwd(), target);
    return isFile(path) ? { kind: 'found', path, via: 'path' } : { kind: 'not-found', target, message: `${target}: no such file` };
  }
  if (options.pid !== undefined) {
    const mapped = libraryMappedBy(options.pid, target);
    if (mapped) return { kind: 'found', path: mapped, via: 'process' };
  }
  const program = findInSearchPath(target, options.searchPath ?? process.env.PATH ?? '');
  if (program) return { kind: 'found', path: program, via: 'search-path' };
  const cached = findInLdCache(target, readLdCache(options.ldCachePath));
  if (cached) return { kind: 'found', path: cached, via: 'ld-cache' };
  const directories = options.libraryDirectories ?? standardLibraryDirectories[process.arch] ?? standardLibraryDirectories.x64!;
  const found = findInDirectories(target, directories);
  if (found) return { kind: 'found', path: found, via: 'library-directory' };
  return { kind: 'not-found', target, message: `${target}: not found in $PATH, /etc/ld.so.cache or the library directories` };
}

/** The file names a library reference may match, most specific first. */
export function libraryNamePrefixes(target: string): string[] {
  if (/\.so(\.|$)/.test(target)) return [target];
  return target.startsWith('lib') ? [`${target}.so`] : [`lib${target}.so`, `${target}.so`];
}

function matchesLibrary(fileName: string, target: string): boolean {
  if (fileName === target) return true;
  return libraryNamePrefixes(target).some((prefix) => fileName === prefix || fileName.startsWith(`${prefix}.`));
}

export function findInLdCache(target: string, entries: readonly LdCacheEntry[], flags = nativeCacheFlags()): string | undefined {
  const usable = entries.filter((entry) => flags === undefined || entry.flags === flags);
  // hwcaps-specific builds are an optimisation the loader may pick; the plain one always exists.
  const ordered = [...usable.filter((entry) => entry.hwcap === 0n), ...usable.filter((entry) => entry.hwcap !== 0n)];
  const exact = ordered.find((entry) => entry.name === target);
  if (exact) return exact.path;
  return ordered.find((entry) => matchesLibrary(entry.name, target))?.path;
}

function findInSearchPath(name: string, searchPath: string): string | undefined {
  for (const directory of searchPath.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (isFile(candidate)) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function findInDirectories(target: string, directories: readonly string[]): string | undefined {
  for (const directory of directories) {
    const exact = join(directory, target);
    if (isFile(exact)) return exact;
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      continue;
    }
    // Prefer the runtime soname (libc.so.6) over the dev symlink (libc.so); skip linker scripts.
    const matches = names.filter((name) => matchesLibrary(name, target) && isElfFile(join(directory, name))).sort((a, b) => b.length - a.length);
    if (matches.length > 0) return join(directory, matches[0]!);
  }
  return undefined;
}

/** A file the process has mapped whose name matches (`libc` → /usr/lib/…/libc.so.6). */
function libraryMappedBy(pid: number, target: string): string | undefined {
  let maps: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'latin1');
  } catch {
    return undefined;
  }
  for (const line of maps.split('\n')) {
    const slash = line.indexOf('/');
    if (slash === -1) continue;
    const path = line.slice(slash);
    if (!matchesLibrary(basename(path), target)) continue;
    // A process in another mount namespace (a container) sees files we can reach only through its root.
    return existsSync(path) ? path : `/proc/${pid}/root${path}`;
  }
  return undefined;
}

function isElfFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.toString('latin1') === '\x7fELF';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
