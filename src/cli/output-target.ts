// Where a run's output goes: stdout or `-o FILE`, buffered per `-B`. Without -B, text is written as
// each ring-buffer drain produces it (the session already batches a drain into one write). `line`
// holds back an unfinished line; `full` collects up to a block before writing. Either way
// everything is written by the time the run ends.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { BufferingMode } from './arguments.js';

/** The CLI's own two streams (listings, debug dumps, diagnostics). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** A session's stdout: a TextSink the session writes to, flushed and closed by the CLI. */
export interface OutputTarget {
  write(text: string): void;
  flush(): void;
  close(): void;
}

export class OutputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputFileError';
  }
}

const fullBufferBytes = 64 * 1024;

/**
 * Opens the destination. `onBrokenPipe` runs once when stdout's reader goes away (`tsbpf … | head`):
 * the run should end quietly instead of dying on EPIPE.
 */
export function openOutputTarget(options: { readonly file?: string; readonly buffering?: BufferingMode }, onBrokenPipe: () => void): OutputTarget {
  const destination = options.file === undefined ? stdoutDestination(onBrokenPipe) : fileDestination(options.file);
  return buffered(destination, options.buffering);
}

interface Destination {
  write(text: string): void;
  close(): void;
}

function stdoutDestination(onBrokenPipe: () => void): Destination {
  let broken = false;
  return {
    write: (text) => {
      if (broken) return;
      try {
        writeFully(1, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
        broken = true;
        onBrokenPipe();
      }
    },
    close: () => {},
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text`, waiting while the pipe is full (EAGAIN: Node makes pipes non-blocking).
 * process.stdout.write would queue in memory instead, without limit when the reader is slower than
 * the probes (a soak at 600k lines/s grew to gigabytes); waiting here slows the draining, the ring
 * buffer overflows, and the kernel counts what is lost, which the session reports.
 */
function writeFully(fd: number, text: string): void {
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

function fileDestination(path: string): Destination {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new OutputFileError(`failed to open output file '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return {
    write: (text) => void writeSync(fd, text),
    close: () => closeSync(fd),
  };
}

function buffered(destination: Destination, mode: BufferingMode | undefined): OutputTarget {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    destination.write(text);
  };
  const write = (text: string): void => {
    switch (mode) {
      case undefined:
      case 'none':
        return destination.write(text);
      case 'line': {
        pending += text;
        const end = pending.lastIndexOf('\n') + 1;
        if (end === 0) return;
        const complete = pending.slice(0, end);
        pending = pending.slice(end);
        return destination.write(complete);
      }
      case 'full':
        pending += text;
        if (pending.length >= fullBufferBytes) flush();
        return;
      default:
        return unreachable(mode);
    }
  };
  return {
    write,
    flush,
    close: () => {
      flush();
      destination.close();
    },
  };
}

function unreachable(value: never): never {
  throw new Error(`unknown buffering mode ${JSON.stringify(value)}`);
}
