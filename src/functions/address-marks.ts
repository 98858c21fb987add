// uptr(p) and kptr(p): the same pointer, said to point into user (uptr) or kernel (kptr) memory, for
// where the probe's default address space is the wrong one (bpftrace's uptr()/kptr()). Nothing runs:
// the mark only decides which probe_read helper later reads through the pointer.
import { typeName, type AddressSpace } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

function addressMark(name: string, space: AddressSpace): FunctionRecord {
  return {
    name,
    check(context, call) {
      if (!arity(context, call, 1, 1)) return { kind: 'none' };
      const type = context.expression(call.arguments[0]!);
      if (type.kind === 'pointer') return { ...type, space };
      // An integer carries no address space in tsbpf: it stays the probe's (a cast to a pointer sets one).
      if (type.kind === 'integer') return type;
      context.diagnostics.error(call.arguments[0]!.span, `${name}() only supports integer or pointer arguments (${typeName(type)} provided)`);
      return type;
    },
    lower(lowering, call, type) {
      const value = lowering.lower(call.arguments[0]!);
      return { ...value, type };
    },
  };
}

export const uptr = addressMark('uptr', 'user');
export const kptr = addressMark('kptr', 'kernel');
