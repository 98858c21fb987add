// `-c CMD`: the command must exist (and have a pid, for the compiler's `cpid`) before the probes are
// compiled and attached, yet must not run until they are. It is started as a small shell that
// blocks reading a pipe from us and then execs the command in place, keeping its pid. If tsbpf dies
// first, the pipe closes and the shell exits without running anything.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Writable } from 'node:stream';

export class ChildCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChildCommandError';
  }
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GatedCommand {
  readonly pid: number;
  /** Lets the command run. */
  release(): void;
  /** Settles when the command has exited. */
  readonly exited: Promise<ChildExit>;
  /** Ends the command if it is still waiting or running (SIGTERM), without waiting for it. */
  terminate(): void;
}

// `$0` is the resolved program, `$@` its arguments; fd 3 is the gate.
const gateScript = 'read -r go <&3 || exit 126; exec 3<&-; exec "$0" "$@"';

/** Starts `command` blocked at the gate. Throws ChildCommandError when it cannot be run at all. */
export function spawnGatedCommand(command: string, environment: NodeJS.ProcessEnv = process.env): GatedCommand {
  const words = splitCommandLine(command);
  const [program, ...args] = words;
  if (program === undefined) throw new ChildCommandError('-c needs a command');
  const executable = resolveExecutable(program, environment.PATH ?? '/usr/local/bin:/usr/bin:/bin');
  const child = spawn('/bin/sh', ['-c', gateScript, executable, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'pipe'], env: environment });
  if (child.pid === undefined) throw new ChildCommandError(`failed to start '${command}'`);
  const gate = child.stdio[3] as Writable;
  // The gate may close under us (the child killed by a signal); nothing to report then.
  gate.on('error', () => {});
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  return {
    pid: child.pid,
    release: () => {
      gate.end('go\n');
    },
    exited,
    terminate: () => terminate(child, gate),
  };
}

function terminate(child: ChildProcess, gate: Writable): void {
  gate.destroy();
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  // Do not keep tsbpf alive for a command that ignores SIGTERM.
  child.unref();
}

/** `PATH` lookup as execvp does it; a name with a slash is taken as a path. */
export function resolveExecutable(program: string, searchPath: string): string {
  const candidates = program.includes('/') ? [program] : searchPath.split(delimiter).filter((directory) => directory !== '').map((directory) => join(directory, program));
  for (const candidate of candidates) {
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new ChildCommandError(`failed to run '${program}': ${program.includes('/') ? 'the path does not exist or is not executable' : 'command not found in PATH'}`);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Splits `-c`'s command into words as bpftrace does: at spaces, with no shell quoting, so quotes stay
 * part of the words (`/bin/echo 'A'` runs echo with the argument `'A'`, which `join(args.argv)`
 * shows back). Runs of spaces separate like one (bpftrace would pass empty arguments).
 */
export function splitCommandLine(command: string): string[] {
  return command.split(' ').filter((word) => word !== '');
}
