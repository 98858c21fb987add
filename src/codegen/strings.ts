// Strings in memory: reading them from tracepoint records, and comparing them (str() is in its
// record, src/functions/str.ts). Buffers are zero-filled first, so equal strings are equal bytes (map keys, ==).
import { R0, R10, alu64, jmp, ja, ldx, lddw } from '../bpf/index.js';
import type { Expression } from '../parser/ast.js';
import { sameType, sizeOf, type Type } from '../model/types.js';
import { unify } from '../model/type-rules.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { copyToStack, zeroFill } from './memory.js';
import { callProbeRead } from './probe-read.js';

type Width = 'dw' | 'w' | 'h' | 'b';

/** Whether a pointer reads user memory: its declared space, else the probe's (syscalls, uprobes). */
export function isUserPointer(lowering: ExpressionLowering, type: Type): boolean {
  if (type.kind === 'pointer' && type.space !== 'unknown') return type.space === 'user';
  const context = lowering.program.probe.context;
  return (context.kind === 'tracepoint' && context.category === 'syscalls') || (context.kind === 'registers' && context.space === 'user');
}

/** A `__data_loc` string: the u32 at `fieldOffset` holds (length << 16 | offset) within the record. */
export function readDataLoc(lowering: ExpressionLowering, fieldOffset: number, offset: number, size: number): void {
  const e = lowering.e;
  zeroFill(e, offset, size);
  const address = e.pool.acquire();
  const target = e.pool.writable(address);
  const context = lowering.program.contextPointer(e.pool.scratchRegister([target]));
  e.emit(ldx('w', target, context, fieldOffset));
  e.emit(alu64('and', target, 0xffff));
  e.emit(alu64('add', target, context));
  callProbeRead(lowering, 'probe_read_kernel_str', [{ kind: 'stack', offset }, { kind: 'immediate', value: size }, { kind: 'temp', temp: address }]);
  e.pool.release(address);
}

/** A fixed `char name[N]` field of the tracepoint record. */
export function copyFromContext(lowering: ExpressionLowering, fieldOffset: number, offset: number, size: number): void {
  copyToStack(lowering.e, lowering.program.contextPointer(lowering.e.pool.scratchRegister([R0])), fieldOffset, offset, size, R0);
}

/**
 * Compares two strings or tuples; jumps to `whenEqual` or `whenNotEqual` (one of them), else falls
 * through. Strings compare as bpftrace compares them: up to their NUL, within the shorter capacity.
 * So a string that fills its capacity (cut by str(): no NUL) equals any string it begins. Tuples
 * compare laid out as one type.
 */
export function compareMemory(lowering: ExpressionLowering, left: Expression, right: Expression, whenEqual: string | undefined, whenNotEqual: string | undefined): void {
  const e = lowering.e;
  const literal = right.kind === 'string' ? right : left.kind === 'string' ? left : undefined;
  const other = literal === right ? left : right;
  const notEqual = whenNotEqual ?? e.newLabel('strne');
  const otherValue = lowering.lower(literal ? other : left) as Extract<Lowered, { kind: 'memory' }>;
  if (literal) {
    const bytes = Buffer.from(literal.value + '\0', 'latin1');
    const size = Math.min(bytes.length, sizeOf(otherValue.type));
    compareChunks(lowering, otherValue.offset, size, notEqual, (position, width) => readLittleEndian(bytes, position, width));
  } else if (otherValue.type.kind === 'tuple') {
    // Both sides as the tuple type they share (wider strings and integers), then byte for byte — as
    // bpftrace compares them: the same values are the same bytes once laid out alike (padding is zero).
    const rightValue = lowering.lower(right) as Extract<Lowered, { kind: 'memory' }>;
    const common = unify(otherValue.type, rightValue.type) ?? otherValue.type;
    const leftBytes = asType(lowering, otherValue, common);
    const rightBytes = asType(lowering, rightValue, common);
    compareChunks(lowering, leftBytes, sizeOf(common), notEqual, undefined, rightBytes);
  } else {
    const rightValue = lowering.lower(right) as Extract<Lowered, { kind: 'memory' }>;
    const size = Math.min(sizeOf(otherValue.type), sizeOf(rightValue.type));
    compareChunks(lowering, otherValue.offset, size, notEqual, undefined, rightValue.offset);
  }
  if (whenEqual) {
    e.emit(ja(whenEqual));
    e.place(notEqual);
  }
}

/** The stack offset of `value` laid out as `type`: where it is, or a converted copy. */
function asType(lowering: ExpressionLowering, value: Extract<Lowered, { kind: 'memory' }>, type: Type): number {
  if (sameType(value.type, type)) return value.offset;
  const offset = lowering.e.allocate(sizeOf(type));
  lowering.storeValue(value, offset, type);
  return offset;
}

function compareChunks(
  lowering: ExpressionLowering, offset: number, size: number, notEqual: string,
  constant?: (position: number, bytes: number) => bigint, otherOffset?: number,
): void {
  const e = lowering.e;
  const scratch = e.pool.scratchRegister([R0]);
  for (let position = 0; position < size;) {
    const remaining = size - position;
    const [width, bytes] = widthFor(offset + position, remaining, otherOffset === undefined ? 0 : otherOffset + position);
    e.emit(ldx(width, R0, R10, offset + position));
    if (constant) {
      const value = constant(position, bytes);
      if (value <= 0x7fff_ffffn) e.emit(jmp('ne', R0, Number(value), notEqual));
      else {
        e.emit(lddw(scratch, value));
        e.emit(jmp('ne', R0, scratch, notEqual));
      }
    } else {
      e.emit(ldx(width, scratch, R10, otherOffset! + position));
      e.emit(jmp('ne', R0, scratch, notEqual));
    }
    position += bytes;
  }
}

function widthFor(offset: number, remaining: number, other: number): [Width, number] {
  const aligned = (n: number) => ((offset % n) + n) % n === 0 && ((other % n) + n) % n === 0;
  if (remaining >= 8 && aligned(8)) return ['dw', 8];
  if (remaining >= 4 && aligned(4)) return ['w', 4];
  if (remaining >= 2 && aligned(2)) return ['h', 2];
  return ['b', 1];
}

function readLittleEndian(bytes: Uint8Array, position: number, width: number): bigint {
  let value = 0n;
  for (let index = width - 1; index >= 0; index--) value = (value << 8n) | BigInt(bytes[position + index] ?? 0);
  return value;
}
