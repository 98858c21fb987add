// The BTF wire format's constants (include/uapi/linux/btf.h, Documentation/bpf/btf.rst), shared by the
// writer and the reader so that both agree on every number.

export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
/** sizeof(struct btf_header); section offsets in the header count from its end. */
export const BTF_HEADER_SIZE = 24;
/** sizeof(struct btf_type): name_off, info, size/type. */
export const BTF_TYPE_SIZE = 12;
export const BTF_MAX_VLEN = 0xffff;
/** Pointers are 8 bytes on every target tsbpf compiles for (BTF itself does not record it). */
export const POINTER_SIZE = 8;

/** The wire value of each kind (bits 24-28 of btf_type.info). */
export const KindCode = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

/** The kind names tsbpf uses in decoded types, indexed by wire code (0 is void / unknown). */
export const kindNames = [
  'void', 'int', 'pointer', 'array', 'struct', 'union', 'enum', 'forward', 'typedef', 'volatile', 'const',
  'restrict', 'func', 'funcProto', 'variable', 'dataSection', 'float', 'declTag', 'typeTag', 'enum64',
] as const;

export type BtfKind = (typeof kindNames)[number];

const kindCodes = new Map<string, number>(kindNames.map((name, code) => [name, code]));

export function kindCode(kind: BtfKind): number {
  return kindCodes.get(kind)!;
}

/** Bits of the u32 that follows an INT's btf_type. */
export const IntEncoding = { SIGNED: 1, CHAR: 2, BOOL: 4 } as const;

export type Linkage = 'static' | 'global' | 'extern';
export const linkageNames: readonly Linkage[] = ['static', 'global', 'extern'];

export function linkageCode(linkage: Linkage): number {
  return linkageNames.indexOf(linkage);
}

export function packInfo(kindValue: number, vlen: number, kindFlag: boolean): number {
  return ((kindFlag ? 0x80000000 : 0) | (kindValue << 24) | vlen) >>> 0;
}

/** Bytes that follow the common btf_type header for a kind; undefined for an unknown kind. */
export function trailingSize(kindValue: number, vlen: number): number | undefined {
  switch (kindValue) {
    case KindCode.INT: case KindCode.VAR: case KindCode.DECL_TAG: return 4;
    case KindCode.ARRAY: return 12;
    case KindCode.STRUCT: case KindCode.UNION: case KindCode.DATASEC: case KindCode.ENUM64: return 12 * vlen;
    case KindCode.ENUM: case KindCode.FUNC_PROTO: return 8 * vlen;
    case KindCode.PTR: case KindCode.FWD: case KindCode.TYPEDEF: case KindCode.VOLATILE: case KindCode.CONST:
    case KindCode.RESTRICT: case KindCode.FUNC: case KindCode.FLOAT: case KindCode.TYPE_TAG: return 0;
    default: return undefined;
  }
}

/** Malformed BTF, or a writer misuse: a programming or data error, not a user lookup miss. */
export class BtfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BtfError';
  }
}
