// The builtin variables whose meaning depends on the provider (`func`, `retval`, `arg0`…) and
// the aggregations, with their types. Functions and the other builtins (`pid`, `comm`, `ncpus`, …)
// are records in src/functions/.
import { stringType, u64, type Type } from '../model/types.js';

export interface BuiltinVariable {
  readonly type: Type;
  /** Providers whose programs can compute it; undefined = every provider. */
  readonly only?: readonly string[];
}

/** Contexts whose programs can read raw arguments as arg0…argN. */
const argumentContexts = ['rawtracepoint', 'registers'];

export const builtinVariables: Readonly<Record<string, BuiltinVariable>> = {
  retval: { type: u64, only: ['registers'] },
  func: { type: stringType(64), only: ['registers'] },
  arg0: { type: u64, only: argumentContexts },
  arg1: { type: u64, only: argumentContexts },
  arg2: { type: u64, only: argumentContexts },
  arg3: { type: u64, only: argumentContexts },
  arg4: { type: u64, only: argumentContexts },
  arg5: { type: u64, only: argumentContexts },
};

/** Aggregation functions: only valid as the whole right-hand side of a map assignment. */
export const aggregationArity: Readonly<Record<string, readonly [min: number, max: number]>> = {
  count: [0, 0],
  sum: [1, 1],
  avg: [1, 1],
  min: [1, 1],
  max: [1, 1],
  stats: [1, 1],
  hist: [1, 2],
  lhist: [4, 4],
};

