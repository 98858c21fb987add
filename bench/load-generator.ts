// The traced workload: a small C program that waits for a byte on stdin, then makes a fixed number of
// syscalls as fast as it can and prints the loop's wall time. C rather than Node because a Node loop
// makes extra syscalls of its own (timers, GC threads) and its speed drifts with JIT tiering.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const source = String.raw`
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long calls = argc > 1 ? atol(argv[1]) : 100000;
  const char *mode = argc > 2 ? argv[2] : "getppid";
  char go;
  /* The tracer attaches while we block here, so the loop below runs fully traced. */
  if (read(0, &go, 1) != 1) return 2;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start); /* vDSO: not a syscall */
  if (strcmp(mode, "open") == 0) {
    for (long i = 0; i < calls / 2; i++) close(open("/dev/null", O_RDONLY));
  } else {
    for (long i = 0; i < calls; i++) syscall(SYS_getppid);
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  long long ns = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
  printf("%lld\n", ns);
  return 0;
}
`;

export type LoadMode = 'getppid' | 'open';

export interface LoadGenerator {
  readonly path: string;
  /** Removes the build directory. */
  dispose(): void;
}

/** Compiles the generator with the system C compiler into a fresh temporary directory. */
export function buildLoadGenerator(): LoadGenerator {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-bench-'));
  const sourcePath = join(directory, 'loadgen.c');
  const path = join(directory, 'tsbpf-loadgen');
  writeFileSync(sourcePath, source);
  execFileSync('cc', ['-O2', '-o', path, sourcePath], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { path, dispose: () => rmSync(directory, { recursive: true, force: true }) };
}

/** A generator process blocked before its loop; its pid is known before any tracer starts. */
export interface PendingLoad {
  readonly pid: number;
  /** Starts the loop; resolves with the loop's wall time once the process exits. */
  run(): Promise<{ readonly loopNs: number }>;
  /** Kills the process if it has not finished (cleanup after a failure). */
  kill(): void;
}

export function prepareLoad(generator: LoadGenerator, calls: number, mode: LoadMode): PendingLoad {
  const child = spawn(generator.path, [String(calls), mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error(`could not start ${generator.path}`);
  const pid = child.pid;
  return {
    pid,
    async run() {
      child.stdin.end('g');
      const { code, signal } = await exited;
      const loopNs = Number(stdout.trim());
      if (code !== 0 || !Number.isFinite(loopNs)) {
        throw new Error(`load generator ${pid} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || stdout.trim()}`);
      }
      return { loopNs };
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
