// The benchmark's two helpers in C, compiled once per run into a temporary directory:
// - the load generator: makes syscalls on cue (a fixed number, paced to a rate, or a slow trickle);
// - the exec wrapper: starts a tool, and reports its pid, start and end times and peak RSS (wait4's
//   ru_maxrss), the same way for tsbpf (node) and bpftrace.
// C rather than Node because a Node loop makes syscalls of its own (timers, GC threads) and its
// speed drifts with JIT tiering, and because rusage of a child is not reachable from Node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const loadGeneratorSource = String.raw`
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t); /* vDSO: not a syscall */
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
  long calls = argc > 1 ? atol(argv[1]) : 100000;
  const char *mode = argc > 2 ? argv[2] : "getppid";
  double parameter = argc > 3 ? atof(argv[3]) : 0;
  if (strcmp(mode, "trickle") == 0) {
    /* Until killed: one getppid() every 'parameter' microseconds, for first-event detection. */
    struct timespec pause = { 0, (long)(parameter > 0 ? parameter : 200) * 1000 };
    for (;;) {
      syscall(SYS_getppid);
      nanosleep(&pause, 0);
    }
  }
  char go;
  /* The tracer attaches while we block here, so the loop below runs fully traced. */
  if (read(0, &go, 1) != 1) return 2;
  long long start = now_ns();
  if (strcmp(mode, "open") == 0) {
    for (long i = 0; i < calls / 2; i++) close(open("/dev/null", O_RDONLY));
  } else if (strcmp(mode, "paced") == 0) {
    /* 'parameter' calls per second, in small bursts; spinning, because sleeping adds wakeup
       jitter and syscalls of its own. */
    const long burst = 16;
    for (long done = 0; done < calls;) {
      long count = calls - done < burst ? calls - done : burst;
      for (long i = 0; i < count; i++) syscall(SYS_getppid);
      done += count;
      long long due = start + (long long)((double)done * 1e9 / parameter);
      while (now_ns() < due) {}
    }
  } else {
    for (long i = 0; i < calls; i++) syscall(SYS_getppid);
  }
  printf("%lld\n", now_ns() - start);
  return 0;
}
`;

const execWrapperSource = String.raw`
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void keep_waiting(int signal_number) { (void)signal_number; }

int main(int argc, char **argv) {
  if (argc < 2) return 127;
  /* Reports go to fd 3, which the tool must not inherit. */
  fcntl(3, F_SETFD, FD_CLOEXEC);
  /* A Ctrl-C reaches the whole process group; the wrapper must outlive the tool to report. A
     handler, not SIG_IGN: exec keeps SIG_IGN but resets handlers, so the tool sees the default. */
  struct sigaction action = { 0 };
  action.sa_handler = keep_waiting;
  sigaction(SIGINT, &action, 0);
  sigaction(SIGTERM, &action, 0);
  long long start = now_ns();
  pid_t child = fork();
  if (child < 0) return 126;
  if (child == 0) {
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  dprintf(3, "started %d %lld\n", child, start);
  int status;
  struct rusage usage;
  while (wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) return 125;
  }
  long long end = now_ns();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  dprintf(3, "exited %lld %ld %d\n", end, usage.ru_maxrss, code);
  return code;
}
`;

export interface CPrograms {
  readonly loadGenerator: string;
  readonly execWrapper: string;
  /** Removes the build directory. */
  dispose(): void;
}

/** Compiles both helpers with the system C compiler into a fresh temporary directory. */
export function buildCPrograms(): CPrograms {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-bench-'));
  const build = (name: string, source: string) => {
    const sourcePath = join(directory, `${name}.c`);
    const path = join(directory, name);
    writeFileSync(sourcePath, source);
    execFileSync('cc', ['-O2', '-o', path, sourcePath], { stdio: ['ignore', 'ignore', 'pipe'] });
    return path;
  };
  try {
    return {
      loadGenerator: build('tsbpf-loadgen', loadGeneratorSource),
      execWrapper: build('tsbpf-exec', execWrapperSource),
      dispose: () => rmSync(directory, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
