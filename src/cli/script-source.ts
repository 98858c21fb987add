// Reading the program text: `-e` inline, a script file, or `-` for stdin. A file that cannot be read
// is a user error with the system's reason, never a stack trace.
import { readFileSync } from 'node:fs';
import type { ProgramSource } from './arguments.js';

export interface ScriptText {
  readonly text: string;
  /** What diagnostics call it: the path, or `stdin` for -e and -. */
  readonly fileName: string;
}

export class ScriptReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptReadError';
  }
}

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
};

export function readProgram(source: ProgramSource): ScriptText {
  switch (source.kind) {
    case 'inline':
      return { text: source.text, fileName: 'stdin' };
    case 'stdin':
      return { text: readOrExplain(0, 'stdin'), fileName: 'stdin' };
    case 'file':
      return { text: readOrExplain(source.path, source.path), fileName: source.path };
    default:
      return unreachable(source);
  }
}

function readOrExplain(file: string | number, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new ScriptReadError(`failed to open file '${name}': ${reasons[code] ?? (code || String(error))}`);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown program source ${JSON.stringify(value)}`);
}
