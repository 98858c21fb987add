// macaddr(mac): six bytes printed as a MAC address (`05:04:03:02:01:02`, upper-case hex), as
// bpftrace's macaddr(). The bytes come from an array or a string value (a char[6] member is one) of
// at least 6 bytes, or are read from a pointer (an integer is an address); the program keeps them in the low bytes of an s64 that userspace
// formats, so they go wherever a value goes (print(), maps, keys, printf's %s).
import { R0, R10, st } from '../bpf/index.js';
import { isScalar, sizeOf, typeName } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { memoryOf } from '../codegen/calls.js';
import { copyToStack } from '../codegen/memory.js';
import { isUserPointer } from '../codegen/strings.js';
import type { FunctionRecord } from './record.js';
import { callProbeRead } from '../codegen/probe-read.js';

const MAC_BYTES = 6;

export const macaddr: FunctionRecord = {
  name: 'macaddr',
  check(context, call) {
    const type = { kind: 'formatted', by: 'macaddr' } as const;
    if (!arity(context, call, 1, 1)) return type;
    const argument = call.arguments[0]!;
    if (argument.kind === 'string') {
      context.expression(argument);
      context.diagnostics.error(argument.span, 'macaddr() does not support literal string arguments');
      return type;
    }
    const source = context.expression(argument);
    if (source.kind === 'array' || source.kind === 'string') {
      if (sizeOf(source) < MAC_BYTES) context.diagnostics.error(argument.span, 'macaddr() argument must be at least 6 bytes in size');
    } else if (!isScalar(source) || source.kind === 'boolean') {
      context.diagnostics.error(argument.span, `macaddr() only supports array or pointer arguments (${typeName(source)} provided)`);
    }
    return type;
  },
  lower(lowering, call, type) {
    const e = lowering.e;
    const offset = e.allocate(8);
    // Bytes 6 and 7 stay zero: the value is the s64 of the six bytes.
    e.emit(st('dw', R10, offset, 0));
    const argument = call.arguments[0]!;
    const sourceType = lowering.typeOf(argument);
    if (sourceType.kind === 'array' || sourceType.kind === 'string') {
      const source = memoryOf(lowering, argument);
      copyToStack(e, R10, source.offset, offset, MAC_BYTES, R0);
      return { kind: 'memory', offset, type };
    }
    const pointer = lowering.scalar(argument);
    const user = isUserPointer(lowering, sourceType);
    callProbeRead(lowering, user ? 'probe_read_user' : 'probe_read_kernel', [
      { kind: 'stack', offset }, { kind: 'immediate', value: MAC_BYTES }, { kind: 'temp', temp: pointer },
    ]);
    e.pool.release(pointer);
    return { kind: 'memory', offset, type };
  },
  valueText(value) {
    const bytes: string[] = [];
    for (let index = 0; index < MAC_BYTES; index++) bytes.push(Number((BigInt.asUintN(64, value) >> BigInt(8 * index)) & 0xffn).toString(16).toUpperCase().padStart(2, '0'));
    return bytes.join(':');
  },
};
