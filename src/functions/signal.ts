// signal(name or number) (--unsafe): bpf_send_signal to the current process; signal_thread(): to the
// current thread only (bpf_send_signal_thread), as in today's bpftrace.
import { noneType } from '../model/types.js';
import { arity, needInteger, requireUnsafe } from '../check/call-rule.js';
import { noValue } from '../codegen/calls.js';
import type { FunctionRecord } from './record.js';

function signalRecord(name: string, helper: 'send_signal' | 'send_signal_thread'): FunctionRecord {
  return {
    name,
    check(context, call) {
      requireUnsafe(context, call);
      if (!arity(context, call, 1, 1)) return noneType;
      const argument = call.arguments[0]!;
      if (argument.kind === 'string') {
        context.expression(argument);
        if (signalNumber(argument.value) === undefined) context.diagnostics.error(argument.span, `unknown signal: ${argument.value}`);
      } else {
        needInteger(context, call, 0);
      }
      return noneType;
    },
    lower(lowering, call, type) {
      const e = lowering.e;
      const argument = call.arguments[0]!;
      if (argument.kind === 'string') {
        e.callHelper(helper, [{ kind: 'immediate', value: signalNumber(argument.value)! }], true);
      } else {
        const number = lowering.scalar(argument);
        e.callHelper(helper, [{ kind: 'temp', temp: number }], true);
        e.pool.release(number);
      }
      return noValue(type);
    },
  };
}

export const signal = signalRecord('signal', 'send_signal');
export const signalThread = signalRecord('signal_thread', 'send_signal_thread');

const signals: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26,
  SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

/** A signal by name (`SIGUSR1`, `USR1`) or number text. */
function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name) > 0 && Number(name) < 65 ? Number(name) : undefined;
  const upper = name.toUpperCase();
  return signals[upper] ?? signals[`SIG${upper}`];
}
