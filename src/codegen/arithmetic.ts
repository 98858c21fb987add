// The arithmetic of the language's operators, as the lowering emits it and as the constant folder
// computes it: which ALU operation an operator is, and its value on two constants.
import type { alu64 } from '../bpf/index.js';

/** bpftrace's words for a division by zero at run time. */
export const divideByZeroMessage = 'Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.';

export function aluFor(operator: string, signed: boolean): Parameters<typeof alu64>[0] {
  switch (operator) {
    case '+': return 'add';
    case '-': return 'sub';
    case '*': return 'mul';
    case '/': return signed ? 'sdiv' : 'div';
    case '%': return signed ? 'smod' : 'mod';
    case '&': return 'and';
    case '|': return 'or';
    case '^': return 'xor';
    case '<<': return 'lsh';
    case '>>': return signed ? 'arsh' : 'rsh';
  }
  throw new Error(`internal error: operator ${operator}`);
}

/** The value of `a operator b` on 64-bit integers; undefined where the program decides (x / 0). */
export function fold(operator: string, a: bigint, b: bigint, signed: boolean): bigint | undefined {
  const wrap = (value: bigint) => (signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value));
  const x = wrap(a);
  const y = wrap(b);
  switch (operator) {
    case '+': return wrap(x + y);
    case '-': return wrap(x - y);
    case '*': return wrap(x * y);
    case '/': return y === 0n ? undefined : wrap(x / y);
    case '%': return y === 0n ? undefined : wrap(x % y);
    case '&': return wrap(x & y);
    case '|': return wrap(x | y);
    case '^': return wrap(x ^ y);
    case '<<': return wrap(x << (y & 63n));
    case '>>': return wrap(x >> (y & 63n));
  }
  return undefined;
}
