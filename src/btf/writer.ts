// Builds a BTF blob: the types a program's maps and functions need (func_info for callbacks, typed
// map keys/values). Each add* call returns the new type's id; ids start at 1 (0 is void) and follow
// call order, so a caller can refer to any earlier type. toBytes() lays out header, types, strings.
import {
  BTF_HEADER_SIZE, BTF_MAGIC, BTF_MAX_VLEN, BTF_VERSION, BtfError, IntEncoding, KindCode, type Linkage,
  linkageCode, packInfo,
} from './format.js';
import type { TypeId } from './types.js';

/** At most one of signed, char, bool: BTF has a single encoding per int. */
export interface IntOptions {
  readonly signed?: boolean;
  readonly char?: boolean;
  readonly bool?: boolean;
  /** Value bits; defaults to size * 8. */
  readonly bits?: number;
  /** Bit offset of the value inside the storage (old-style bitfields); defaults to 0. */
  readonly bitOffset?: number;
}

export interface MemberSpec {
  readonly name: string;          // '' for an anonymous member
  readonly type: TypeId;
  readonly bitOffset: number;
  readonly bitfieldSize?: number; // set only for bitfields
}

export interface ParamSpec {
  readonly name?: string;
  readonly type: TypeId;
}

export interface SectionVariableSpec {
  readonly type: TypeId;
  readonly offset: number;
  readonly size: number;
}

/** Strings once each: "" sits at offset 0, and an equal string always gets the same offset. */
class StringTable {
  private readonly offsets = new Map<string, number>([['', 0]]);
  private readonly chunks: Uint8Array[] = [new Uint8Array(1)];
  private length = 1;
  private readonly encoder = new TextEncoder();

  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    if (text.includes('\0')) throw new BtfError(`BTF string contains a NUL byte: ${JSON.stringify(text)}`);
    const bytes = this.encoder.encode(text);
    const offset = this.length;
    const chunk = new Uint8Array(bytes.length + 1);
    chunk.set(bytes);
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.offsets.set(text, offset);
    return offset;
  }

  get byteLength(): number {
    return this.length;
  }

  writeTo(target: Uint8Array, at: number): void {
    for (const chunk of this.chunks) {
      target.set(chunk, at);
      at += chunk.length;
    }
  }
}

export class BtfWriter {
  private readonly strings = new StringTable();
  // Each type as the u32 words it encodes to: name_off, info, size/type, then its trailing records.
  private readonly types: number[][] = [];
  private arrayIndexType: TypeId | undefined;

  /** How many types have been added (the largest id). */
  get typeCount(): number {
    return this.types.length;
  }

  /** Adds a string (e.g. a source file name for line_info) and returns its offset. */
  string(text: string): number {
    return this.strings.add(text);
  }

  int(name: string, size: number, options: IntOptions = {}): TypeId {
    if (![1, 2, 4, 8, 16].includes(size)) throw new BtfError(`int ${name}: size ${size} is not 1, 2, 4, 8 or 16`);
    const bits = options.bits ?? size * 8;
    const bitOffset = options.bitOffset ?? 0;
    if (bits < 1 || bits + bitOffset > size * 8) throw new BtfError(`int ${name}: ${bits} bits at ${bitOffset} exceed ${size} bytes`);
    const encoding = (options.signed ? IntEncoding.SIGNED : 0) | (options.char ? IntEncoding.CHAR : 0)
      | (options.bool ? IntEncoding.BOOL : 0);
    // The kernel accepts at most one encoding bit ("Unsupported encoding" otherwise).
    if (encoding & (encoding - 1)) throw new BtfError(`int ${name}: signed, char and bool are exclusive`);
    const id = this.push(name, KindCode.INT, 0, false, size, [(encoding << 24) | (bitOffset << 16) | bits]);
    if (size === 4 && bits === 32 && encoding === 0 && this.arrayIndexType === undefined) this.arrayIndexType = id;
    return id;
  }

  float(name: string, size: number): TypeId {
    return this.push(name, KindCode.FLOAT, 0, false, size, []);
  }

  pointer(target: TypeId): TypeId {
    return this.push('', KindCode.PTR, 0, false, this.reference(target), []);
  }

  /** An array of `count` elements; the index type defaults to a 4-byte unsigned int (added if needed). */
  array(element: TypeId, count: number, indexType?: TypeId): TypeId {
    this.reference(element);
    const index = indexType ?? this.arrayIndexType ?? this.int('__ARRAY_SIZE_TYPE__', 4);
    return this.push('', KindCode.ARRAY, 0, false, 0, [element, this.reference(index), count]);
  }

  struct(name: string, size: number, members: readonly MemberSpec[]): TypeId {
    return this.composite(KindCode.STRUCT, name, size, members);
  }

  union(name: string, size: number, members: readonly MemberSpec[]): TypeId {
    return this.composite(KindCode.UNION, name, size, members);
  }

  /** Replaces a struct's or union's members: how a type that points to itself is built. */
  setMembers(id: TypeId, members: readonly MemberSpec[]): void {
    const words = this.types[id - 1];
    const kindValue = words ? (words[1] >>> 24) & 0x1f : -1;
    if (kindValue !== KindCode.STRUCT && kindValue !== KindCode.UNION) throw new BtfError(`type ${id} is not a struct or union`);
    this.types[id - 1] = this.compositeWords(kindValue, words![0], words![2], members);
  }

  /** A C enum; size 8 makes it an ENUM64, whose values may use all 64 bits. */
  enum(name: string, size: number, values: readonly { name: string; value: number | bigint }[], options: { signed?: boolean } = {}): TypeId {
    if (![1, 2, 4, 8].includes(size)) throw new BtfError(`enum ${name}: size ${size} is not 1, 2, 4 or 8`);
    this.checkVlen(`enum ${name}`, values.length);
    const signed = options.signed ?? values.some((entry) => BigInt(entry.value) < 0n);
    const words: number[] = [];
    for (const entry of values) {
      const value = BigInt.asUintN(64, BigInt(entry.value));
      words.push(this.strings.add(entry.name));
      if (size === 8) words.push(Number(value & 0xffffffffn), Number(value >> 32n));
      else words.push(Number(value & 0xffffffffn));
    }
    return this.push(name, size === 8 ? KindCode.ENUM64 : KindCode.ENUM, values.length, signed, size, words);
  }

  forward(name: string, kind: 'struct' | 'union' = 'struct'): TypeId {
    return this.push(name, KindCode.FWD, 0, kind === 'union', 0, []);
  }

  typedef(name: string, target: TypeId): TypeId {
    return this.push(name, KindCode.TYPEDEF, 0, false, this.reference(target), []);
  }

  const(target: TypeId): TypeId {
    return this.push('', KindCode.CONST, 0, false, this.reference(target), []);
  }

  volatile(target: TypeId): TypeId {
    return this.push('', KindCode.VOLATILE, 0, false, this.reference(target), []);
  }

  restrict(target: TypeId): TypeId {
    return this.push('', KindCode.RESTRICT, 0, false, this.reference(target), []);
  }

  typeTag(tag: string, target: TypeId): TypeId {
    return this.push(tag, KindCode.TYPE_TAG, 0, false, this.reference(target), []);
  }

  /** A tag on a type (componentIndex -1) or on one of its members/params. */
  declTag(tag: string, target: TypeId, componentIndex = -1): TypeId {
    return this.push(tag, KindCode.DECL_TAG, 0, false, this.reference(target), [componentIndex]);
  }

  funcProto(returnType: TypeId, params: readonly ParamSpec[], options: { variadic?: boolean } = {}): TypeId {
    this.reference(returnType);
    const words: number[] = [];
    for (const param of params) words.push(this.strings.add(param.name ?? ''), this.reference(param.type));
    // A variadic prototype ends with a nameless param of type void.
    if (options.variadic) words.push(0, 0);
    this.checkVlen('func proto', words.length / 2);
    return this.push('', KindCode.FUNC_PROTO, words.length / 2, false, returnType, words);
  }

  func(name: string, proto: TypeId, linkage: Linkage = 'static'): TypeId {
    return this.push(name, KindCode.FUNC, linkageCode(linkage), false, this.reference(proto), []);
  }

  variable(name: string, type: TypeId, linkage: Linkage = 'global'): TypeId {
    return this.push(name, KindCode.VAR, 0, false, this.reference(type), [linkageCode(linkage)]);
  }

  dataSection(name: string, size: number, variables: readonly SectionVariableSpec[]): TypeId {
    this.checkVlen(`datasec ${name}`, variables.length);
    const words: number[] = [];
    for (const variable of variables) words.push(this.reference(variable.type), variable.offset, variable.size);
    return this.push(name, KindCode.DATASEC, variables.length, false, size, words);
  }

  toBytes(): Uint8Array {
    let typeLength = 0;
    for (const words of this.types) typeLength += words.length * 4;
    const bytes = new Uint8Array(BTF_HEADER_SIZE + typeLength + this.strings.byteLength);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, BTF_MAGIC, true);
    view.setUint8(2, BTF_VERSION);
    view.setUint8(3, 0);
    view.setUint32(4, BTF_HEADER_SIZE, true);
    view.setUint32(8, 0, true);
    view.setUint32(12, typeLength, true);
    view.setUint32(16, typeLength, true);
    view.setUint32(20, this.strings.byteLength, true);
    let at = BTF_HEADER_SIZE;
    for (const words of this.types) {
      for (const word of words) {
        view.setUint32(at, word >>> 0, true);
        at += 4;
      }
    }
    this.strings.writeTo(bytes, at);
    return bytes;
  }

  private composite(kindValue: number, name: string, size: number, members: readonly MemberSpec[]): TypeId {
    this.types.push(this.compositeWords(kindValue, this.strings.add(name), size, members));
    return this.types.length;
  }

  private compositeWords(kindValue: number, nameOffset: number, size: number, members: readonly MemberSpec[]): number[] {
    this.checkVlen('struct', members.length);
    // The kind flag switches every member's offset to (bitfield size << 24 | bit offset).
    const hasBitfields = members.some((member) => (member.bitfieldSize ?? 0) > 0);
    const words = [nameOffset, packInfo(kindValue, members.length, hasBitfields), size];
    for (const member of members) {
      const bitfieldSize = member.bitfieldSize ?? 0;
      if (hasBitfields && (member.bitOffset >= 1 << 24 || bitfieldSize > 255)) {
        throw new BtfError(`member ${member.name}: bit offset ${member.bitOffset} or size ${bitfieldSize} too large for a bitfield struct`);
      }
      const offset = hasBitfields ? (bitfieldSize << 24) | member.bitOffset : member.bitOffset;
      words.push(this.strings.add(member.name), this.reference(member.type), offset);
    }
    return words;
  }

  private push(name: string, kindValue: number, vlen: number, kindFlag: boolean, sizeOrType: number, trailing: number[]): TypeId {
    this.types.push([this.strings.add(name), packInfo(kindValue, vlen, kindFlag), sizeOrType, ...trailing]);
    return this.types.length;
  }

  private reference(id: TypeId): TypeId {
    if (!Number.isInteger(id) || id < 0 || id > this.types.length) {
      throw new BtfError(`type id ${id} does not exist yet (${this.types.length} types so far)`);
    }
    return id;
  }

  private checkVlen(what: string, count: number): void {
    if (count > BTF_MAX_VLEN) throw new BtfError(`${what}: ${count} entries exceed ${BTF_MAX_VLEN}`);
  }
}
