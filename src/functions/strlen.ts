// strlen(s): the bytes before the first NUL; a constant for a string known at compile time.
import { R0, R2, alu64, jmp, ja, ldx, mov64, type Register } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { sizeOf, u64, type Type } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import { INDEX, PLAIN_SCAN_LIMIT, callScan, loadSlot } from '../codegen/byte-scan.js';
import type { FunctionRecord } from './record.js';

export const strlen: FunctionRecord = {
  name: 'strlen',
  check(context, call) {
    if (arity(context, call, 1, 1)) needString(context, call, 0);
    return u64;
  },
  lower: (lowering, call, type) => lowerStrlen(lowering, call.arguments[0]!, type),
};

/**
 * The text of a string known at compile time: a literal, `probe`, `func`, or str() of one. strlen()
 * of it is a constant; as a loop it would cost a branch per byte (and in a callback the verifier
 * cannot prune the paths of a scan over constant bytes).
 */
function constantText(lowering: ExpressionLowering, expression: Expression): string | undefined {
  if (expression.kind === 'string') return expression.value;
  const name = expression.kind === 'identifier' || (expression.kind === 'call' && expression.arguments.length === 0) ? expression.name : undefined;
  if (name === 'probe') return lowering.program.probe.attachments[0]!.name;
  if (name === 'func') return lowering.program.probe.provider.functionName(lowering.program.probe.context);
  if (expression.kind === 'call' && expression.name === 'str' && expression.arguments.length === 1) {
    const text = constantText(lowering, expression.arguments[0]!);
    const type = lowering.typeOf(expression);
    return text === undefined || type.kind !== 'string' ? undefined : text.slice(0, type.size - 1);
  }
  return undefined;
}

/** strlen(s): bytes before the first NUL (a bounded loop over the string's capacity, or a callback per byte). */
function lowerStrlen(lowering: ExpressionLowering, expression: Expression, type: Type): Lowered {
  const text = constantText(lowering, expression);
  if (text !== undefined) {
    const end = text.indexOf('\0');
    return { kind: 'constant', value: BigInt(end >= 0 ? end : text.length), type };
  }
  const e = lowering.e;
  const value = memoryOf(lowering, expression);
  const size = sizeOf(value.type);
  if (size > PLAIN_SCAN_LIMIT) return scanLength(lowering, value.offset, size, type);
  const result = e.pool.acquire();
  const pinned = e.pool.pinInPlace();
  const count = e.pool.writable(result);
  const base = pointerTo(lowering, value.offset);
  const top = e.newLabel('strlen');
  const done = e.newLabel('strlend');
  e.emit(mov64(count, 0));
  e.place(top);
  e.emit(jmp('ge', count, size, done));
  e.emit(ldx('b', R0, base, 0));
  e.emit(jmp('eq', R0, 0, done));
  e.emit(alu64('add', count, 1));
  e.emit(alu64('add', base, 1));
  e.emit(ja(top));
  e.place(done);
  forgetLength(lowering, count, base, value.offset, size);
  e.pool.thaw(pinned);
  return { kind: 'register', temp: result, type };
}

/**
 * strlen() of a long string: a bpf_loop callback per byte that stops at the NUL. It runs size + 1
 * times when there is none (index `size` stops it), so the loops run are always the length + 1.
 */
function scanLength(lowering: ExpressionLowering, offset: number, size: number, type: Type): Lowered {
  const { loops } = callScan(lowering, 'strlen', size + 1, [{ kind: 'address', offset }], (callback) => {
    const ce = callback.e;
    loadSlot(callback, R2, 0);
    ce.emit(jmp('ge', INDEX, size, callback.stop));
    ce.emit(alu64('add', R2, INDEX));
    ce.emit(ldx('b', R0, R2, 0));
    ce.emit(jmp('eq', R0, 0, callback.stop));
  });
  const e = lowering.e;
  const count = e.pool.writable(loops);
  e.emit(alu64('sub', count, 1));
  e.emit(alu64('and', count, lengthMask(size)));
  return { kind: 'register', temp: loops, type };
}

/** The smallest all-ones mask covering 0..size: the verifier's bounds for a length. */
function lengthMask(size: number): number {
  return 2 ** Math.ceil(Math.log2(size + 1)) - 1;
}

/**
 * The verifier leaves the scan with a known count on each of its up to `size` exits, and walks the
 * code after it once per count: in a bpf_loop callback (whose body it walks again per entry state)
 * that multiplied past its budget. Adding a zero it cannot see through (a loaded byte minus itself,
 * shifted: no bounds at all) and masking to the capacity leaves one state, count in [0, mask].
 */
function forgetLength(lowering: ExpressionLowering, count: Register, scratch: Register, offset: number, size: number): void {
  const e = lowering.e;
  e.address(scratch, offset);
  e.emit(ldx('b', R0, scratch, 0));
  e.emit(mov64(scratch, R0));
  e.emit(alu64('sub', scratch, R0));
  e.emit(alu64('lsh', scratch, 1));
  e.emit(alu64('add', count, scratch));
  e.emit(alu64('and', count, lengthMask(size)));
}

/** A register pointing at a memory value (the stack or, in scratch mode, the scratch area). */
function pointerTo(lowering: ExpressionLowering, offset: number): Register {
  const e = lowering.e;
  const register = e.pool.scratchRegister([R0]);
  e.address(register, offset);
  return register;
}
