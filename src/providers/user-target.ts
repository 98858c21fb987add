// The binary a uprobe or usdt attach point names, resolved as bpftrace does (a path; a program in
// $PATH; a library the -p process has mapped, or from ld.so.cache or the library directories), or the
// -p process's own executable when the attach point names none. Also opens it as ELF.
import { ElfError, type ElfFile } from '../elf/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { ResolveEnvironment } from '../model/provider.js';

/** The resolved path, or undefined after reporting why not at `span`. */
export function userTargetPath(target: string | undefined, span: SourceSpan, environment: ResolveEnvironment, provider: string): string | undefined {
  const { diagnostics, targetPid, host } = environment;
  if (target === undefined) {
    if (targetPid === undefined) {
      diagnostics.error(span, `${provider} needs a binary or library, e.g. ${provider}:/bin/bash:readline`, 'or give -p PID to probe that process\'s executable');
      return undefined;
    }
    return executableOf(targetPid, span, environment);
  }
  const resolution = host.userTarget(target, targetPid);
  if (resolution.kind === 'not-found') {
    diagnostics.error(span, `${provider} target ${resolution.message}`);
    return undefined;
  }
  return resolution.path;
}

function executableOf(pid: number, span: SourceSpan, { diagnostics, host }: ResolveEnvironment): string | undefined {
  try {
    return host.processExecutable(pid);
  } catch (error) {
    diagnostics.error(span, `cannot find the executable of process ${pid} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}

/**
 * The target as a probe's name shows it, as bpftrace shows it: a path as written (`testprogs/app`
 * stays relative), a name found in $PATH or the library directories as the file found.
 */
export function shownTarget(written: string | undefined, path: string): string {
  return written !== undefined && written.includes('/') ? written : path;
}

/** Runs `use` on the ELF file at `path` and closes it; reports and returns undefined when it is not one. */
export function withElf<T>(path: string, span: SourceSpan, { diagnostics, host }: ResolveEnvironment, use: (elf: ElfFile) => T): T | undefined {
  let elf: ElfFile;
  try {
    elf = host.openElf(path);
  } catch (error) {
    if (error instanceof ElfError) {
      diagnostics.error(span, error.kind === 'not-elf' ? `${path} is not an ELF binary` : error.message);
      return undefined;
    }
    throw error;
  }
  try {
    return use(elf);
  } finally {
    elf.close();
  }
}

/** -p or -c: the process whose events a uprobe or usdt keeps. */
export function processFilter(environment: ResolveEnvironment): number | undefined {
  return environment.targetPid ?? environment.childPid;
}
