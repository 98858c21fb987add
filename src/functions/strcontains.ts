// strcontains(haystack, needle): whether needle occurs in haystack.
import { R0, R3, R4, R6, R7, R8, R10, alu64, jmp, ja, ldx, mov64, st } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { booleanType, sizeOf, type Type } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import { INDEX, callScan, loadSlot, type ScanSlot } from '../codegen/byte-scan.js';
import type { FunctionRecord } from './record.js';

export const strcontains: FunctionRecord = {
  name: 'strcontains',
  check(context, call) {
    if (!arity(context, call, 2, 2)) return booleanType;
    needString(context, call, 0);
    needString(context, call, 1);
    return booleanType;
  },
  lower: (lowering, call, type) => lowerSearch(lowering, call.arguments[0]!, call.arguments[1]!, type, 'found'),
};

/**
 * strcontains(haystack, needle): whether needle occurs in haystack. Two literals are a constant;
 * otherwise a bpf_loop callback per start position (see scanForNeedle), for strings of every length:
 * an inline scan costs the verifier a branch per position and needle byte on every path through the
 * code around it, and inside a loop's callback those paths multiplied past its budget (found by
 * `npm run fuzz`: a ternary, a hist() and a strcontains() of two literals in an unrolled loop body).
 */
export function lowerSearch(
  lowering: ExpressionLowering, haystackExpression: Expression, needleExpression: Expression, type: Type, answer: SearchAnswer,
): Lowered {
  // A literal needle is compared as immediates; its NUL (and anything after one) ends it.
  const literalBytes = needleExpression.kind === 'string' ? untilNul(needleExpression.value) : undefined;
  const constant = (index: number) => ({ kind: 'constant' as const, value: answer === 'found' ? BigInt(index >= 0) : BigInt(index), type });
  if (literalBytes && literalBytes.length === 0) return constant(0);
  if (literalBytes && haystackExpression.kind === 'string') return constant(untilNul(haystackExpression.value).indexOf(literalBytes));
  const haystack = memoryOf(lowering, haystackExpression);
  const needle = literalBytes ? undefined : memoryOf(lowering, needleExpression);
  const needleSize = literalBytes ? literalBytes.length : sizeOf(needle!.type);
  return scanForNeedle(lowering, haystack.offset, sizeOf(haystack.type), literalBytes ?? needle!, needleSize, type, answer);
}

/** What a search gives: whether the needle is there (strcontains), or where it starts, else -1 (strstr). */
export type SearchAnswer = 'found' | 'index';

function untilNul(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return bytes.subarray(0, bytes.includes(0) ? bytes.indexOf(0) : bytes.length);
}

/**
 * strcontains() by a bpf_loop callback per start position, the needle's bytes
 * unrolled in it (the same checks as the plain loop's). The callback writes 1 to its third slot
 * when the needle is there (an empty one is everywhere); a NUL in the haystack, or a needle that no longer fits, stops it.
 */
function scanForNeedle(
  lowering: ExpressionLowering, haystackOffset: number, haystackSize: number,
  needle: Uint8Array | Extract<Lowered, { kind: 'memory' }>, needleSize: number, type: Type, answer: SearchAnswer,
): Lowered {
  const e = lowering.e;
  const literal = needle instanceof Uint8Array ? needle : undefined;
  const slots: ScanSlot[] = [{ kind: 'address', offset: haystackOffset }, { kind: 'zero' }];
  if (!literal) slots.push({ kind: 'address', offset: (needle as Extract<Lowered, { kind: 'memory' }>).offset });
  const { loops, slotOffsets } = callScan(lowering, 'strcontains', haystackSize, slots, (callback) => {
    const ce = callback.e;
    const matched = ce.newLabel('found');
    // r6 = the context, r7 = the haystack, r8 = the needle (r0 its byte at the index); r3 = the
    // haystack at the position.
    ce.emit(mov64(R6, callback.context));
    loadSlot(callback, R7, 0);
    if (!literal) {
      loadSlot(callback, R8, 2);
      // An empty needle is in every string, the empty one included.
      ce.emit(ldx('b', R0, R8, 0));
      ce.emit(jmp('eq', R0, 0, matched));
    }
    ce.emit(jmp('ge', INDEX, haystackSize, callback.stop));
    for (let index = 0; index < needleSize; index++) {
      if (!literal && index > 0) {
        ce.emit(ldx('b', R0, R8, index));
        ce.emit(jmp('eq', R0, 0, matched));
      }
      // A needle longer than what is left of the haystack's capacity cannot be here or later.
      if (index >= haystackSize) {
        ce.emit(ja(callback.stop));
        break;
      }
      if (index > 0) ce.emit(jmp('gt', INDEX, haystackSize - 1 - index, callback.stop));
      ce.emit(mov64(R3, R7));
      ce.emit(alu64('add', R3, INDEX));
      ce.emit(ldx('b', R4, R3, index));
      // The haystack has ended: no match here or later (a needle byte is never NUL).
      if (index === 0) ce.emit(jmp('eq', R4, 0, callback.stop));
      if (literal) ce.emit(jmp('ne', R4, literal[index]!, callback.next));
      else ce.emit(jmp('ne', R4, R0, callback.next));
    }
    ce.place(matched);
    ce.emit(st('dw', R6, callback.slots[1]!, 1));
    ce.emit(ja(callback.stop));
  });
  if (answer === 'index') {
    // A match at position i stopped the loop after i + 1 runs.
    const index = e.pool.writable(loops);
    e.emit(alu64('sub', index, 1));
    const found = e.pool.scratchRegister([index]);
    e.emit(ldx('dw', found, R10, slotOffsets[1]!));
    const done = e.newLabel('strstr');
    e.emit(jmp('ne', found, 0, done));
    e.emit(mov64(index, -1));
    e.place(done);
    return { kind: 'register', temp: loops, type };
  }
  e.pool.release(loops);
  const found = e.pool.acquire();
  e.emit(ldx('dw', e.pool.writable(found), R10, slotOffsets[1]!));
  return { kind: 'register', temp: found, type };
}
