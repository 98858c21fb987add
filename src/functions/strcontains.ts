// strcontains(haystack, needle): whether needle occurs in haystack.
import { R0, R3, R4, R6, R7, R8, R10, alu64, jmp, ja, ldx, mov64, st } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { booleanType, sizeOf, type Type } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import { INDEX, PLAIN_SCAN_LIMIT, callScan, loadSlot, type ScanSlot } from '../codegen/byte-scan.js';
import type { FunctionRecord } from './record.js';

export const strcontains: FunctionRecord = {
  name: 'strcontains',
  check(context, call) {
    if (!arity(context, call, 2, 2)) return booleanType;
    needString(context, call, 0);
    needString(context, call, 1);
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
  if (haystackSize > PLAIN_SCAN_LIMIT) return scanForNeedle(lowering, haystack.offset, haystackSize, literalBytes ?? needle!, needleSize, type);
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

/**
 * strcontains() over a long haystack: a bpf_loop callback per start position, the needle's bytes
 * unrolled in it (the same checks as the plain loop's). The callback writes 1 to its third slot
 * when the needle is there (an empty one is everywhere); a NUL in the haystack, or a needle that no longer fits, stops it.
 */
function scanForNeedle(
  lowering: ExpressionLowering, haystackOffset: number, haystackSize: number,
  needle: Uint8Array | Extract<Lowered, { kind: 'memory' }>, needleSize: number, type: Type,
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
  e.pool.release(loops);
  const found = e.pool.acquire();
  e.emit(ldx('dw', e.pool.writable(found), R10, slotOffsets[1]!));
  return { kind: 'register', temp: found, type };
}
