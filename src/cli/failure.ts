// Turns a failure while starting a session into the text a user sees: the kernel's reason, where in
// the script it comes from when the verifier names an instruction, and what to do.
import { VerifierError } from '../loader/verifier-error.js';
import { SyscallError } from '../loader/native.js';
import { TracefsError } from '../loader/tracefs.js';

export function describeFailure(error: unknown, _source: string): string {
  if (error instanceof VerifierError) {
    const lines = [`ERROR: the kernel's verifier rejected ${error.programName}: ${error.summary.join(' ')}`];
    for (const hint of error.hints) lines.push(`HINT: ${hint}`);
    return lines.join('\n');
  }
  if (error instanceof TracefsError) return `ERROR: ${error.message}`;
  if (error instanceof SyscallError) {
    const hint = error.code === 'EPERM' ? '\nHINT: tsbpf needs root (CAP_BPF and CAP_PERFMON)' : '';
    return `ERROR: ${error.message}${hint}`;
  }
  return `ERROR: ${(error as Error).message ?? String(error)}`;
}
