// strcontains(haystack, needle): whether needle occurs in haystack.
import { R0, R10, alu64, jmp, ja, ldx, mov64 } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { booleanType, sizeOf, typeName, type Type } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import type { FunctionRecord } from './record.js';

/** Haystack bytes × needle bytes a strcontains() with a variable needle may search. */
const MAX_STRCONTAINS_WORK = 32 * 1024;

export const strcontains: FunctionRecord = {
  name: 'strcontains',
  check(context, call) {
    if (!arity(context, call, 2, 2)) return booleanType;
    const haystack = needString(context, call, 0);
    const needle = needString(context, call, 1);
    const needleArgument = call.arguments[1]!;
    // The verifier walks every (position, needle byte) pair of the search: past this many, it
    // gives up (1M instructions) with an error far from the script. A literal needle is cheap.
    if (haystack && needle && needleArgument.kind !== 'string' && sizeOf(haystack) * sizeOf(needle) > MAX_STRCONTAINS_WORK) {
      context.diagnostics.error(needleArgument.span, `strcontains(): searching a ${typeName(haystack)} for a ${typeName(needle)} is more than the BPF verifier accepts`,
        'search for a string literal, or shorten the needle with str(s, n)');
    }
    return booleanType;
  },
  lower: (lowering, call, type) => lowerStrcontains(lowering, call.arguments[0]!, call.arguments[1]!, type),
};

/**
 * strcontains(haystack, needle): whether needle occurs in haystack. A loop over haystack positions
 * with the needle's bytes unrolled inside. The branches are laid out for the verifier, which follows
 * the fall-through first and queues the jump target: the fall-through is always "no match here, try
 * the next position", so its queue grows by one or two states per position (a 1024-byte haystack
 * stays far below its 8192 limit), and a queued state re-entering the loop is pruned at once.
 */
function lowerStrcontains(lowering: ExpressionLowering, haystackExpression: Expression, needleExpression: Expression, type: Type): Lowered {
  const e = lowering.e;
  const haystack = memoryOf(lowering, haystackExpression);
  // A literal needle is compared as immediates; its NUL (and anything after one) ends it.
  const literal = needleExpression.kind === 'string' ? Buffer.from(needleExpression.value, 'latin1') : undefined;
  const literalBytes = literal && literal.subarray(0, literal.includes(0) ? literal.indexOf(0) : literal.length);
  if (literalBytes && literalBytes.length === 0) return { kind: 'constant', value: 1n, type };
  const needle = literalBytes ? undefined : memoryOf(lowering, needleExpression);
  const haystackSize = sizeOf(haystack.type);
  const needleSize = literalBytes ? literalBytes.length : sizeOf(needle!.type);
  const result = e.pool.acquire();
  const start = e.pool.acquire();
  const pinned = e.pool.pinInPlace();
  const found = e.pool.writable(result);
  const position = e.pool.writable(start);
  const outer = e.newLabel('scan');
  const next = e.newLabel('nextstart');
  const yes = e.newLabel('found');
  const done = e.newLabel('scandone');
  e.emit(mov64(found, 0));
  if (needle) {
    // An empty needle is in every string, the empty one included.
    e.emit(ldx('b', R0, R10, needle.offset));
    e.emit(jmp('eq', R0, 0, yes));
  }
  e.emit(mov64(position, 0));
  const cursor = e.pool.scratchRegister([R0, found, position]);
  const byte = e.pool.scratchRegister([R0, found, position, cursor]);
  e.place(outer);
  e.emit(jmp('ge', position, haystackSize, done));
  e.address(cursor, haystack.offset);
  e.emit(alu64('add', cursor, position));
  // The haystack has ended: no match here or later (a needle byte is never NUL).
  e.emit(ldx('b', byte, cursor, 0));
  e.emit(jmp('eq', byte, 0, done));
  let fits = true;
  for (let index = 0; index < needleSize && fits; index++) {
    const matched = e.newLabel('bytematch');
    if (needle && index > 0) {
      e.emit(ldx('b', R0, R10, needle.offset + index));
      e.emit(jmp('eq', R0, 0, yes));
    }
    if (index >= haystackSize) {
      // A needle longer than the haystack's capacity cannot be in it.
      e.emit(ja(done));
      fits = false;
      continue;
    }
    if (index > 0) {
      // Past the haystack's capacity the needle cannot fit, here or later. The position is exact
      // for the verifier, so this check costs it no branch.
      e.emit(mov64(byte, position));
      e.emit(alu64('add', byte, index));
      e.emit(jmp('ge', byte, haystackSize, done));
      e.emit(ldx('b', byte, cursor, index));
    }
    if (literalBytes) {
      e.emit(jmp('eq', byte, literalBytes[index]!, matched));
    } else {
      if (index === 0) e.emit(ldx('b', R0, R10, needle!.offset));
      e.emit(jmp('eq', byte, R0, matched));
    }
    e.emit(ja(next));
    e.place(matched);
  }
  e.emit(ja(yes));
  e.place(next);
  e.emit(alu64('add', position, 1));
  e.emit(ja(outer));
  e.place(yes);
  e.emit(mov64(found, 1));
  e.place(done);
  e.pool.thaw(pinned);
  e.pool.release(start);
  return { kind: 'register', temp: result, type };
}
