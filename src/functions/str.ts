// str(pointer[, length]): a NUL-terminated string read from user or kernel memory, as bpftrace reads
// it. str(p) is a string[max_strlen] read with one byte more while max_strlen is below 1024
// (stringReadLength), so that a string which fills max_strlen shows as cut (no NUL: the `..` trailer).
// str(p, n) reads n bytes, its NUL included: a string[n + 1] of at most n - 1 characters, never cut
// to more than max_strlen. str() of a string is that string; with a length it is read again the same way.
import { jmp, mov64 } from '../bpf/index.js';
import { stringType, typeName, sizeOf, isScalar } from '../model/types.js';
import { stringReadLength } from '../model/config.js';
import type { CallExpression } from '../parser/ast.js';
import { arity } from '../check/call-rule.js';
import { isUserPointer } from '../codegen/strings.js';
import { zeroFill } from '../codegen/memory.js';
import type { ExpressionLowering } from '../codegen/lower-expression.js';
import type { CallArgument } from '../codegen/emitter.js';
import type { Temp } from '../codegen/registers.js';
import type { FunctionRecord } from './record.js';
import { callProbeRead } from '../codegen/probe-read.js';

export const str: FunctionRecord = {
  name: 'str',
  check(context, call) {
    const { maxStringLength } = context.config;
    if (!arity(context, call, 1, 2)) return stringType(maxStringLength);
    const [source, length] = call.arguments;
    const sourceType = context.expression(source!);
    if (sourceType.kind !== 'integer' && sourceType.kind !== 'pointer' && sourceType.kind !== 'string') {
      context.diagnostics.error(source!.span, `str() needs a pointer or an address, not ${typeName(sourceType)}`);
    }
    if (!length) return sourceType.kind === 'string' ? sourceType : stringType(maxStringLength);
    const value = context.constantInteger(length);
    if (value === undefined) {
      const lengthType = context.expression(length);
      if (!isScalar(lengthType)) context.diagnostics.error(length.span, `str() needs an integer length, not ${typeName(lengthType)}`);
      return stringType(maxStringLength);
    }
    // bpftrace's words, its missing space included.
    if (value < 0n) context.diagnostics.error(call.span, `strcannot use negative length (${value})`);
    else if (value + 1n > BigInt(maxStringLength)) {
      context.diagnostics.warning(call.span, `length param (${value}) is too long and will be shortened to ${maxStringLength} bytes (see BPFTRACE_MAX_STRLEN)`);
    } else return stringType(Number(value) + 1);
    return stringType(maxStringLength);
  },
  lower(lowering, call, type) {
    // The read's extra byte, if any, trails the value.
    const size = Math.max(sizeOf(type), rereadsString(lowering, call) ? readCapacity(lowering, call) : 0);
    const offset = lowering.e.allocate(size);
    lowering.lowerInto(call, offset, { kind: 'string', size });
    return { kind: 'memory', offset, type };
  },
  lowerInto(lowering, call, offset, size) {
    if (!rereadsString(lowering, call)) {
      lowering.storeValue(lowering.lower(call.arguments[0]!), offset, { kind: 'string', size });
    } else if (readCapacity(lowering, call) <= size) {
      zeroFill(lowering.e, offset, size);
      readString(lowering, call, offset);
    } else {
      // The value is the first `size` bytes of a longer read (the byte past max_strlen): read apart.
      lowering.storeValue(lowering.lower(call), offset, { kind: 'string', size });
    }
  },
};

/** str() of a string without a length is that string; everything else is read with probe_read_*_str. */
function rereadsString(lowering: ExpressionLowering, call: CallExpression): boolean {
  return lowering.typeOf(call.arguments[0]!).kind !== 'string' || call.arguments.length > 1;
}

/** The most bytes the read writes: max_strlen (+ 1 below 1024), or fewer for a constant length. */
function readCapacity(lowering: ExpressionLowering, call: CallExpression): number {
  const limit = stringReadLength(lowering.program.config.maxStringLength);
  const length = call.arguments[1];
  const value = length?.kind === 'integer' ? length.value : undefined;
  return value === undefined ? limit : Math.min(Number(value), limit);
}

/** probe_read_*_str of the source into the zero-filled buffer at `offset` (readCapacity bytes at most). */
function readString(lowering: ExpressionLowering, call: CallExpression, offset: number): void {
  const e = lowering.e;
  const [source, length] = call.arguments;
  const capacity = readCapacity(lowering, call);
  let size: CallArgument = { kind: 'immediate', value: capacity };
  let requested: Temp | undefined;
  if (length && length.kind !== 'integer') {
    // A length known at run time: at most the capacity (unsigned, as bpftrace compares it).
    requested = lowering.scalar(length);
    const register = e.pool.writable(requested);
    const within = e.newLabel('strlen');
    e.emit(jmp('le', register, capacity, within));
    e.emit(mov64(register, capacity));
    e.place(within);
    size = { kind: 'temp', temp: requested };
  }
  const sourceType = lowering.typeOf(source!);
  let pointer: Temp;
  if (sourceType.kind === 'string') {
    // A string in memory is read again from its own bytes.
    const value = lowering.lower(source!);
    if (value.kind !== 'memory') throw new Error('internal error: a string is not in memory');
    pointer = e.pool.acquire();
    e.address(e.pool.writable(pointer), value.offset);
  } else pointer = lowering.scalar(source!);
  const helper = sourceType.kind !== 'string' && isUserPointer(lowering, sourceType) ? 'probe_read_user_str' : 'probe_read_kernel_str';
  callProbeRead(lowering, helper, [{ kind: 'stack', offset }, size, { kind: 'temp', temp: pointer }]);
  e.pool.release(pointer);
  e.pool.release(requested);
}
