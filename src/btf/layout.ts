// Where things sit in memory: sizes, and the offset of a field path like `mm.arg_start` or `comm[3]`
// inside a struct, looking through anonymous members and typedefs the way C name lookup does.
import { POINTER_SIZE } from './format.js';
import { transparentKinds, type BtfMember, type BtfType, type BtfTypeSource, type TypeId } from './types.js';

/** A name that is not in the BTF, or a path that does not fit the type: a message for the user. */
export class BtfLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BtfLookupError';
  }
}

export interface MemberLocation {
  /** The member's declared type (typedefs kept, e.g. `pid_t`). */
  readonly type: TypeId;
  /** Bits from the start of the outermost struct. */
  readonly bitOffset: number;
  /** Bits of a bitfield; 0 for an ordinary member. */
  readonly bitfieldSize: number;
  /** Where to read `size` bytes from; a bitfield's value then starts (bitOffset - 8 * byteOffset) bits in. */
  readonly byteOffset: number;
  /** sizeof the member's type (a bitfield's storage unit). */
  readonly size: number;
}

type PathStep = { readonly kind: 'field'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

const MAX_TYPE_CHAIN = 64;

/** Skips typedef, const, volatile, restrict and type tags. */
export function resolveType(source: BtfTypeSource, id: TypeId): BtfType {
  let type = source.typeById(id);
  for (let depth = 0; transparentKinds.has(type.kind); depth++) {
    if (depth > MAX_TYPE_CHAIN) throw new BtfLookupError(`type ${id}: typedef/qualifier chain too long (a cycle?)`);
    type = source.typeById((type as { type: TypeId }).type);
  }
  return type;
}

export function sizeOf(source: BtfTypeSource, id: TypeId): number {
  const type = resolveType(source, id);
  switch (type.kind) {
    case 'int': case 'float': case 'struct': case 'union': case 'enum': case 'enum64': case 'dataSection':
      return type.size;
    case 'pointer':
      return POINTER_SIZE;
    case 'array':
      return type.count * sizeOf(source, type.type);
    case 'variable':
      return sizeOf(source, type.type);
    case 'void': case 'forward': case 'func': case 'funcProto': case 'declTag':
      return 0;
    case 'typedef': case 'volatile': case 'const': case 'restrict': case 'typeTag':
      throw new BtfLookupError(`type ${id} did not resolve`);
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

function parseFieldPath(path: string | readonly string[]): PathStep[] {
  const parts = typeof path === 'string' ? [path] : path;
  const steps: PathStep[] = [];
  for (const part of parts) {
    for (const match of part.matchAll(/([^.[\]]+)|\[(\d+)\]|(\.)|(.)/g)) {
      if (match[1] !== undefined) steps.push({ kind: 'field', name: match[1] });
      else if (match[2] !== undefined) steps.push({ kind: 'index', index: Number(match[2]) });
      else if (match[4] !== undefined) throw new BtfLookupError(`bad field path '${part}'`);
    }
  }
  if (steps.length === 0) throw new BtfLookupError('empty field path');
  return steps;
}

/**
 * Finds a member by name in a struct/union, descending into anonymous members; returns the chain
 * of members from the outer one to the named one, or undefined.
 */
function findMemberChain(source: BtfTypeSource, compositeId: TypeId, name: string): BtfMember[] | undefined {
  const composite = resolveType(source, compositeId);
  if (composite.kind !== 'struct' && composite.kind !== 'union') return undefined;
  for (const member of composite.members) {
    if (member.name === name) return [member];
  }
  for (const member of composite.members) {
    if (member.name !== '') continue;
    const inner = findMemberChain(source, member.type, name);
    if (inner) return [member, ...inner];
  }
  return undefined;
}

function describeType(type: BtfType): string {
  switch (type.kind) {
    case 'struct': case 'union': case 'enum': return `${type.kind} ${type.name || '(anonymous)'}`;
    default: return type.name ? `'${type.name}'` : `a ${type.kind}`;
  }
}

/** The location of `path` (fields separated by `.`, array indexes as `[n]`) inside type `rootId`. */
export function memberLocation(source: BtfTypeSource, rootId: TypeId, path: string | readonly string[]): MemberLocation {
  let currentType = rootId;
  let bitOffset = 0;
  let bitfieldSize = 0;
  for (const step of parseFieldPath(path)) {
    if (bitfieldSize > 0) throw new BtfLookupError('a bitfield has no members');
    const container = resolveType(source, currentType);
    if (step.kind === 'index') {
      if (container.kind !== 'array') throw new BtfLookupError(`cannot index ${describeType(container)}: not an array`);
      if (step.index >= container.count) {
        throw new BtfLookupError(`index ${step.index} is out of bounds for an array of ${container.count}`);
      }
      bitOffset += step.index * sizeOf(source, container.type) * 8;
      currentType = container.type;
      continue;
    }
    if (container.kind === 'pointer') {
      throw new BtfLookupError(`'${step.name}' is behind a pointer: a field path cannot dereference (use ->)`);
    }
    if (container.kind !== 'struct' && container.kind !== 'union') {
      throw new BtfLookupError(`cannot access field '${step.name}' of ${describeType(container)}: not a struct or union`);
    }
    const chain = findMemberChain(source, container.id, step.name);
    if (!chain) throw new BtfLookupError(`${describeType(container)} has no field named '${step.name}'`);
    for (const member of chain) bitOffset += member.bitOffset;
    const member = chain[chain.length - 1]!;
    currentType = member.type;
    bitfieldSize = member.bitfieldSize;
    if (bitfieldSize === 0) {
      // Old-style bitfields (no kind flag) keep their width and shift in the int type itself.
      const resolved = resolveType(source, member.type);
      if (resolved.kind === 'int' && (resolved.bits !== resolved.size * 8 || resolved.bitOffset !== 0)) {
        bitfieldSize = resolved.bits;
        bitOffset += resolved.bitOffset;
      }
    }
  }
  const size = sizeOf(source, currentType);
  return { type: currentType, bitOffset, bitfieldSize, byteOffset: readOffset(bitOffset, bitfieldSize, size), size };
}

/**
 * Where to load `size` bytes from: for a bitfield, the naturally aligned storage unit holding all its
 * bits (what the C compiler used), unless a packed layout makes it straddle one.
 */
function readOffset(bitOffset: number, bitfieldSize: number, size: number): number {
  if (bitfieldSize === 0 || size === 0) return Math.floor(bitOffset / 8);
  const unitBits = size * 8;
  const unitStart = Math.floor(bitOffset / unitBits) * unitBits;
  if (bitOffset + bitfieldSize <= unitStart + unitBits) return unitStart / 8;
  return Math.floor(bitOffset / 8);
}
