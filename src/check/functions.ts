// Type rules of the string, time, symbol, stack and userspace-action functions (bpftrace's names and
// argument rules). The common core (printf, print, maps) stays in checker.ts.
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { CallExpression, Expression } from '../parser/ast.js';
import { parseFormat } from '../model/format-string.js';
import type { CompileConfig } from '../model/config.js';
import type { Host } from '../model/host.js';
import { booleanType, isScalar, noneType, s64, sizeOf, stringType, typeName, u64, type Type } from '../model/types.js';

export interface FunctionContext {
  readonly diagnostics: DiagnosticCollector;
  readonly config: CompileConfig;
  /** kaddr() names a symbol of this machine's kernel. */
  readonly host: Host;
  expression(expression: Expression): Type;
  constantInteger(expression: Expression): bigint | undefined;
  /** A bare word argument such as `perf` in `ustack(perf, 5)`; recorded as a string in types. */
  word(expression: Expression): string | undefined;
}

export const stringFunctionNames = new Set([
  'buf', 'strncmp', 'strcontains', 'strlen', 'time', 'strftime', 'join', 'cat', 'system', 'signal',
  'ksym', 'usym', 'kaddr', 'ntop', 'kstack', 'ustack', 'debugf',
]);

const unsafeFunctions = new Set(['system', 'signal']);

/** Haystack bytes × needle bytes a strcontains() with a variable needle may search. */
const MAX_STRCONTAINS_WORK = 32 * 1024;

/** Stack depth when none is given (perf_event_max_stack here is 127). */
export const DEFAULT_STACK_LIMIT = 127;

export function checkFunction(context: FunctionContext, call: CallExpression): Type {
  const args = call.arguments;
  const { diagnostics } = context;
  const arity = (min: number, max: number): boolean => {
    if (args.length >= min && args.length <= max) return true;
    diagnostics.error(call.span, `${call.name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${args.length}`);
    return false;
  };
  const needString = (index: number): Type | undefined => {
    const type = context.expression(args[index]!);
    if (type.kind !== 'string') {
      diagnostics.error(args[index]!.span, `${call.name}() needs a string here, not ${typeName(type)}`);
      return undefined;
    }
    return type;
  };
  const needInteger = (index: number): void => {
    const type = context.expression(args[index]!);
    if (!isScalar(type)) diagnostics.error(args[index]!.span, `${call.name}() needs an integer here, not ${typeName(type)}`);
  };
  const needLiteral = (index: number): string | undefined => {
    const argument = args[index]!;
    if (argument.kind !== 'string') {
      diagnostics.error(argument.span, `${call.name}() needs a string literal here`);
      return undefined;
    }
    context.expression(argument);
    return argument.value;
  };
  if (unsafeFunctions.has(call.name) && !context.config.unsafe) {
    diagnostics.error(call.span, `${call.name}() is an unsafe function`, 'run with --unsafe to allow it');
  }
  switch (call.name) {
    case 'strlen':
      if (arity(1, 1)) needString(0);
      return u64;
    case 'strncmp':
      if (!arity(3, 3)) return s64;
      needString(0);
      needString(1);
      if (context.constantInteger(args[2]!) === undefined) diagnostics.error(args[2]!.span, 'strncmp() length must be an integer constant');
      return s64;
    case 'strcontains': {
      if (!arity(2, 2)) return booleanType;
      const haystack = needString(0);
      const needle = needString(1);
      // The verifier walks every (position, needle byte) pair of the search: past this many, it
      // gives up (1M instructions) with an error far from the script. A literal needle is cheap.
      if (haystack && needle && args[1]!.kind !== 'string' && sizeOf(haystack) * sizeOf(needle) > MAX_STRCONTAINS_WORK) {
        diagnostics.error(args[1]!.span, `strcontains(): searching a ${typeName(haystack)} for a ${typeName(needle)} is more than the BPF verifier accepts`,
          'search for a string literal, or shorten the needle with str(s, n)');
      }
      return booleanType;
    }
    case 'buf': {
      if (!arity(1, 2)) return { kind: 'buffer', size: 64 };
      // A pointer to read from, or a value already in memory: a string or an array (its bytes).
      const source = context.expression(args[0]!);
      const inMemory = source.kind === 'string' || source.kind === 'array';
      if (!inMemory && !isScalar(source)) diagnostics.error(args[0]!.span, `buf() needs a pointer, a string or an array here, not ${typeName(source)}`);
      let size = inMemory ? sizeOf(source) : context.config.maxStringLength;
      if (args[1]) {
        const length = context.constantInteger(args[1]);
        if (length === undefined || length < 1n) diagnostics.error(args[1].span, 'buf() length must be a positive integer constant');
        else size = Math.min(Number(length), inMemory ? sizeOf(source) : context.config.maxStringLength);
      }
      return { kind: 'buffer', size };
    }
    case 'time':
    case 'debugf':
    case 'cat':
    case 'system': {
      if (!arity(call.name === 'time' ? 0 : 1, call.name === 'time' ? 1 : 16)) return noneType;
      if (args.length === 0) return noneType;
      const format = needLiteral(0);
      const argumentTypes = args.slice(1).map((argument) => context.expression(argument));
      if (format === undefined || call.name === 'time') return noneType;
      const { format: parsed, errors } = parseFormat(format);
      for (const error of errors) diagnostics.error(args[0]!.span, `${call.name}: ${error.message}`);
      if (!errors.length && parsed.conversions.length !== argumentTypes.length) {
        diagnostics.error(call.span, `${call.name}: the format has ${parsed.conversions.length} conversions but ${argumentTypes.length} arguments are given`);
      }
      if (call.name === 'debugf' && argumentTypes.length > 3) diagnostics.error(call.span, 'debugf() takes at most 3 arguments after the format (bpf_trace_printk)');
      if (call.name === 'debugf') {
        for (const [index, type] of argumentTypes.entries()) {
          if (!isScalar(type)) diagnostics.error(args[index + 1]!.span, `debugf() prints integers, not ${typeName(type)}`);
        }
      }
      return noneType;
    }
    case 'strftime': {
      if (!arity(2, 2)) return { kind: 'timestamp', format: '' };
      const format = needLiteral(0) ?? '';
      needInteger(1);
      return { kind: 'timestamp', format };
    }
    case 'join': {
      if (!arity(1, 2)) return noneType;
      needInteger(0);
      if (args[1]) needLiteral(1);
      return noneType;
    }
    case 'signal': {
      if (!arity(1, 1)) return noneType;
      const argument = args[0]!;
      if (argument.kind === 'string') {
        context.expression(argument);
        if (signalNumber(argument.value) === undefined) diagnostics.error(argument.span, `unknown signal: ${argument.value}`);
      } else {
        needInteger(0);
      }
      return noneType;
    }
    case 'ksym':
    case 'usym':
      if (arity(1, 1)) needInteger(0);
      return { kind: 'symbol', space: call.name === 'ksym' ? 'kernel' : 'user' };
    case 'kaddr': {
      const name = arity(1, 1) ? needLiteral(0) : undefined;
      if (name !== undefined && context.host.kernelSymbolAddress(name) === undefined) {
        diagnostics.error(args[0]!.span, `kaddr(): no kernel symbol '${name}' in /proc/kallsyms`);
      }
      return u64;
    }
    case 'ntop':
      if (!arity(1, 2)) return { kind: 'inet' };
      for (let index = 0; index < args.length; index++) needInteger(index);
      return { kind: 'inet' };
    case 'kstack':
    case 'ustack': {
      if (!arity(0, 2)) return stackType(call.name, 'bpftrace', DEFAULT_STACK_LIMIT);
      let mode: 'bpftrace' | 'perf' | 'raw' = 'bpftrace';
      let limit = DEFAULT_STACK_LIMIT;
      for (const argument of args) {
        const word = context.word(argument);
        if (word !== undefined) {
          if (word !== 'bpftrace' && word !== 'perf' && word !== 'raw') diagnostics.error(argument.span, `unknown stack mode '${word}': use bpftrace, perf or raw`);
          else mode = word;
          continue;
        }
        const value = context.constantInteger(argument);
        if (value === undefined || value < 1n || value > BigInt(DEFAULT_STACK_LIMIT)) {
          diagnostics.error(argument.span, `${call.name}() depth must be a constant from 1 to ${DEFAULT_STACK_LIMIT}`);
        } else {
          limit = Number(value);
        }
      }
      return stackType(call.name, mode, limit);
    }
  }
  return noneType;
}

export function stackType(name: string, mode: 'bpftrace' | 'perf' | 'raw', limit: number): Type {
  return { kind: 'stack', space: name === 'kstack' ? 'kernel' : 'user', limit, mode };
}

const signals: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26,
  SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

/** A signal by name (`SIGUSR1`, `USR1`) or number text. */
export function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name) > 0 && Number(name) < 65 ? Number(name) : undefined;
  const upper = name.toUpperCase();
  return signals[upper] ?? signals[`SIG${upper}`];
}

export { stringType };
