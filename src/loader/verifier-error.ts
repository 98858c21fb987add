// A rejected program load: the whole verifier log, the one or two lines that explain it, the
// instruction it stopped at, and hints keyed on errno. Pure: tested on stored logs without a kernel.
import { errnoName } from './native.js';

export interface VerifierErrorDetails {
  readonly programName: string;
  readonly errno: number;
  /** The raw log buffer's text (may contain a trailing NUL and padding). */
  readonly logText: string;
  /** The log hit the largest buffer we were willing to allocate. */
  readonly truncated?: boolean;
}

const instructionLine = /^(\d+): \([0-9a-f]{2}\)/;

/** Splits a raw log into lines: cut at the first NUL, trailing blank lines removed. */
export function splitLog(logText: string): string[] {
  const nul = logText.indexOf('\0');
  const text = nul >= 0 ? logText.slice(0, nul) : logText;
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Drops the closing statistics lines, which say nothing about why the load failed. */
function meaningfulLines(log: readonly string[]): readonly string[] {
  let end = log.length;
  while (end > 0 && (log[end - 1]!.startsWith('processed ') || log[end - 1] === '')) end--;
  return log.slice(0, end);
}

/** A line that only makes sense together with the one before it. */
function continuesPrevious(line: string): boolean {
  return line.startsWith('\t') || /^R\d/.test(line) || line.startsWith('invalid bpf_context access');
}

/** The last meaningful line, plus the previous one when the last continues it. */
export function summarizeLog(log: readonly string[]): string[] {
  const lines = meaningfulLines(log);
  if (lines.length === 0) return [];
  const last = lines[lines.length - 1]!;
  if (lines.length >= 2 && continuesPrevious(last)) return [lines[lines.length - 2]!, last];
  return [last];
}

/** The index of the last instruction the verifier printed before it gave up, if any. */
export function failingInstruction(log: readonly string[]): number | undefined {
  const lines = meaningfulLines(log);
  for (let index = lines.length - 1; index >= 0; index--) {
    const match = instructionLine.exec(lines[index]!);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function hintsFor(errno: number, logIsEmpty: boolean, truncated: boolean): string[] {
  const hints: string[] = [];
  switch (errnoName(errno)) {
    case 'EPERM':
      hints.push('loading BPF programs needs root, or CAP_BPF plus CAP_PERFMON');
      if (logIsEmpty) hints.push('this kernel may not support BPF trampolines (fentry/fexit/LSM), which fail this way before verification');
      break;
    case 'E2BIG':
      hints.push('the program is too large: too many instructions, or the verifier exceeded its 1M processed-instruction limit');
      break;
    case 'EINVAL':
      if (logIsEmpty) hints.push('the kernel refused the load attributes before verifying: check program type, expected attach type, attach BTF id, flags and license');
      break;
    case 'ENOSPC':
      hints.push('the verifier log did not fit the largest log buffer');
      break;
    case 'ENOTSUPP':
    case 'EOPNOTSUPP':
      hints.push('this kernel does not support a feature the program uses');
      break;
    default:
      break;
  }
  if (truncated && errnoName(errno) !== 'ENOSPC') hints.push('the verifier log was truncated');
  return hints;
}

export class VerifierError extends Error {
  readonly programName: string;
  readonly errno: number;
  readonly code: string;
  /** The whole log, one entry per line. */
  readonly log: readonly string[];
  /** The 1–2 lines that explain the rejection. */
  readonly summary: readonly string[];
  /** Log lines not shown in the summary (excluding the closing statistics). */
  readonly omittedLineCount: number;
  /** The instruction (slot index) the verifier stopped at, to map back to a source span. */
  readonly instructionIndex: number | undefined;
  readonly hints: readonly string[];
  readonly truncated: boolean;

  constructor(details: VerifierErrorDetails) {
    const log = splitLog(details.logText);
    const summary = summarizeLog(log);
    const omittedLineCount = Math.max(0, meaningfulLines(log).length - summary.length);
    const code = errnoName(details.errno);
    const truncated = details.truncated ?? false;
    const hints = hintsFor(details.errno, log.length === 0, truncated);
    super(formatMessage(details.programName, code, summary, omittedLineCount, hints));
    this.name = 'VerifierError';
    this.programName = details.programName;
    this.errno = details.errno;
    this.code = code;
    this.log = log;
    this.summary = summary;
    this.omittedLineCount = omittedLineCount;
    this.instructionIndex = failingInstruction(log);
    this.hints = hints;
    this.truncated = truncated;
  }
}

function formatMessage(programName: string, code: string, summary: readonly string[], omitted: number, hints: readonly string[]): string {
  let message = `load program ${programName}: ${code}`;
  if (summary.length > 0) message += `: ${summary.map((line) => line.trim()).join(': ')}`;
  if (omitted > 0) message += ` (${omitted} line(s) omitted)`;
  if (hints.length > 0) message += ` (${hints.join('; ')})`;
  return message;
}
