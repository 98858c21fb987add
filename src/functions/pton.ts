// pton("1.2.3.4") / pton("::1"): an address literal as its bytes in network order, a uint8[4] or
// uint8[16] array known at compile time, as bpftrace's pton(): a `.` makes it IPv4, a `:` IPv6, and
// the text must be what inet_pton(3) accepts for that family.
import { u8, type Type } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { storeBytes } from '../codegen/memory.js';
import type { FunctionRecord } from './record.js';

/** inet_pton(AF_INET): four decimal bytes, no leading zeros. */
function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.map(Number);
}

/** inet_pton(AF_INET6): eight groups of up to four hex digits, one `::` for zero groups, an IPv4 tail. */
function ipv6Bytes(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const parts = half.split(':');
    const groups: number[] = [];
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1 && part.includes('.')) {
        const tail = ipv4Bytes(part);
        if (!tail) return undefined;
        groups.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        groups.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // An IPv4 tail is allowed only at the very end.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

/** The address's bytes and its array type; undefined with the reason when it is no address. */
export function addressBytes(text: string): { bytes: number[] } | { error: string } {
  const family = text.includes('.') ? 4 : text.includes(':') ? 6 : undefined;
  if (family === undefined) return { error: `pton() expects an string argument of an IPv4/IPv6 address, got ${text}` };
  const bytes = family === 4 ? ipv4Bytes(text) : ipv6Bytes(text);
  return bytes ? { bytes } : { error: `pton() expects a valid IPv4/IPv6 address, got ${text}` };
}

const arrayOf = (length: number): Type => ({ kind: 'array', element: u8, length });

export const pton: FunctionRecord = {
  name: 'pton',
  check(context, call) {
    if (!arity(context, call, 1, 1)) return arrayOf(4);
    const argument = call.arguments[0]!;
    if (argument.kind !== 'string') {
      context.expression(argument);
      context.diagnostics.error(argument.span, 'pton() expects an string literal at the first argument');
      return arrayOf(4);
    }
    context.expression(argument);
    const address = addressBytes(argument.value);
    if ('error' in address) {
      context.diagnostics.error(argument.span, address.error);
      return arrayOf(4);
    }
    return arrayOf(address.bytes.length);
  },
  lower(lowering, call, type) {
    const address = addressBytes((call.arguments[0] as { value: string }).value);
    if ('error' in address) throw new Error(`internal error: ${address.error}`);
    const e = lowering.e;
    const offset = e.allocate(address.bytes.length);
    storeBytes(e, offset, Uint8Array.from(address.bytes), address.bytes.length, e.pool.scratchRegister());
    return { kind: 'memory', offset, type };
  },
};
