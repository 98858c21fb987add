// The two tools under test behind one face: start with a script, report the pid that holds the
// attachments, stop. tsbpf runs in this process through the library (compile + startSession);
// bpftrace runs as a child. Both format their output for real and throw it away, so userspace does
// the same work it would for a person.
import { spawn, type ChildProcess } from 'node:child_process';
import { compile } from '../src/compile.js';
import { hasErrors, renderDiagnostics } from '../src/diagnostics/index.js';
import { startSession } from '../src/index.js';

export type ToolName = 'tsbpf' | 'bpftrace';

export interface RunningTracer {
  readonly tool: ToolName;
  /** The process whose fds hold the attachments. */
  readonly pid: number;
  /** Why the tracer ended on its own, if it did (bpftrace failing to load, say). */
  failure(): string | undefined;
  /** Output lines so far that start with the prefix given at start (0 without one). */
  matchingLines(): number;
  stop(): Promise<void>;
}

/** Counts lines that start with `prefix` across arbitrary chunk boundaries. */
class LineCounter {
  count = 0;
  private partial = '';

  constructor(private readonly prefix: string | undefined) {}

  write(text: string): true {
    if (this.prefix === undefined) return true;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) if (line.startsWith(this.prefix)) this.count++;
    return true;
  }
}

const discard = { write: () => true };

export function startTsbpf(source: string, linePrefix?: string): RunningTracer {
  const compiled = compile(source, { fileName: 'bench' });
  if (!compiled.script || hasErrors(compiled.diagnostics)) {
    throw new Error(`tsbpf rejected the benchmark program:\n${renderDiagnostics(compiled.diagnostics, () => source)}`);
  }
  const stdout = new LineCounter(linePrefix);
  const session = startSession(compiled.script, { output: { format: 'text', stdout, stderr: discard }, banner: false });
  let ended: string | undefined;
  void session.done.then(() => {
    ended ??= session.failure ? `session failed: ${session.failure.message}` : 'session ended';
  });
  return {
    tool: 'tsbpf',
    pid: process.pid,
    failure: () => ended,
    matchingLines: () => stdout.count,
    async stop() {
      ended ??= 'stopped';
      await session.stop();
      if (session.failure) throw new Error(`tsbpf session failed: ${session.failure.message}`);
    },
  };
}

const stopTimeoutMs = 15_000;
/** bpftrace children still alive, so that an interrupted benchmark can still end them. */
const liveChildren = new Set<ChildProcess>();

export function startBpftrace(source: string, linePrefix?: string): RunningTracer {
  // Without lines to count, stdout goes straight to /dev/null and costs this process nothing.
  const child = spawn('bpftrace', ['-e', source], { stdio: ['ignore', linePrefix === undefined ? 'ignore' : 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start bpftrace');
  liveChildren.add(child);
  let stderr = '';
  let ended: string | undefined;
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stdout = new LineCounter(linePrefix);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.write(chunk));
  const closed = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      ended ??= `bpftrace: ${error.message}`;
      liveChildren.delete(child);
      resolve();
    });
    child.once('close', (code, signal) => {
      ended ??= `bpftrace exited (${signal ?? `code ${code}`}): ${meaningfulStderr(stderr)}`;
      liveChildren.delete(child);
      resolve();
    });
  });
  return {
    tool: 'bpftrace',
    pid: child.pid,
    failure: () => ended,
    matchingLines: () => stdout.count,
    async stop() {
      if (ended) {
        await closed;
        return;
      }
      ended = 'stopped';
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** bpftrace 0.17 always complains about RLIMIT_MEMLOCK here and carries on; that line is noise. */
function meaningfulStderr(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('RLIMIT_MEMLOCK'))
    .join('\n');
}

/** For signal handlers and crashes: SIGKILL any bpftrace still running. */
export function killAllBpftrace(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
}

export function startTracer(tool: ToolName, source: string, linePrefix?: string): RunningTracer {
  return tool === 'tsbpf' ? startTsbpf(source, linePrefix) : startBpftrace(source, linePrefix);
}
