// `-p PID`: the process must exist when tracing starts, and tracing ends when it exits, as with
// bpftrace. Node has no pidfd, so liveness is read from /proc, where a zombie (exited, not yet
// reaped by its parent) counts as gone.
import { readFileSync } from 'node:fs';

export function processIsAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // `pid (comm) state …`: comm may hold spaces and parentheses, the state follows the last `)`.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Calls `onExit` once when `pid` is gone; returns a function that stops watching. */
export function watchProcessExit(pid: number, onExit: () => void, intervalMs = 100): () => void {
  const timer = setInterval(() => {
    if (processIsAlive(pid)) return;
    clearInterval(timer);
    onExit();
  }, intervalMs);
  // The session's poll handle keeps the process alive; this timer alone must not.
  timer.unref();
  return () => clearInterval(timer);
}
