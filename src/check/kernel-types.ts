// Kernel types: vmlinux BTF → tsbpf Types, as bpftrace reads them. One Type object per (reader, type
// id), so that `struct task_struct` is one record however it is reached; a record's fields (and its
// alignment) are computed when first read, since task_struct reaches most of the kernel through its
// pointers. Typedefs and qualifiers resolve away, anonymous struct/union members are flattened into
// their parent (C name lookup, and bpftrace's printing), arrays of one-byte integers are strings
// (`char comm[16]` is string[16]), enums are integers that know their enumerators' names.
import type { BtfMember, BtfReader, BtfType, TypeId } from '../btf/index.js';
import { markSpace } from './address-space.js';
import { closestName } from './closest-name.js';
import { booleanType, integer, noneType, stringType, type EnumInfo, type IntegerBits, type RecordField, type Type } from '../model/types.js';

const readers = new WeakMap<BtfReader, KernelTypes>();

/** The types of `btf`, shared by every compile that reads the same reader (a host keeps one). */
export function kernelTypes(btf: BtfReader): KernelTypes {
  let types = readers.get(btf);
  if (!types) {
    types = new KernelTypes(btf);
    readers.set(btf, types);
  }
  return types;
}

export interface Enumerator {
  readonly type: Type;
  readonly value: bigint;
}

/** The C names of base types as scripts write them, and as BTF spells them. */
const btfSpellings: Readonly<Record<string, string>> = {
  'unsigned': 'unsigned int', 'signed': 'int', 'signed int': 'int', 'short': 'short int', 'signed short': 'short int',
  'unsigned short': 'short unsigned int', 'unsigned short int': 'short unsigned int', 'long': 'long int', 'signed long': 'long int',
  'unsigned long': 'long unsigned int', 'unsigned long int': 'long unsigned int', 'long long': 'long long int',
  'unsigned long long': 'long long unsigned int', 'unsigned long long int': 'long long unsigned int', 'bool': '_Bool',
};

export class KernelTypes {
  private readonly types = new Map<TypeId, Type>();

  constructor(readonly btf: BtfReader) {}

  /** The Type of BTF type `id`. */
  typeOf(id: TypeId): Type {
    const known = this.types.get(id);
    if (known) return known;
    const type = this.convert(this.btf.typeById(id));
    this.types.set(id, type);
    return type;
  }

  /**
   * A type by name: `struct task_struct`, `union bpf_attr`, `enum bpf_map_type`, a typedef (`pid_t`,
   * `u64`), a base type (`unsigned long`, `char`); a bare struct or union name as a last resort.
   */
  named(name: string): Type | undefined {
    const spelled = name.replace(/\s+/g, ' ').trim();
    const tagged = /^(struct|union|enum) (.+)$/.exec(spelled);
    if (tagged) {
      const found = this.btf.findType(spelled);
      return found ? this.typeOf(found.id) : undefined;
    }
    const candidates = this.btf.findTypes(btfSpellings[spelled] ?? spelled);
    const plain = candidates.find((type) => type.kind === 'typedef' || type.kind === 'int' || type.kind === 'float');
    if (plain) return this.typeOf(plain.id);
    const record = candidates.find((type) => type.kind === 'struct' || type.kind === 'union');
    return record ? this.typeOf(record.id) : undefined;
  }

  /** The BTF id behind a named type (for messages and sizes of types tsbpf cannot represent). */
  namedId(name: string): TypeId | undefined {
    const spelled = name.replace(/\s+/g, ' ').trim();
    return this.btf.findType(btfSpellings[spelled] ?? spelled)?.id;
  }

  /** An enumerator of any kernel enum (`BPF_MAP_TYPE_RINGBUF`): its value, typed by its enum. */
  enumerator(name: string): Enumerator | undefined {
    const found = this.btf.enumWith(name);
    const value = found?.values.find((candidate) => candidate.name === name);
    return found && value ? { value: value.value, type: this.typeOf(found.id) } : undefined;
  }

  /**
   * The struct (or union) name closest to `wanted`, for "did you mean" hints. Names are read without
   * decoding every type; the one chosen is decoded, so that a recording host keeps it.
   */
  closestRecord(kind: 'struct' | 'union', wanted: string): string | undefined {
    const ids = new Map<string, TypeId>();
    for (let id = 1; id <= this.btf.typeCount; id++) {
      if (this.btf.kindOf(id) !== kind) continue;
      const name = this.btf.nameOf(id);
      if (name && !ids.has(name)) ids.set(name, id);
    }
    const best = closestName(wanted, ids.keys());
    if (best !== undefined) this.btf.typeById(ids.get(best)!);
    return best;
  }

  private convert(type: BtfType): Type {
    switch (type.kind) {
      case 'void': case 'func': case 'funcProto': case 'float': case 'variable': case 'dataSection': case 'declTag':
        return noneType;
      case 'int':
        if (type.bool) return booleanType;
        // Wider integers (__int128) read as their low 64 bits, as bpftrace clamps them.
        return type.size >= 1 && type.size <= 16 ? integer(bitsOf(Math.min(type.size, 8)), type.signed) : noneType;
      case 'enum': case 'enum64': {
        const info: EnumInfo = { name: type.name || `(anonymous #${type.id})`, values: type.values };
        return { kind: 'integer', bits: bitsOf(type.size), signed: type.signed, enum: info };
      }
      case 'pointer': {
        // Placed in the table before its target is converted: pointer cycles end here.
        const pointee = this.btf.resolve(type.type);
        const to = pointee.kind === 'funcProto' || pointee.kind === 'void' ? noneType : this.typeOf(type.type);
        return { kind: 'pointer', to, space: 'kernel' };
      }
      case 'array': {
        const element = this.btf.resolve(type.type);
        if (element.kind === 'int' && element.size === 1 && !element.bool) return stringType(type.count);
        return { kind: 'array', element: this.typeOf(type.type), length: type.count };
      }
      case 'struct': case 'union':
        return this.record(type);
      case 'forward': {
        const keyword = type.union ? 'union' : 'struct';
        const full = type.name ? this.btf.findTypes(`${keyword} ${type.name}`).find((one) => one.kind !== 'forward') : undefined;
        if (full) return this.typeOf(full.id);
        return markSpace({ kind: 'record', name: `${keyword} ${type.name}`, size: 0, fields: [], align: 1, ...(type.union ? { union: true } : {}), btfId: type.id }, 'kernel');
      }
      case 'typedef': case 'const': case 'volatile': case 'restrict': case 'typeTag':
        return this.typeOf(type.type);
    }
  }

  /** A struct or union whose fields and alignment are computed when first asked for. */
  private record(type: Extract<BtfType, { kind: 'struct' | 'union' }>): Type {
    let fields: readonly RecordField[] | undefined;
    let align: number | undefined;
    const record = {
      kind: 'record' as const,
      name: `${type.kind} ${type.name || `(anonymous #${type.id})`}`,
      size: type.size,
      btfId: type.id,
      ...(type.kind === 'union' ? { union: true } : {}),
    };
    Object.defineProperty(record, 'fields', { enumerable: true, get: () => (fields ??= this.fields(type)) });
    Object.defineProperty(record, 'align', { enumerable: true, get: () => (align ??= this.alignment(type.id)) });
    return markSpace(record as unknown as Type, 'kernel');
  }

  private fields(composite: Extract<BtfType, { kind: 'struct' | 'union' }>): RecordField[] {
    const fields: RecordField[] = [];
    const walk = (members: readonly BtfMember[], baseBits: number, path: readonly number[]) => {
      members.forEach((member, index) => {
        const bits = baseBits + member.bitOffset;
        if (member.name === '') {
          const inner = this.btf.resolve(member.type);
          if (inner.kind === 'struct' || inner.kind === 'union') walk(inner.members, bits, [...path, index]);
          return; // an unnamed bitfield is padding
        }
        let bitSize = member.bitfieldSize;
        let start = bits;
        if (bitSize === 0) {
          // Old-style bitfields (no kind flag) keep their width and shift in the int type itself.
          const resolved = this.btf.resolve(member.type);
          if (resolved.kind === 'int' && (resolved.bits !== resolved.size * 8 || resolved.bitOffset !== 0)) {
            bitSize = resolved.bits;
            start += resolved.bitOffset;
          }
        }
        const type = this.typeOf(member.type);
        const memberPath = [...path, index];
        if (bitSize > 0 || start % 8 !== 0) {
          fields.push({ name: member.name, type, offset: Math.floor(start / 8), bitOffset: start % 8, bitSize: bitSize || 8 * sizeOfPlain(type), path: memberPath });
        } else {
          fields.push({ name: member.name, type, offset: start / 8, path: memberPath });
        }
      });
    };
    walk(composite.members, 0, []);
    return fields;
  }

  /** C's alignment of a type: natural, or 1 for a packed struct (a member off its alignment). */
  private alignment(id: TypeId): number {
    const type = this.btf.resolve(id);
    switch (type.kind) {
      case 'int': case 'float': case 'enum': case 'enum64': return Math.min(8, Math.max(1, type.size));
      case 'pointer': return 8;
      case 'array': return this.alignment(type.type);
      case 'struct': case 'union': {
        let align = 1;
        for (const member of type.members) {
          const memberAlign = this.alignment(member.type);
          if (member.bitfieldSize === 0 && member.bitOffset % (memberAlign * 8) !== 0) return 1;
          align = Math.max(align, memberAlign);
        }
        return type.size % align === 0 ? align : 1;
      }
      default: return 1;
    }
  }
}

function bitsOf(size: number): IntegerBits {
  return size <= 1 ? 8 : size <= 2 ? 16 : size <= 4 ? 32 : 64;
}

function sizeOfPlain(type: Type): number {
  return type.kind === 'integer' ? type.bits / 8 : 1;
}
