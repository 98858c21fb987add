// Reads BTF (the kernel's /sys/kernel/btf/vmlinux, ~126k types, or a blob from BtfWriter) lazily:
// opening makes one pass over the type section that records each type's offset and kind in typed
// arrays; a type becomes an object only when asked for, and the name index is built on first lookup.
import { readFileSync } from 'node:fs';
import {
  BTF_HEADER_SIZE, BTF_MAGIC, BTF_TYPE_SIZE, BtfError, type BtfKind, IntEncoding, KindCode, kindCode, kindNames,
  linkageNames, trailingSize,
} from './format.js';
import { globLiteralPrefix, globToRegExp } from './glob.js';
import { NameIndex } from './name-index.js';
import { BtfLookupError, memberLocation, type MemberLocation, resolveType, sizeOf } from './layout.js';
import { typeName } from './type-name.js';
import type { BtfMember, BtfType, BtfTypeOf, BtfTypeSource, TypeId } from './types.js';

export const VMLINUX_BTF_PATH = '/sys/kernel/btf/vmlinux';

/** Name lookups accept a C tag prefix: `struct task_struct`, `union bpf_attr`, `enum bpf_map_type`. */
const taggedName = /^(struct|union|enum)\s+(\S+)$/;

export class BtfReader implements BtfTypeSource {
  /** The highest type id (ids run 1..typeCount; 0 is void). */
  readonly typeCount: number;
  private readonly bytes: Buffer;
  private readonly view: DataView;
  private readonly stringStart: number;
  private readonly stringEnd: number;
  private readonly offsets: Uint32Array;
  private readonly kindCodes: Uint8Array;
  private readonly decoded = new Map<TypeId, BtfType>();
  private nameIndex: NameIndex | undefined;
  private enumeratorIndex: Map<string, TypeId> | undefined;

  constructor(data: Uint8Array) {
    this.bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data.byteLength < BTF_HEADER_SIZE) throw new BtfError(`BTF is ${data.byteLength} bytes, shorter than its header`);
    const magic = this.view.getUint16(0, true);
    if (magic !== BTF_MAGIC) {
      const swapped = magic === ((BTF_MAGIC >> 8) | ((BTF_MAGIC & 0xff) << 8));
      throw new BtfError(swapped ? 'BTF is in the other byte order' : `not BTF: magic 0x${magic.toString(16)}`);
    }
    const headerLength = this.view.getUint32(4, true);
    const typeStart = headerLength + this.view.getUint32(8, true);
    const typeEnd = typeStart + this.view.getUint32(12, true);
    this.stringStart = headerLength + this.view.getUint32(16, true);
    this.stringEnd = this.stringStart + this.view.getUint32(20, true);
    if (headerLength < BTF_HEADER_SIZE || typeEnd > data.byteLength || this.stringEnd > data.byteLength) {
      throw new BtfError('BTF header describes sections outside the blob');
    }
    // Every type is at least 12 bytes, which bounds the count before the pass.
    const capacity = Math.floor((typeEnd - typeStart) / BTF_TYPE_SIZE) + 1;
    const offsets = new Uint32Array(capacity);
    const kinds = new Uint8Array(capacity);
    let at = typeStart;
    let id = 1;
    while (at < typeEnd) {
      if (at + BTF_TYPE_SIZE > typeEnd) throw new BtfError(`type ${id} is cut off at the end of the type section`);
      const info = this.view.getUint32(at + 4, true);
      const kindValue = (info >>> 24) & 0x1f;
      const trailing = trailingSize(kindValue, info & 0xffff);
      if (trailing === undefined) throw new BtfError(`type ${id} has unknown kind ${kindValue}`);
      offsets[id] = at;
      kinds[id] = kindValue;
      at += BTF_TYPE_SIZE + trailing;
      id += 1;
    }
    if (at !== typeEnd) throw new BtfError(`type ${id - 1} runs past the end of the type section`);
    this.typeCount = id - 1;
    this.offsets = offsets.subarray(0, id);
    this.kindCodes = kinds.subarray(0, id);
  }

  /** The blob this reader reads (a recording host keeps the part of it that was used). */
  get blob(): Uint8Array {
    return this.bytes;
  }

  kindOf(id: TypeId): BtfKind {
    this.checkId(id);
    return kindNames[this.kindCodes[id]!]!;
  }

  nameOf(id: TypeId): string {
    this.checkId(id);
    return id === 0 ? '' : this.string(this.view.getUint32(this.offsets[id]!, true));
  }

  typeById(id: TypeId): BtfType {
    const known = this.decoded.get(id);
    if (known) return known;
    this.checkId(id);
    const type = this.decode(id);
    this.decoded.set(id, type);
    return type;
  }

  /** Ids of the types decoded so far: what a fixture host must keep of this BTF (host/btf-subset.ts). */
  decodedIds(): TypeId[] {
    return [...this.decoded.keys()];
  }

  /** All types with this name (C tag prefixes allowed), in id order. */
  findTypes(name: string): BtfType[] {
    const tagged = taggedName.exec(name);
    const bare = tagged ? tagged[2]! : name;
    const types = this.names().lookup(bare).map((id) => this.typeById(id));
    if (!tagged) return types;
    const tag = tagged[1]!;
    return types.filter((type) => type.kind === tag || (tag === 'enum' && type.kind === 'enum64'));
  }

  /**
   * The type with this name; `kind` narrows it ('enum' also finds 'enum64'). Without a kind, a full
   * definition wins over a forward declaration.
   */
  findType(name: string, kind?: BtfKind): BtfType | undefined {
    const types = this.findTypes(name);
    if (kind) return types.find((type) => type.kind === kind || (kind === 'enum' && type.kind === 'enum64'));
    return types.find((type) => type.kind !== 'forward') ?? types[0];
  }

  /** Every type of a kind, optionally only those whose name matches a glob; decoded one at a time. */
  *types(kind: BtfKind, glob?: string): Generator<BtfType> {
    const wanted = kindCode(kind);
    const pattern = glob === undefined ? undefined : globToRegExp(glob);
    const prefix = Buffer.from(glob === undefined ? '' : globLiteralPrefix(glob));
    for (let id = 1; id <= this.typeCount; id++) {
      if (this.kindCodes[id] !== wanted) continue;
      if (prefix.length > 0 && !this.nameStartsWith(id, prefix)) continue;
      if (pattern && !pattern.test(this.nameOf(id))) continue;
      yield this.typeById(id);
    }
  }

  /**
   * The enum (or enum64) that has an enumerator named `name` (`BPF_MAP_TYPE_RINGBUF`), the first in
   * id order. The index is built from the raw entries on the first call; only the enum found is
   * decoded (what a fixture host must keep).
   */
  enumWith(name: string): BtfTypeOf<'enum' | 'enum64'> | undefined {
    if (!this.enumeratorIndex) {
      const index = new Map<string, TypeId>();
      for (let id = 1; id <= this.typeCount; id++) {
        const code = this.kindCodes[id];
        if (code !== KindCode.ENUM && code !== KindCode.ENUM64) continue;
        const at = this.offsets[id]!;
        const count = this.view.getUint32(at + 4, true) & 0xffff;
        const entrySize = code === KindCode.ENUM64 ? 12 : 8;
        for (let entry = 0; entry < count; entry++) {
          const enumerator = this.string(this.view.getUint32(at + BTF_TYPE_SIZE + entry * entrySize, true));
          if (enumerator && !index.has(enumerator)) index.set(enumerator, id);
        }
      }
      this.enumeratorIndex = index;
    }
    const id = this.enumeratorIndex.get(name);
    return id === undefined ? undefined : (this.typeById(id) as BtfTypeOf<'enum' | 'enum64'>);
  }

  /** Looks through typedef, const, volatile, restrict and type tags. */
  resolve(id: TypeId): BtfType {
    return resolveType(this, id);
  }

  sizeof(id: TypeId): number {
    return sizeOf(this, id);
  }

  /** C spelling: `struct task_struct *`, `char[16]`, `unsigned int`. */
  typeName(id: TypeId): string {
    return typeName(this, id);
  }

  /** Location of a field path (`a.b`, `comm[2]`, or an array of names) inside the type `id`. */
  member(id: TypeId, path: string | readonly string[]): MemberLocation {
    return memberLocation(this, id, path);
  }

  /** Like member(), from a struct/union name (`task_struct`, `struct task_struct`) or a typedef to one. */
  memberOffset(typeName: string, path: string | readonly string[]): MemberLocation {
    const candidates = this.findTypes(typeName);
    const composite = candidates.find((type) => type.kind === 'struct' || type.kind === 'union')
      ?? candidates.find((type) => {
        const resolved = type.kind === 'typedef' ? this.resolve(type.id) : undefined;
        return resolved?.kind === 'struct' || resolved?.kind === 'union';
      });
    if (!composite) {
      throw new BtfLookupError(candidates.length > 0 ? `'${typeName}' is not a struct or union` : `unknown type '${typeName}'`);
    }
    return memberLocation(this, composite.id, path);
  }

  /**
   * The prototype of a function (`vfs_read`), a typedef to a function pointer (`btf_trace_sys_enter`),
   * or any type id leading to one through typedefs, qualifiers and one pointer.
   */
  funcPrototype(nameOrId: string | TypeId): BtfTypeOf<'funcProto'> | undefined {
    let start: BtfType | undefined;
    if (typeof nameOrId === 'number') start = this.typeById(nameOrId);
    else start = this.findType(nameOrId, 'func') ?? this.findType(nameOrId, 'typedef');
    if (!start) return undefined;
    let type = start.kind === 'func' ? this.typeById(start.type) : this.resolve(start.id);
    if (type.kind === 'pointer') type = this.resolve(type.type);
    return type.kind === 'funcProto' ? type : undefined;
  }

  /**
   * The enum (or enum64) with an enumerator called `name`, and its value; the first by id. Only the
   * type found is decoded (the enumerator names are read from the raw entries), so a recording host
   * keeps that enum and not the thousands it looked through.
   */
  findEnumerator(name: string): { readonly type: BtfTypeOf<'enum' | 'enum64'>; readonly value: bigint } | undefined {
    const type = this.enumWith(name);
    return type && { type, value: type.values.find((value) => value.name === name)!.value };
  }

  private names(): NameIndex {
    this.nameIndex ??= new NameIndex(
      this.bytes, this.stringStart, this.stringEnd, (id) => this.view.getUint32(this.offsets[id]!, true), this.typeCount,
    );
    return this.nameIndex;
  }

  private nameStartsWith(id: TypeId, prefix: Buffer): boolean {
    const start = this.stringStart + this.view.getUint32(this.offsets[id]!, true);
    if (start + prefix.length > this.stringEnd) return false;
    const bytes = this.bytes;
    for (let index = 0; index < prefix.length; index++) {
      if (bytes[start + index] !== prefix[index]) return false;
    }
    return true;
  }

  private string(offset: number): string {
    const start = this.stringStart + offset;
    if (offset === 0) return '';
    if (start >= this.stringEnd) throw new BtfError(`string offset ${offset} is outside the string section`);
    let end = this.bytes.indexOf(0, start);
    if (end < 0 || end > this.stringEnd) end = this.stringEnd;
    return this.bytes.toString('utf8', start, end);
  }

  private checkId(id: TypeId): void {
    if (!Number.isInteger(id) || id < 0 || id > this.typeCount) {
      throw new BtfError(`type id ${id} is out of range (1..${this.typeCount})`);
    }
  }

  private decode(id: TypeId): BtfType {
    if (id === 0) return { kind: 'void', id: 0, name: '' };
    const view = this.view;
    const at = this.offsets[id]!;
    const name = this.string(view.getUint32(at, true));
    const info = view.getUint32(at + 4, true);
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    const sizeOrType = view.getUint32(at + 8, true);
    const body = at + BTF_TYPE_SIZE;
    const kindValue = this.kindCodes[id]!;
    switch (kindValue) {
      case KindCode.INT: {
        const word = view.getUint32(body, true);
        const encoding = (word >>> 24) & 0x0f;
        return {
          kind: 'int', id, name, size: sizeOrType, bits: word & 0xff, bitOffset: (word >>> 16) & 0xff,
          signed: (encoding & IntEncoding.SIGNED) !== 0, char: (encoding & IntEncoding.CHAR) !== 0,
          bool: (encoding & IntEncoding.BOOL) !== 0,
        };
      }
      case KindCode.FLOAT: return { kind: 'float', id, name, size: sizeOrType };
      case KindCode.PTR: return { kind: 'pointer', id, name, type: sizeOrType };
      case KindCode.ARRAY:
        return {
          kind: 'array', id, name, type: view.getUint32(body, true), indexType: view.getUint32(body + 4, true),
          count: view.getUint32(body + 8, true),
        };
      case KindCode.STRUCT: case KindCode.UNION: {
        const members: BtfMember[] = new Array(vlen);
        for (let index = 0; index < vlen; index++) {
          const entry = body + index * 12;
          const offset = view.getUint32(entry + 8, true);
          members[index] = {
            name: this.string(view.getUint32(entry, true)),
            type: view.getUint32(entry + 4, true),
            bitOffset: kindFlag ? offset & 0xffffff : offset,
            bitfieldSize: kindFlag ? offset >>> 24 : 0,
          };
        }
        return { kind: kindValue === KindCode.STRUCT ? 'struct' : 'union', id, name, size: sizeOrType, members };
      }
      case KindCode.ENUM: case KindCode.ENUM64: {
        const wide = kindValue === KindCode.ENUM64;
        const values = [];
        for (let index = 0; index < vlen; index++) {
          const entry = body + index * (wide ? 12 : 8);
          let value: bigint;
          if (wide) {
            const raw = (BigInt(view.getUint32(entry + 8, true)) << 32n) | BigInt(view.getUint32(entry + 4, true));
            value = kindFlag ? BigInt.asIntN(64, raw) : raw;
          } else {
            value = BigInt(kindFlag ? view.getInt32(entry + 4, true) : view.getUint32(entry + 4, true));
          }
          values.push({ name: this.string(view.getUint32(entry, true)), value });
        }
        return { kind: wide ? 'enum64' : 'enum', id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case KindCode.FWD: return { kind: 'forward', id, name, union: kindFlag };
      case KindCode.TYPEDEF: return { kind: 'typedef', id, name, type: sizeOrType };
      case KindCode.VOLATILE: return { kind: 'volatile', id, name, type: sizeOrType };
      case KindCode.CONST: return { kind: 'const', id, name, type: sizeOrType };
      case KindCode.RESTRICT: return { kind: 'restrict', id, name, type: sizeOrType };
      case KindCode.TYPE_TAG: return { kind: 'typeTag', id, name, type: sizeOrType };
      case KindCode.FUNC: return { kind: 'func', id, name, type: sizeOrType, linkage: linkageNames[vlen] ?? 'static' };
      case KindCode.FUNC_PROTO: {
        const params = [];
        for (let index = 0; index < vlen; index++) {
          const entry = body + index * 8;
          params.push({ name: this.string(view.getUint32(entry, true)), type: view.getUint32(entry + 4, true) });
        }
        // A trailing nameless void param marks `...`.
        const last = params[params.length - 1];
        const variadic = last !== undefined && last.type === 0 && last.name === '';
        if (variadic) params.pop();
        return { kind: 'funcProto', id, name, returnType: sizeOrType, params, variadic };
      }
      case KindCode.VAR:
        return { kind: 'variable', id, name, type: sizeOrType, linkage: linkageNames[view.getUint32(body, true)] ?? 'static' };
      case KindCode.DATASEC: {
        const variables = [];
        for (let index = 0; index < vlen; index++) {
          const entry = body + index * 12;
          variables.push({
            type: view.getUint32(entry, true), offset: view.getUint32(entry + 4, true), size: view.getUint32(entry + 8, true),
          });
        }
        return { kind: 'dataSection', id, name, size: sizeOrType, variables };
      }
      case KindCode.DECL_TAG:
        return { kind: 'declTag', id, name, type: sizeOrType, componentIndex: view.getInt32(body, true) };
      default:
        throw new BtfError(`type ${id} has unknown kind ${kindValue}`);
    }
  }
}

export function parseBtf(data: Uint8Array): BtfReader {
  return new BtfReader(data);
}

/** The kernel's BTF, read now; callers keep it (a host keeps it for its lifetime). */
export function openVmlinuxBtf(path: string = VMLINUX_BTF_PATH): BtfReader {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new BtfError(`cannot read kernel BTF at ${path} (${code}); the kernel needs CONFIG_DEBUG_INFO_BTF`);
  }
  return new BtfReader(data);
}
