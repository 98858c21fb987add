// Kernel types named by a script's C definitions (`struct task_struct t;`, `u32 x;`, `pid_t p;`),
// from the kernel's BTF: each as a tsbpf Type with the C size and alignment a layout needs, and the
// kernel's enumerators by name. Records compute their fields when first read (a pointer member
// reaches most of the kernel), and one Type is kept per BTF id. script-types.ts takes this through
// the KernelCTypes interface, so a fuller BTF → Type conversion can stand in for this one.
import type { BtfReader, BtfType, TypeId } from '../btf/index.js';
import { booleanType, noneType, stringType, type EnumInfo, type IntegerBits, type RecordField, type Type } from '../model/types.js';

/** A type with the C size and alignment of what it stands for (`none` still has a size: `double`). */
export interface MeasuredType {
  readonly type: Type;
  readonly size: number;
  readonly align: number;
}

export interface KernelCTypes {
  /** Whether the kernel has BTF at all (defines BPFTRACE_HAVE_BTF). */
  available(): boolean;
  /** `struct X`, `union X`, `enum X`, or a typedef/base type name (`u32`, `pid_t`). */
  named(name: string): MeasuredType | undefined;
  /** A kernel enumerator (`BPF_MAP_TYPE_RINGBUF`): its enum's type and value. */
  enumerator(name: string): { readonly type: Type; readonly value: bigint } | undefined;
}

export function btfCTypes(btf: BtfReader): KernelCTypes {
  const types = new Map<TypeId, Type>();
  const aligns = new Map<TypeId, number>();

  const align = (id: TypeId): number => {
    const known = aligns.get(id);
    if (known !== undefined) return known;
    const type = btf.resolve(id);
    let result = 1;
    if (type.kind === 'int' || type.kind === 'enum' || type.kind === 'enum64' || type.kind === 'float') result = Math.min(Math.max(type.size, 1), 8);
    else if (type.kind === 'pointer') result = 8;
    else if (type.kind === 'array') result = align(type.type);
    else if (type.kind === 'struct' || type.kind === 'union') {
      aligns.set(id, 1); // a cycle can only pass through pointers; this guards a broken BTF
      let most = 1;
      let packed = false;
      for (const member of type.members) {
        const memberAlign = align(member.type);
        most = Math.max(most, memberAlign);
        if (member.bitfieldSize === 0 && member.bitOffset % (memberAlign * 8) !== 0) packed = true;
      }
      // As libbpf's btf__align_of: a member off its natural alignment, or an odd size, means packed.
      result = packed || type.size % most !== 0 ? 1 : most;
    }
    aligns.set(id, result);
    return result;
  };

  const convert = (id: TypeId): Type => {
    const known = types.get(id);
    if (known) return known;
    const type = btf.resolve(id);
    const made = make(type);
    types.set(id, made);
    if (type.id !== id) types.set(type.id, made);
    return made;
  };

  const make = (type: BtfType): Type => {
    switch (type.kind) {
      case 'int':
        if (type.bool) return booleanType;
        return [1, 2, 4, 8].includes(type.size) ? { kind: 'integer', bits: (type.size * 8) as IntegerBits, signed: type.signed } : noneType;
      case 'enum': case 'enum64':
        return { kind: 'integer', bits: (type.size * 8) as IntegerBits, signed: type.signed, enum: enumInfo(type.name, type.values) };
      case 'pointer': {
        const target = btf.resolve(type.type);
        return { kind: 'pointer', to: target.kind === 'void' || target.kind === 'funcProto' ? noneType : convert(type.type), space: 'unknown' };
      }
      case 'array': {
        const element = btf.resolve(type.type);
        if (element.kind === 'int' && element.size === 1) return stringType(type.count);
        return { kind: 'array', element: convert(type.type), length: type.count };
      }
      case 'struct': case 'union':
        return record(type);
      case 'forward':
        return { kind: 'record', name: `${type.union ? 'union' : 'struct'} ${type.name}`, size: 0, fields: [], align: 1 };
      default:
        return noneType;
    }
  };

  const record = (type: Extract<BtfType, { kind: 'struct' | 'union' }>): Type => {
    let fields: RecordField[] | undefined;
    const computeFields = (): RecordField[] => {
      const list: RecordField[] = [];
      const walk = (members: Extract<BtfType, { kind: 'struct' | 'union' }>['members'], base: number, path: readonly number[]) => {
        members.forEach((member, index) => {
          const bit = base + member.bitOffset;
          const memberType = btf.resolve(member.type);
          if (member.name === '' && (memberType.kind === 'struct' || memberType.kind === 'union')) {
            walk(memberType.members, bit, [...path, index]);
            return;
          }
          if (member.name === '') return;
          const field: RecordField = member.bitfieldSize === 0
            ? { name: member.name, type: convert(member.type), offset: bit / 8, path: [...path, index] }
            : { name: member.name, type: convert(member.type), offset: Math.floor(bit / 8), bitOffset: bit % 8, bitSize: member.bitfieldSize, path: [...path, index] };
          list.push(field);
        });
      };
      walk(type.members, 0, []);
      return list;
    };
    return {
      // An anonymous kernel type (`typedef struct { int counter; } atomic_t`) gets a name of its own: records compare by name.
      kind: 'record', name: type.name === '' ? `${type.kind} (anonymous #${type.id})` : `${type.kind} ${type.name}`, size: type.size, align: align(type.id), btfId: type.id,
      ...(type.kind === 'union' ? { union: true } : {}),
      get fields() {
        return (fields ??= computeFields());
      },
    };
  };

  const measured = (found: BtfType | undefined): MeasuredType | undefined => {
    if (!found || found.kind === 'func' || found.kind === 'funcProto' || found.kind === 'variable' || found.kind === 'dataSection') return undefined;
    const resolved = btf.resolve(found.id);
    const size = resolved.kind === 'forward' || resolved.kind === 'void' ? 0 : btf.sizeof(found.id);
    return { type: convert(found.id), size, align: align(found.id) };
  };

  return {
    available: () => true,
    named(name) {
      const tagged = /^(struct|union|enum) (.+)$/.exec(name);
      if (tagged) return measured(btf.findType(tagged[2]!, tagged[1] as 'struct' | 'union' | 'enum') ?? btf.findType(tagged[2]!, 'forward'));
      return measured(btf.findTypes(name).find((type) => type.kind === 'typedef' || type.kind === 'int'));
    },
    enumerator(name) {
      const found = btf.findEnumerator(name);
      if (!found) return undefined;
      const type = convert(found.type.id);
      // Enumerators as values are 64-bit, as in bpftrace (`sizeof(BTF_VAR_STATIC)` is 8).
      return { type: type.kind === 'integer' ? { ...type, bits: 64 } : type, value: found.value };
    },
  };
}

function enumInfo(name: string, values: readonly { readonly name: string; readonly value: bigint }[]): EnumInfo {
  return { name, values: values.map((value) => ({ name: value.name, value: value.value })) };
}
