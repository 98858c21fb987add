// Types of a script's C definitions: each struct/union laid out by C's rules (c-layout.ts), each enum
// with gcc's representation, and every type a member names measured — C base types and the usual
// typedefs here, `struct`/`union`/`enum` of the script first and of the kernel's BTF otherwise
// (a script definition of a kernel type's name wins), typedefs from BTF. Records are made once as
// objects that members may point to before they are laid out (`struct node *next`), and filled in
// when laid out; records and enums are laid out on first need, so definitions may come in any order.
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { CAttribute, EnumDefinition, Expression, FieldDeclaration, RecordDefinition, TypeExpression } from '../parser/ast.js';
import { noneType, type EnumInfo, type IntegerBits, type RecordField, type Type } from '../model/types.js';
import { enumRepresentation, layoutRecord, type CMember } from './c-layout.js';
import { evaluateConstant, type MacroExpander } from './c-constants.js';
import type { KernelCTypes, MeasuredType } from './kernel-c-types.js';

export interface Enumerator {
  readonly type: Type;
  readonly value: bigint;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type RecordType = Mutable<Extract<Type, { kind: 'record' }>>;

interface RecordEntry {
  readonly definition: RecordDefinition;
  readonly type: RecordType;
  /** The macros where the definition stands. */
  readonly expander: MacroExpander;
  state: 'new' | 'pending' | 'done';
}

interface EnumEntry {
  readonly definition: EnumDefinition;
  readonly expander: MacroExpander;
  type?: Type;
  state: 'new' | 'pending' | 'done';
}

/** A definition to build, with the macros where it stands. */
export interface BuildItem {
  readonly definition: RecordDefinition | EnumDefinition;
  readonly expander: MacroExpander;
}

/** C's base types and the typedefs every C program has, as bpftrace types them (`_Bool` is uint8 here). */
const namedScalars: ReadonlyMap<string, readonly [IntegerBits, boolean]> = new Map([
  ...([8, 16, 32, 64] as const).flatMap((bits) => [
    [`int${bits}_t`, [bits, true]], [`uint${bits}_t`, [bits, false]], [`__s${bits}`, [bits, true]], [`__u${bits}`, [bits, false]],
    [`s${bits}`, [bits, true]], [`u${bits}`, [bits, false]], [`int${bits}`, [bits, true]], [`uint${bits}`, [bits, false]],
  ] as [string, readonly [IntegerBits, boolean]][]),
  ['size_t', [64, false]], ['ssize_t', [64, true]], ['uintptr_t', [64, false]], ['intptr_t', [64, true]], ['ptrdiff_t', [64, true]],
  ['bool', [8, false]],
]);

export class CTypeBuilder {
  readonly records = new Map<string, RecordEntry>();
  readonly enums = new Map<string, EnumEntry>();
  readonly enumerators = new Map<string, Enumerator>();
  private readonly enumeratorOwners = new Map<string, EnumEntry>();
  /** C lets a definition point to a struct defined nowhere; a cast in a probe may not (bpftrace neither). */
  private incompleteAllowed = true;

  constructor(
    private diagnostics: DiagnosticCollector,
    /** The macros of the definition being built (questions asked later: those at the end). */
    private expander: MacroExpander,
    private readonly kernel: KernelCTypes | undefined,
  ) {}

  /** Runs `work` with `entry`'s macros (a member's type may be another definition, with its own). */
  private within<T>(entry: { readonly expander: MacroExpander }, work: () => T): T {
    const outer = this.expander;
    this.expander = entry.expander;
    try {
      return work();
    } finally {
      this.expander = outer;
    }
  }

  /** Runs `work` with its problems reported into `into` (a question asked after the definitions are read). */
  reportingTo<T>(into: DiagnosticCollector, work: () => T): T {
    const own = this.diagnostics;
    this.diagnostics = into;
    this.incompleteAllowed = false;
    try {
      return work();
    } finally {
      this.diagnostics = own;
      this.incompleteAllowed = true;
    }
  }

  /** Registers every definition (nested and inline ones too), then lays each out. */
  build(items: readonly BuildItem[]): void {
    for (const item of items) this.register(item.definition, item.expander);
    for (const entry of this.records.values()) this.layout(entry);
    for (const entry of [...this.enums.values(), ...this.enumeratorOwners.values()]) this.enumType(entry);
  }

  private register(definition: RecordDefinition | EnumDefinition, expander: MacroExpander): void {
    if (definition.kind === 'enum') {
      const entry: EnumEntry = { definition, expander, state: 'new' };
      if (definition.name !== '') this.claim(this.enums, `enum ${definition.name}`, entry, definition.span);
      for (const value of definition.values) {
        if (this.enumeratorOwners.has(value.name)) this.diagnostics.error(value.span, `redefinition of enumerator '${value.name}'`);
        else this.enumeratorOwners.set(value.name, entry);
      }
      return;
    }
    if (definition.name !== '') {
      const name = `${definition.keyword} ${definition.name}`;
      const type: RecordType = { kind: 'record', name, size: 0, fields: [], align: 1, ...(definition.keyword === 'union' ? { union: true } : {}) };
      this.claim(this.records, name, { definition, type, expander, state: 'new' }, definition.span);
    }
    for (const nested of definition.nested ?? []) this.register(nested, expander);
    for (const field of definition.fields) {
      const base = innermost(field.type);
      if (base.kind === 'recordType' && base.definition) this.register(base.definition, expander);
    }
  }

  private claim<T>(table: Map<string, T>, name: string, entry: T, span: SourceSpan): void {
    if (table.has(name)) this.diagnostics.error(span, `redefinition of '${name}'`);
    else table.set(name, entry);
  }

  /** A type as a member, cast or sizeof names it; undefined after reporting why it has none. */
  measure(type: TypeExpression, underPointer = false): MeasuredType | undefined {
    switch (type.kind) {
      case 'namedType':
        return this.named(type.name, type.span, underPointer, 0);
      case 'recordType':
        return this.tagged(type, underPointer);
      case 'pointerType': {
        const target = this.measure(type.target, true);
        if (!target) return undefined;
        return { type: { kind: 'pointer', to: target.type, space: 'unknown' }, size: 8, align: 8 };
      }
      case 'arrayType': {
        const element = this.measure(type.element);
        if (!element) return undefined;
        let length = type.length;
        if (type.lengthExpression) {
          const value = this.constant(type.lengthExpression);
          if (value === undefined) return undefined;
          if (value < 0n || value > 0xffffffn) {
            this.diagnostics.error(type.lengthExpression.span, `array length ${value} is out of range`);
            return undefined;
          }
          length = Number(value);
        }
        // Only plain `char` arrays are strings (`unsigned char[4]` and `uint8_t[4]` stay arrays), as in bpftrace.
        const text = type.element.kind === 'namedType' && type.element.name === 'char';
        return { type: text ? { kind: 'string', size: length } : { kind: 'array', element: element.type, length }, size: element.size * length, align: element.align };
      }
    }
  }

  private named(name: string, span: SourceSpan, underPointer: boolean, depth: number): MeasuredType | undefined {
    const base = baseType(name);
    if (base) {
      if (base.type.kind === 'none' && base.size === 0 && !underPointer) {
        this.diagnostics.error(span, 'a member cannot have type void');
        return undefined;
      }
      return base;
    }
    const scalar = namedScalars.get(name);
    if (scalar) return { type: { kind: 'integer', bits: scalar[0], signed: scalar[1] }, size: scalar[0] / 8, align: scalar[0] / 8 };
    // `#define my_t unsigned int` then `my_t x;`: the macro stands for a type name.
    const macro = this.expander.macros.get(name);
    if (macro && macro.parameters === undefined && /^[A-Za-z_][A-Za-z0-9_ ]*$/.test(macro.body) && depth < 16) {
      return this.named(macro.body.trim().replace(/\s+/g, ' '), span, underPointer, depth + 1);
    }
    const kernel = this.kernel?.named(name);
    if (kernel) return kernel;
    this.diagnostics.error(span, `unknown type name '${name}'`, this.kernel ? "it is no C type, and no typedef in the kernel's BTF" : 'kernel typedefs need the kernel\'s BTF, which this kernel does not have');
    return undefined;
  }

  private tagged(type: Extract<TypeExpression, { kind: 'recordType' }>, underPointer: boolean): MeasuredType | undefined {
    const definition = type.definition;
    if (definition?.kind === 'enum') return this.measuredEnum(this.enumEntry(definition));
    if (definition?.kind === 'record') {
      const entry = definition.name === '' ? this.anonymous(definition) : this.records.get(`${definition.keyword} ${definition.name}`);
      return entry ? this.measuredRecord(entry, type.span, underPointer) : undefined;
    }
    const name = `${type.keyword} ${type.name}`;
    const scriptEnum = type.keyword === 'enum' ? this.enums.get(name) : undefined;
    if (scriptEnum) return this.measuredEnum(scriptEnum);
    const scriptRecord = type.keyword === 'enum' ? undefined : this.records.get(name);
    if (scriptRecord) return this.measuredRecord(scriptRecord, type.span, underPointer);
    const kernel = this.kernel?.named(name);
    if (kernel && (kernel.size > 0 || underPointer)) return kernel;
    // C allows a pointer to a type defined nowhere; only reading through it needs the definition.
    if (underPointer && this.incompleteAllowed) return { type: { kind: 'record', name, size: 0, fields: [], align: 1 }, size: 0, align: 1 };
    this.diagnostics.error(type.span, kernel ? `'${name}' is only declared in the kernel's BTF, not defined: it has no size` : `unknown type '${name}': neither the script nor the kernel's BTF defines it`);
    return undefined;
  }

  private measuredRecord(entry: RecordEntry, span: SourceSpan, underPointer: boolean): MeasuredType | undefined {
    if (!underPointer) {
      this.layout(entry);
      if (entry.state === 'pending') {
        this.diagnostics.error(span, `'${entry.type.name}' contains itself: a member of its own type needs a pointer`);
        return undefined;
      }
    }
    return { type: entry.type, size: entry.type.size, align: entry.type.align ?? 1 };
  }

  private measuredEnum(entry: EnumEntry): MeasuredType {
    const type = this.enumType(entry);
    const size = type.kind === 'integer' ? type.bits / 8 : 4;
    return { type, size, align: size };
  }

  private anonymous(definition: RecordDefinition): RecordEntry {
    const { file, line, column } = definition.span;
    const name = `${definition.keyword} (anonymous at ${file}:${line}:${column})`;
    let entry = this.records.get(name);
    if (!entry) {
      const type: RecordType = { kind: 'record', name, size: 0, fields: [], align: 1, ...(definition.keyword === 'union' ? { union: true } : {}) };
      entry = { definition, type, expander: this.expander, state: 'new' };
      this.records.set(name, entry);
    }
    return entry;
  }

  private enumEntry(definition: EnumDefinition): EnumEntry {
    const owner = definition.values[0] === undefined ? undefined : this.enumeratorOwners.get(definition.values[0].name);
    if (owner?.definition === definition) return owner;
    const named = definition.name === '' ? undefined : this.enums.get(`enum ${definition.name}`);
    return named?.definition === definition ? named : { definition, expander: this.expander, state: 'new' };
  }

  /** Lays a record out once; members of record type are laid out first. */
  private layout(entry: RecordEntry): void {
    if (entry.state !== 'new') return;
    entry.state = 'pending';
    this.within(entry, () => this.layOut(entry));
    entry.state = 'done';
  }

  private layOut(entry: RecordEntry): void {
    const definition = entry.definition;
    const members: CMember[] = [];
    const types: (MeasuredType | undefined)[] = [];
    for (const field of definition.fields) {
      const measured = this.measure(field.type);
      types.push(measured);
      members.push(this.member(field, measured));
    }
    const attributes = this.attributes(definition.attributes);
    const layout = layoutRecord(members, { union: definition.keyword === 'union', packed: attributes.packed, ...(attributes.aligned === undefined ? {} : { alignAttribute: attributes.aligned }) });
    const fields: RecordField[] = [];
    const seen = new Set<string>();
    definition.fields.forEach((field, index) => {
      const measured = types[index];
      const place = layout.places[index]!;
      if (!measured) return;
      if (field.name === '' && field.bitWidth !== undefined) return; // padding
      const flattened: RecordField[] = field.name === '' && measured.type.kind === 'record'
        ? measured.type.fields.map((inner) => ({ ...inner, offset: inner.offset + place.offset, path: [index, ...(inner.path ?? [])] }))
        : [{
          name: field.name, type: measured.type, offset: place.offset, path: [index],
          ...(field.bitWidth === undefined ? {} : { bitOffset: place.bitOffset ?? 0, bitSize: field.bitWidth }),
        }];
      for (const one of flattened) {
        if (seen.has(one.name)) this.diagnostics.error(field.span, `duplicate member '${one.name}' in '${entry.type.name}'`);
        seen.add(one.name);
        fields.push(one);
      }
    });
    Object.assign(entry.type, { size: layout.size, align: layout.align, fields });
  }

  private member(field: FieldDeclaration, measured: MeasuredType | undefined): CMember {
    const attributes = this.attributes(field.attributes);
    const member: Mutable<CMember> = { name: field.name, size: measured?.size ?? 0, align: measured?.align ?? 1 };
    if (attributes.packed) member.packed = true;
    if (attributes.aligned !== undefined) member.alignAttribute = attributes.aligned;
    if (field.bitWidth === undefined || !measured) return member;
    const type = measured.type;
    const bits = type.kind === 'integer' ? type.bits : type.kind === 'boolean' ? 8 : undefined;
    const what = field.name === '' ? 'an unnamed bit-field' : `bit-field '${field.name}'`;
    if (bits === undefined) this.diagnostics.error(field.type.span, `${what} has a type that is no integer`);
    else if (field.bitWidth > bits) this.diagnostics.error(field.span, `the width of ${what} (${field.bitWidth} bits) exceeds the width of its type (${bits} bits)`);
    else if (field.bitWidth === 0 && field.name !== '') this.diagnostics.error(field.span, `named bit-field '${field.name}' has zero width`);
    else member.bitWidth = field.bitWidth;
    return member;
  }

  /** `packed` and `aligned(N)` (also spelled `__packed__`, `__aligned__`); others are ignored with a warning. */
  private attributes(list: readonly CAttribute[] | undefined): { packed: boolean; aligned?: number } {
    const result: { packed: boolean; aligned?: number } = { packed: false };
    for (const attribute of list ?? []) {
      const name = attribute.name.replace(/^__(.*)__$/, '$1');
      if (name === 'packed') result.packed = true;
      else if (name === 'aligned') {
        // `aligned` alone is the largest alignment the target needs: 16 on x86-64.
        const value = attribute.arguments[0] === undefined ? 16n : this.constant(attribute.arguments[0]);
        if (value === undefined) continue;
        if (value <= 0n || (value & (value - 1n)) !== 0n) this.diagnostics.error(attribute.span, `requested alignment ${value} is not a positive power of 2`);
        else result.aligned = Math.max(result.aligned ?? 1, Number(value));
      } else this.diagnostics.warning(attribute.span, `attribute '${attribute.name}' is ignored`);
    }
    return result;
  }

  /** An enum's type: its values evaluated in order, gcc's representation, the enumerators recorded. */
  enumType(entry: EnumEntry): Type {
    if (entry.type) return entry.type;
    const definition = entry.definition;
    const info: EnumInfo = { name: definition.name, values: [] };
    if (entry.state === 'pending') {
      this.diagnostics.error(definition.span, `the values of enum '${definition.name}' depend on themselves`);
      return { kind: 'integer', bits: 32, signed: false, enum: info };
    }
    entry.state = 'pending';
    const values: { name: string; value: bigint }[] = [];
    let next = 0n;
    this.within(entry, () => {
      for (const value of definition.values) {
        const evaluated = value.value === undefined ? next : this.constant(value.value, (name) => values.find((one) => one.name === name)?.value);
        const known = evaluated ?? next;
        values.push({ name: value.name, value: known });
        next = known + 1n;
      }
    });
    const representation = enumRepresentation(values.map((one) => one.value));
    const type: Type = { kind: 'integer', bits: representation.bits, signed: representation.signed, enum: { name: definition.name, values } };
    entry.type = type;
    entry.state = 'done';
    // Enumerators as values are 64-bit, as in bpftrace (`sizeof(FOO)` is 8), and keep the enum's names.
    for (const one of values) if (this.enumeratorOwners.get(one.name) === entry) this.enumerators.set(one.name, { type: { ...type, bits: 64 }, value: one.value });
    return type;
  }

  /** A script enumerator (evaluating its enum if needed), then a kernel one. */
  enumerator(name: string): Enumerator | undefined {
    const owner = this.enumeratorOwners.get(name);
    if (owner) {
      this.enumType(owner);
      return this.enumerators.get(name);
    }
    return this.kernel?.enumerator(name);
  }

  /** The value of a constant expression in a definition, after macro expansion; undefined once reported. */
  private constant(expression: Expression, local?: (name: string) => bigint | undefined): bigint | undefined {
    const expanded = this.expander.expandWithin(expression);
    if ('error' in expanded) {
      this.diagnostics.error(expression.span, expanded.error);
      return undefined;
    }
    const value = evaluateConstant(expanded.expression, {
      identifier: (name) => local?.(name) ?? this.enumerator(name)?.value,
      sizeOf: (type) => this.measure(type)?.size ?? 'its size is unknown',
    });
    if (typeof value === 'string') {
      this.diagnostics.error(expression.span, `${value}: a constant is needed here`);
      return undefined;
    }
    return value;
  }
}

/** The type under any pointers and arrays: where an inline definition sits. */
function innermost(type: TypeExpression): TypeExpression {
  let inner = type;
  while (inner.kind === 'pointerType' || inner.kind === 'arrayType') inner = inner.kind === 'pointerType' ? inner.target : inner.element;
  return inner;
}

/**
 * C's base types in any word order (`long unsigned int`): plain `char` is signed on x86-64; `float`,
 * `double` and `__int128` keep their size but have no value tsbpf reads (`none`, as bpftrace).
 */
function baseType(name: string): MeasuredType | undefined {
  const words = name.split(' ');
  const count = (word: string) => words.filter((one) => one === word).length;
  const known = ['signed', 'unsigned', 'char', 'short', 'int', 'long', '_Bool', 'float', 'double', 'void', '__int128', '__int128_t', '__uint128_t'];
  if (words.some((word) => !known.includes(word))) return undefined;
  const opaque = (size: number): MeasuredType => ({ type: noneType, size, align: size });
  if (count('void')) return { type: noneType, size: 0, align: 1 };
  if (count('_Bool')) return { type: { kind: 'integer', bits: 8, signed: false }, size: 1, align: 1 };
  if (count('float')) return opaque(4);
  if (count('double')) return opaque(count('long') ? 16 : 8);
  if (count('__int128') || count('__int128_t') || count('__uint128_t')) return opaque(16);
  const signed = count('unsigned') === 0;
  const bits: IntegerBits = count('char') ? 8 : count('short') ? 16 : count('long') ? 64 : 32;
  return { type: { kind: 'integer', bits, signed }, size: bits / 8, align: bits / 8 };
}
