// str(pointer[, length]): a NUL-terminated string read from user or kernel memory into a buffer of
// max_strlen bytes (or length + 1); str() of a string is that string.
import { stringType, typeName, sizeOf } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { isUserPointer } from '../codegen/strings.js';
import { zeroFill } from '../codegen/memory.js';
import type { FunctionRecord } from './record.js';

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
    if (length) {
      const value = context.constantInteger(length);
      if (value !== undefined) {
        if (value < 1n) context.diagnostics.error(length.span, 'str() length must be at least 1');
        return stringType(Math.min(Number(value) + 1, maxStringLength));
      }
      context.expression(length);
    }
    return sourceType.kind === 'string' ? sourceType : stringType(maxStringLength);
  },
  lower(lowering, call, type) {
    const offset = lowering.e.allocate(sizeOf(type));
    lowering.lowerInto(call, offset, type);
    return { kind: 'memory', offset, type };
  },
  lowerInto(lowering, call, offset, size) {
    const e = lowering.e;
    const source = call.arguments[0]!;
    const sourceType = lowering.typeOf(source);
    if (sourceType.kind === 'string') {
      lowering.storeValue(lowering.lower(source), offset, { kind: 'string', size });
      return;
    }
    zeroFill(e, offset, size);
    let limit = size;
    if (call.arguments[1]) {
      const requested = lowering.lower(call.arguments[1]);
      if (requested.kind === 'constant') limit = Math.max(1, Math.min(size, Number(requested.value) + 1));
      else lowering.release(requested);
    }
    const pointer = lowering.scalar(source);
    const helper = isUserPointer(lowering, sourceType) ? 'probe_read_user_str' : 'probe_read_kernel_str';
    e.callHelper(helper, [{ kind: 'stack', offset }, { kind: 'immediate', value: limit }, { kind: 'temp', temp: pointer }], true);
    e.pool.release(pointer);
  },
};
