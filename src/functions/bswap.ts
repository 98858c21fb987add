// bswap(n): the bytes of an integer in reverse order, by the operand's width; the result is the
// unsigned integer of that width (a u8 comes back as it is), as bpftrace's bswap().
import { alu64, endian } from '../bpf/index.js';
import { integer, typeName, u64 } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

function swapConstant(value: bigint, bits: number): bigint {
  let rest = BigInt.asUintN(bits, value);
  let swapped = 0n;
  for (let byte = 0; byte < bits / 8; byte++) {
    swapped = (swapped << 8n) | (rest & 0xffn);
    rest >>= 8n;
  }
  return swapped;
}

export const bswap: FunctionRecord = {
  name: 'bswap',
  check(context, call) {
    if (!arity(context, call, 1, 1)) return u64;
    const type = context.expression(call.arguments[0]!);
    if (type.kind !== 'integer') {
      context.diagnostics.error(call.arguments[0]!.span, `bswap() only supports integer arguments (${typeName(type)} provided)`);
      return u64;
    }
    return integer(type.bits, false);
  },
  lower(lowering, call, type) {
    const bits = type.kind === 'integer' ? type.bits : 64;
    const value = lowering.lower(call.arguments[0]!);
    if (value.kind === 'constant') return { kind: 'constant', value: swapConstant(value.value, bits), type };
    const temp = lowering.ownTemp(value);
    const target = lowering.e.pool.writable(temp);
    // To big-endian on this little-endian machine is the swap; it also clears the bits above `bits`
    // (a sign-extended s8/s16/s32 in the register). A u8 is only cut to its byte.
    if (bits === 8) lowering.e.emit(alu64('and', target, 0xff));
    else lowering.e.emit(endian('be', target, bits));
    return { kind: 'register', temp, type };
  },
};
