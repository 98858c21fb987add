// Decoded BTF types: plain data with a `kind` discriminant. Type references are ids (0 is void), so a
// decoded type never drags its whole graph along; the reader follows ids on demand.
import type { Linkage } from './format.js';

export type TypeId = number;

export interface BtfMember {
  readonly name: string;        // '' for an anonymous struct/union member
  readonly type: TypeId;
  readonly bitOffset: number;   // from the start of the enclosing struct/union
  readonly bitfieldSize: number; // 0 unless the member is a bitfield
}

export interface BtfEnumValue {
  readonly name: string;
  readonly value: bigint;
}

export interface BtfParam {
  readonly name: string;        // '' when the prototype does not name it
  readonly type: TypeId;
}

export interface BtfSectionVariable {
  readonly type: TypeId;        // a variable (or func) id
  readonly offset: number;
  readonly size: number;
}

interface Common { readonly id: TypeId; readonly name: string }

export type BtfType =
  | Common & { readonly kind: 'void' }
  | Common & { readonly kind: 'int'; readonly size: number; readonly bits: number; readonly bitOffset: number;
      readonly signed: boolean; readonly char: boolean; readonly bool: boolean }
  | Common & { readonly kind: 'float'; readonly size: number }
  | Common & { readonly kind: 'pointer'; readonly type: TypeId }
  | Common & { readonly kind: 'array'; readonly type: TypeId; readonly indexType: TypeId; readonly count: number }
  | Common & { readonly kind: 'struct' | 'union'; readonly size: number; readonly members: readonly BtfMember[] }
  | Common & { readonly kind: 'enum' | 'enum64'; readonly size: number; readonly signed: boolean;
      readonly values: readonly BtfEnumValue[] }
  | Common & { readonly kind: 'forward'; readonly union: boolean }
  | Common & { readonly kind: 'typedef' | 'volatile' | 'const' | 'restrict' | 'typeTag'; readonly type: TypeId }
  | Common & { readonly kind: 'func'; readonly type: TypeId; readonly linkage: Linkage }
  | Common & { readonly kind: 'funcProto'; readonly returnType: TypeId; readonly params: readonly BtfParam[];
      readonly variadic: boolean }
  | Common & { readonly kind: 'variable'; readonly type: TypeId; readonly linkage: Linkage }
  | Common & { readonly kind: 'dataSection'; readonly size: number; readonly variables: readonly BtfSectionVariable[] }
  | Common & { readonly kind: 'declTag'; readonly type: TypeId; readonly componentIndex: number };

export type BtfTypeOf<K extends BtfType['kind']> = Extract<BtfType, { kind: K }>;

/** Kinds that only qualify or rename another type; resolving skips them. */
export const transparentKinds: ReadonlySet<BtfType['kind']> = new Set(['typedef', 'volatile', 'const', 'restrict', 'typeTag']);

/** What layout and naming need from a reader: decode one type by id. */
export interface BtfTypeSource {
  typeById(id: TypeId): BtfType;
}
