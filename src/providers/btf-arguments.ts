// Named arguments from BTF for programs whose context is an array of u64 slots (raw tracepoints,
// fentry/fexit): each parameter of the prototype becomes a field at its slot's offset, shaped like a
// tracepoint field so that `args.name` is checked and lowered the same way.
import type { BtfParam, BtfReader } from '../btf/index.js';
import type { TracepointField } from '../model/probe.js';

export interface BtfArguments {
  readonly fields: readonly TracepointField[];
  /** Slots the arguments occupy: where fexit finds the return value. */
  readonly slotCount: number;
}

/**
 * Fields for `params` (names from `names` when the prototype's own are empty, as in the
 * `btf_trace_*` typedefs). A parameter wider than 8 bytes (a struct passed by value) takes several
 * slots and is not readable as a field.
 */
export function argumentFields(btf: BtfReader, params: readonly BtfParam[], names?: readonly string[]): BtfArguments {
  const fields: TracepointField[] = [];
  let slot = 0;
  params.forEach((param, index) => {
    const name = param.name || names?.[index] || `arg${index}`;
    const size = safeSize(btf, param.type);
    const slots = Math.max(1, Math.ceil(size / 8));
    if (size > 0 && size <= 8) {
      const type = btf.typeName(param.type);
      fields.push({
        name, type, declaration: `${type} ${name}`, offset: slot * 8, size, signed: isSigned(btf, param.type),
        isDataLoc: false, isRelativeLoc: false, common: false, btfType: param.type,
      });
    }
    slot += slots;
  });
  return { fields, slotCount: slot };
}

function safeSize(btf: BtfReader, id: number): number {
  try {
    return btf.sizeof(id);
  } catch {
    return 8;
  }
}

function isSigned(btf: BtfReader, id: number): boolean {
  const type = btf.resolve(id);
  if (type.kind === 'int') return type.signed && !type.bool;
  if (type.kind === 'enum' || type.kind === 'enum64') return type.signed;
  return false;
}

/** `type name` the way tracefs and bpftrace -lv write a parameter: `struct task_struct * prev`. */
export function declaration(btf: BtfReader, type: number, name: string): string {
  return `${btf.typeName(type)} ${name}`;
}
