// How each tool is run from the command line, what its banner looks like, and whether everything the
// benchmark needs is installed. tsbpf runs as its bundled CLI (`node dist/tsbpf.js`), as installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StreamName } from './tool-process.js';
import type { ToolName } from './tracers.js';

/** dist/bench/*.js → the repository root. */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tsbpfCli = join(repositoryRoot, 'dist', 'tsbpf.js');

export interface CommandOptions {
  /** `-o FILE`: output to a file (then the tool's default buffering applies). */
  readonly outputFile?: string;
  /** `-B none` so that each line reaches the pipe as it is printed (the timing runs need that). */
  readonly unbuffered?: boolean;
  /** Arguments before `-e` (`-d`, `--dry-run`). */
  readonly extra?: readonly string[];
}

/** The command line for a one-liner; `program` is a file when `extra` asks for it and no -e is wanted. */
export function toolCommand(tool: ToolName, program: string, options: CommandOptions = {}): string[] {
  const flags = [
    ...(options.unbuffered ? ['-B', 'none'] : []),
    ...(options.outputFile !== undefined ? ['-o', options.outputFile] : []),
    ...(options.extra ?? []),
    '-e',
    program,
  ];
  return tool === 'tsbpf' ? [process.execPath, tsbpfCli, ...flags] : ['bpftrace', ...flags];
}

/**
 * Variables that change how Node starts, left out of the tools' environment. NODE_EXTRA_CA_CERTS
 * (set machine-wide here for proxies) makes every Node process parse a CA bundle before any
 * JavaScript runs: ~55 ms per start on this machine, nothing to do with tsbpf.
 */
export const strippedEnvironment = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'] as const;

/** The environment both tools run in: this process's, without `strippedEnvironment`. */
export function toolEnvironment(): NodeJS.ProcessEnv {
  const environment = { ...process.env };
  for (const name of strippedEnvironment) delete environment[name];
  return environment;
}

/** The command line to run a script file. */
export function scriptCommand(tool: ToolName, path: string, extra: readonly string[]): string[] {
  return tool === 'tsbpf' ? [process.execPath, tsbpfCli, ...extra, path] : ['bpftrace', ...extra, path];
}

/**
 * The line each tool prints about its probes. bpftrace 0.17 prints `Attaching N probes...` on stdout
 * *before* it attaches; tsbpf prints `Attached N probes` on stderr *after*. So the banner flatters
 * bpftrace, and the benchmark also times the first event delivered.
 */
export const banners: Record<ToolName, { readonly stream: StreamName; readonly pattern: RegExp; readonly afterAttach: boolean }> = {
  tsbpf: { stream: 'stderr', pattern: /^Attached (\d+) probes?$/, afterAttach: true },
  bpftrace: { stream: 'stdout', pattern: /^Attaching (\d+) probes?\.\.\.$/, afterAttach: false },
};

/** Both tools report loss as `Lost N events` (bpftrace on stdout or -o's file, tsbpf on stderr). */
export const lostEventsPattern = /^Lost (\d+) events$/;

export interface Prerequisites {
  readonly bpftraceVersion: string | undefined;
  readonly bpftoolVersion: string | undefined;
  readonly compiler: boolean;
}

function firstLine(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.status !== 0 || typeof result.stdout !== 'string') return undefined;
  return result.stdout.split('\n')[0]!.trim();
}

export function checkPrerequisites(): Prerequisites {
  return {
    bpftraceVersion: firstLine('bpftrace', ['--version']),
    bpftoolVersion: firstLine('bpftool', ['version']),
    compiler: firstLine('cc', ['--version']) !== undefined,
  };
}

/** What is missing and how to get it, or nothing. The benchmark installs nothing by itself. */
export function missingPrerequisites(found: Prerequisites, needBpftrace: boolean): string[] {
  const problems: string[] = [];
  if (!found.compiler) problems.push('a C compiler (`cc`) for the load generator: apt-get install -y gcc');
  if (needBpftrace && !found.bpftraceVersion) problems.push('bpftrace, the tool compared against: apt-get install -y bpftrace');
  if (needBpftrace && !found.bpftoolVersion) problems.push('bpftool, for the program listings: apt-get install -y bpftool');
  return problems;
}

/** The newest modification time under a directory (for a stale-bundle check). */
function newestMtimeMs(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/tsbpf.js exists and is not older than src/ (npm run bench only runs tsc). Returns
 * what it did, for the log.
 */
export function ensureBundle(): string {
  const present = existsSync(tsbpfCli);
  if (present && statSync(tsbpfCli).mtimeMs >= newestMtimeMs(join(repositoryRoot, 'src'))) return 'bundle up to date';
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'scripts', 'bundle.mjs')], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status === 0) return present ? 'bundle rebuilt (older than src/)' : 'bundle built';
  if (present) return `bundle rebuild failed, using the existing one: ${result.stderr.trim()}`;
  throw new Error(`could not build dist/tsbpf.js: ${result.stderr.trim()}`);
}
