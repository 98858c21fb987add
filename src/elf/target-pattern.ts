// Uprobe targets with wildcards, expanded as bpftrace expands them: `*` alone is every file the -p
// process has mapped (without -p, every file any running process has mapped); any other pattern is
// a path glob (a name without `/` is also tried in each $PATH directory). Only ELF files a uprobe can
// use are kept: executables with execute permission, and shared objects.
import { accessSync, closeSync, constants, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { globToRegExp, isGlob } from '../btf/glob.js';

export interface TargetPatternOptions {
  /** -p: `*` means the files this process has mapped. */
  readonly pid?: number;
  /** $PATH; defaults to the environment's. */
  readonly searchPath?: string;
  /** For relative patterns; defaults to the process's working directory. */
  readonly cwd?: string;
}

const ET_EXEC = 2;
const ET_DYN = 3;

/** The binaries a wildcard target names, sorted and without repeats; [] when none. */
export function expandTargetPattern(pattern: string, options: TargetPatternOptions = {}): string[] {
  const candidates = pattern === '*' ? mappedFiles(options.pid) : globCandidates(pattern, options);
  return [...new Set(candidates)].filter(isUsableElf).sort();
}

/** Whether a uprobe target needs expanding (bpftrace expands `*`; `?` and `[` are globbed as well). */
export function isTargetPattern(target: string): boolean {
  return isGlob(target);
}

function globCandidates(pattern: string, options: TargetPatternOptions): string[] {
  const patterns = [resolve(options.cwd ?? process.cwd(), pattern)];
  if (!pattern.includes('/')) {
    for (const directory of (options.searchPath ?? process.env.PATH ?? '').split(delimiter)) {
      if (directory !== '') patterns.push(join(resolve(directory), pattern));
    }
  }
  return patterns.flatMap(expandGlob);
}

/** Every path matching an absolute glob, one directory level at a time. */
function expandGlob(absolute: string): string[] {
  let paths = ['/'];
  for (const segment of absolute.split('/').filter((part) => part !== '')) {
    if (!isGlob(segment)) {
      paths = paths.map((path) => join(path, segment));
      continue;
    }
    const matcher = globToRegExp(segment);
    paths = paths.flatMap((path) => entries(path).filter((name) => matcher.test(name) && (segment.startsWith('.') || !name.startsWith('.'))).map((name) => join(path, name)));
  }
  return paths;
}

function entries(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

/** The files one process (or every process) has mapped, as /proc/PID/maps names them. */
function mappedFiles(pid: number | undefined): string[] {
  const pids = pid !== undefined ? [pid] : entries('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  return pids.flatMap((one) => {
    let maps: string;
    try {
      maps = readFileSync(`/proc/${one}/maps`, 'latin1');
    } catch {
      return [];
    }
    return maps.split('\n').flatMap((line) => {
      const slash = line.indexOf('/');
      return slash >= 0 && !line.endsWith(' (deleted)') ? [line.slice(slash)] : [];
    });
  });
}

/** An executable with execute permission, or a shared object (bpftrace's is_elf check). */
function isUsableElf(path: string): boolean {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const header = Buffer.alloc(18);
    if (readSync(fd, header, 0, 18, 0) !== 18 || header.toString('latin1', 0, 4) !== '\x7fELF') return false;
    const type = header.readUInt16LE(16);
    if (type === ET_DYN) return true;
    if (type !== ET_EXEC) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
