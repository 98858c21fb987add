// signal_name(n): a signal number as strsignal(3)'s text (`Interrupt`, `Real-time signal 3`), as
// bpftrace's signal_name() prints it: the number is taken as an int32; outside 1..64 it is
// `Unknown signal N` for 0, 32 and 33 (the C library's own real-time signals) and `N/A` otherwise.
import { numberAsText } from './formatted-number.js';

const descriptions = [
  'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/breakpoint trap', 'Aborted', 'Bus error',
  'Floating point exception', 'Killed', 'User defined signal 1', 'Segmentation fault', 'User defined signal 2',
  'Broken pipe', 'Alarm clock', 'Terminated', 'Stack fault', 'Child exited', 'Continued', 'Stopped (signal)',
  'Stopped', 'Stopped (tty input)', 'Stopped (tty output)', 'Urgent I/O condition', 'CPU time limit exceeded',
  'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired', 'Window changed',
  'I/O possible', 'Power failure', 'Bad system call',
];

/** The text of signal `signal` (already an int32). */
export function signalText(signal: number): string {
  if (signal >= 1 && signal <= descriptions.length) return descriptions[signal - 1]!;
  if (signal === 0 || signal === 32 || signal === 33) return `Unknown signal ${signal}`;
  // SIGRTMIN as the C library sees it is 34: its real-time signals count from there up to 64.
  if (signal >= 34 && signal <= 64) return `Real-time signal ${signal - 34}`;
  return 'N/A';
}

export const signal_name = numberAsText('signal_name', (value) => signalText(Number(BigInt.asIntN(32, value))));
