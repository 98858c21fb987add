// Turns a failure while loading or running into the text a user sees: the kernel's reason, where in
// the script it comes from when the verifier names an instruction (a caret under the source, as
// for compile errors), and what to do. Never a stack trace.
import type { CompiledScript } from '../codegen/artifact.js';
import { errorAt, renderDiagnostic } from '../diagnostics/index.js';
import { sanitizeObjectName } from '../loader/attr/layout.js';
import { SyscallError } from '../loader/native.js';
import { VerifierError } from '../loader/verifier-error.js';

export interface FailureContext {
  /** The compiled script, to map a verifier complaint back to its source span. */
  readonly script?: CompiledScript;
  /** The text of each file named by a span. */
  readonly sourceFor?: (file: string) => string | undefined;
  /** `-v`: show the verifier's whole log. */
  readonly verbose?: boolean;
}

export function describeFailure(error: unknown, context: FailureContext = {}): string {
  if (error instanceof VerifierError) return describeRejection(error, context);
  if (error instanceof SyscallError) {
    const hint = error.code === 'EPERM' ? 'HINT: tsbpf needs root (CAP_BPF and CAP_PERFMON)\n' : '';
    return `ERROR: ${error.message}\n${hint}`;
  }
  if (error instanceof Error) return `ERROR: ${error.message}\n`;
  return `ERROR: ${String(error)}\n`;
}

function describeRejection(error: VerifierError, context: FailureContext): string {
  const reason = error.summary.length > 0 ? error.summary.map((line) => line.trim()).join(': ') : `${error.code} without a log`;
  const message = `the kernel's verifier rejected program ${error.programName}: ${reason}`;
  const span = failingSpan(error, context.script);
  let text = span ? renderDiagnostic(errorAt(span, message), context.sourceFor?.(span.file)) : `ERROR: ${message}\n`;
  for (const hint of error.hints) text += `HINT: ${hint}\n`;
  if (context.verbose && error.log.length > 0) text += `Kernel error log:\n${error.log.join('\n')}\n`;
  else if (error.omittedLineCount > 0) text += 'HINT: run with -v for the kernel\'s full verifier log\n';
  return text;
}

function failingSpan(error: VerifierError, script: CompiledScript | undefined) {
  if (!script || error.instructionIndex === undefined) return undefined;
  const program = script.programs.find((candidate) => sanitizeObjectName(candidate.name) === error.programName);
  return program?.assembled.spans[error.instructionIndex];
}
