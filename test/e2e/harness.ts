// What the end-to-end tests share: the test process's identity (programs filter on it), a way to make
// syscalls from this thread, and the session runner (compile, load into the real verifier, attach,
// fire, capture exactly what the session prints), which lives in test/support/session.ts.
import { readFileSync } from 'node:fs';

/** The test process's identity, which programs filter on and outputs are asserted against. */
export const self = {
  pid: process.pid,
  uid: process.getuid!(),
  gid: process.getgid!(),
  comm: readFileSync('/proc/self/comm', 'utf8').trim(),
} as const;

/** A predicate that keeps only this process's events (other processes run on the machine too). */
export const onlySelf = `/pid == ${self.pid}/`;

// The session runner itself is the tests' shared one (test/support/session.ts).
export { CompileFailure, compileErrors, compileScript, runScript as run, type RunOptions, type RunResult } from '../support/session.js';

/** Makes `times` getppid syscalls from this thread (Node reads process.ppid with one getppid). */
export function callGetppid(times: number): void {
  for (let index = 0; index < times; index++) void process.ppid;
}

/** `BEGIN { body exit(); }`: the common shape of a test that needs no event. */
export function begin(body: string): string {
  return `BEGIN { ${body} exit(); }`;
}
