// Turns a failure while loading or running into the text a user sees: the kernel's reason, where in
// the script it comes from when the verifier names an instruction (a caret under the source, as
// for compile errors), and what to do. Never a stack trace.
import { readFileSync } from 'node:fs';
import type { CompiledScript } from '../model/artifact.js';
import { errorAt, renderDiagnostic } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
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
  if (error instanceof SyscallError) return `ERROR: ${error.message}\n${syscallHint(error)}`;
  if (error instanceof Error) return `ERROR: ${error.message}\n`;
  return `ERROR: ${String(error)}\n`;
}

function syscallHint(error: SyscallError): string {
  switch (error.code) {
    case 'EPERM':
    case 'EACCES': {
      const missing = missingCapabilities();
      if (missing === undefined) return 'HINT: tsbpf needs root (CAP_BPF and CAP_PERFMON)\n';
      if (missing.length > 0) return `HINT: tsbpf runs without ${missing.join(' and ')}: run it as root\n`;
      return 'HINT: tsbpf has CAP_BPF and CAP_PERFMON, so the kernel refused for another reason (lockdown, a security module, a sysctl)\n';
    }
    case 'EMFILE':
    case 'ENFILE':
      return 'HINT: out of file descriptors: raise the limit (ulimit -n) or attach fewer probes\n';
    default:
      return '';
  }
}

/** Capability numbers (linux/capability.h) that loading and attaching need. */
const neededCapabilities: readonly (readonly [name: string, bit: number])[] = [['CAP_BPF', 39], ['CAP_PERFMON', 38]];

/** Which of CAP_BPF and CAP_PERFMON this process lacks (CAP_SYS_ADMIN covers both); undefined if unknown. */
export function missingCapabilities(status = readStatus()): string[] | undefined {
  const match = status === undefined ? null : /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  if (!match) return undefined;
  const effective = BigInt(`0x${match[1]}`);
  const has = (bit: number) => ((effective >> BigInt(bit)) & 1n) === 1n;
  if (has(21)) return [];
  return neededCapabilities.filter(([, bit]) => !has(bit)).map(([name]) => name);
}

function readStatus(): string | undefined {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return undefined;
  }
}

function describeRejection(error: VerifierError, context: FailureContext): string {
  // EPERM before any verification (an empty log) is a permission problem when capabilities are missing.
  const missing = (error.code === 'EPERM' || error.code === 'EACCES') && error.log.length === 0 ? missingCapabilities() : undefined;
  if (missing && missing.length > 0) {
    return `ERROR: the kernel refused to load program ${error.programName}: ${error.code}\nHINT: tsbpf runs without ${missing.join(' and ')}: run it as root\n`;
  }
  const reason = verifierReason(error.log) ?? (error.summary.length > 0 ? error.summary.map((line) => line.trim()).join(': ') : `${error.code} without a log`);
  const message = `the kernel's verifier rejected program ${error.programName}: ${reason}`;
  const span = failingSpan(error, context.script);
  let text = span ? renderDiagnostic(errorAt(span, message), context.sourceFor?.(span.file)) : `ERROR: ${message}\n`;
  for (const hint of error.hints) text += `HINT: ${hint}\n`;
  if (context.verbose && error.log.length > 0) text += `Kernel error log:\n${error.log.join('\n')}\n`;
  else if (error.log.length > 1) text += 'HINT: run with -v for the kernel\'s full verifier log\n';
  return text;
}

/**
 * Lines of a verifier log that say nothing about why it failed: statistics, register and stack
 * state dumps, the instructions it walked, precision backtracking.
 */
const noise: readonly RegExp[] = [
  /^\s*$/, /^processed \d+ insns/, /^verification time/, /^stack depth/, /^(cur|old) state:/, /^\d+: \([0-9a-f]{2}\)/,
  /^\d+:( R\d+.*)?$/, /^func#\d+ @\d+/, /^mark_precise/, /^last_idx/, /^regs=/, /^from \d+ to \d+:/, /^; /, /^Live regs/,
  /^(\s*(R\d+|fp-?\d+)\S*=\S+)+\s*$/, /^frame\d+:/, /^\s*parent (didn't have|already had)/, /^caller:/, /^callee:/,
];

/** The verifier's one-line reason: the last line of its log that is not state, statistics or code. */
export function verifierReason(log: readonly string[]): string | undefined {
  for (let index = log.length - 1; index >= 0; index--) {
    const line = log[index]!;
    if (noise.some((pattern) => pattern.test(line))) continue;
    // A continuation (`\tR1 ...`) reads only with the line before it.
    if (/^\s/.test(line) && index > 0) return `${log[index - 1]!.trim()}: ${line.trim()}`;
    return line.trim();
  }
  return undefined;
}

/** The instruction the reason names (`infinite loop detected at insn 7`), else the last one walked. */
function failingInstruction(error: VerifierError): number | undefined {
  const reason = verifierReason(error.log);
  const named = reason === undefined ? undefined : /\binsn (\d+)\b/.exec(reason);
  return named ? Number(named[1]) : error.instructionIndex;
}

/**
 * The script span behind the failing instruction. Code the compiler adds around the script's own
 * (an epilogue, a spill) has no span: the nearest instruction before it that has one stands in.
 */
function failingSpan(error: VerifierError, script: CompiledScript | undefined): SourceSpan | undefined {
  const index = failingInstruction(error);
  if (!script || index === undefined) return undefined;
  const program = script.programs.find((candidate) => sanitizeObjectName(candidate.name) === error.programName);
  if (!program) return undefined;
  for (let slot = Math.min(index, program.assembled.spans.length - 1); slot >= 0; slot--) {
    const span = program.assembled.spans[slot];
    if (span) return span;
  }
  return undefined;
}
