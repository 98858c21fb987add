// buf(pointer[, length]) and buf(value): raw bytes for printf's %r, as { u32 length; bytes }.
import { R0, R10, st } from '../bpf/index.js';
import { isScalar, sizeOf, typeName } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import { copyToStack, zeroFill } from '../codegen/memory.js';
import { isUserPointer } from '../codegen/strings.js';
import type { FunctionRecord } from './record.js';
import { callProbeRead } from '../codegen/probe-read.js';

export const buf: FunctionRecord = {
  name: 'buf',
  check(context, call) {
    if (!arity(context, call, 1, 2)) return { kind: 'buffer', size: 64 };
    const [first, length] = call.arguments;
    const { maxStringLength } = context.config;
    // A pointer to read from, or a value already in memory: a string or an array (its bytes).
    const source = context.expression(first!);
    const inMemory = source.kind === 'string' || source.kind === 'array';
    if (!inMemory && !isScalar(source)) context.diagnostics.error(first!.span, `buf() needs a pointer, a string or an array here, not ${typeName(source)}`);
    let size = inMemory ? sizeOf(source) : maxStringLength;
    if (length) {
      const value = context.constantInteger(length);
      if (value === undefined || value < 1n) context.diagnostics.error(length.span, 'buf() length must be a positive integer constant');
      else size = Math.min(Number(value), inMemory ? sizeOf(source) : maxStringLength);
    }
    return { kind: 'buffer', size };
  },
  lower(lowering, call, type) {
    const e = lowering.e;
    const size = type.kind === 'buffer' ? type.size : 64;
    const offset = e.allocate(4 + size, 4);
    zeroFill(e, offset, 4 + size);
    e.emit(st('w', R10, offset, size));
    const sourceType = lowering.typeOf(call.arguments[0]!);
    if (sourceType.kind === 'string' || sourceType.kind === 'array') {
      // Already in memory (a string or an array value): its first `size` bytes.
      const source = memoryOf(lowering, call.arguments[0]!);
      copyToStack(e, R10, source.offset, offset + 4, size, R0);
      return { kind: 'memory', offset, type };
    }
    const pointer = lowering.scalar(call.arguments[0]!);
    const user = isUserPointer(lowering, lowering.typeOf(call.arguments[0]!));
    callProbeRead(lowering, user ? 'probe_read_user' : 'probe_read_kernel', [
      { kind: 'stack', offset: offset + 4 }, { kind: 'immediate', value: size }, { kind: 'temp', temp: pointer },
    ]);
    e.pool.release(pointer);
    return { kind: 'memory', offset, type };
  },
};
