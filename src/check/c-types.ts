// C types by name, for one program: bpftrace's own scalars (`uint32`, `string`), C base types
// (`char`, `unsigned long`), then the script's own definitions (struct/union/enum, from the C
// definitions pass), then the kernel's BTF (typedefs such as `pid_t`, `struct task_struct`). Also the
// address space a pointer reads from: the kernel's types are built pointing into the kernel, and a
// type reached through a user-space pointer is the same type with every pointer inside it in user
// space (bpftrace: a field takes the address space of the struct it is read from).
import type { Host } from '../model/host.js';
import type { Expression, TypeExpression } from '../parser/ast.js';
import {
  booleanType, integer, noneType, s16, s32, s64, s8, stringType, u16, u32, u64, u8, type IntegerBits, type Type,
} from '../model/types.js';
import { closestName } from './closest-name.js';
import { kernelTypes, type Enumerator, type KernelTypes } from './kernel-types.js';

/**
 * What the script defines in C (struct/union/enum definitions), laid out by C rules: the C
 * definitions pass (`scriptDefinitions`) fills it once per program; names carry their keyword
 * (`struct foo`). A script definition of a kernel type's name wins over BTF.
 */
export interface ScriptTypeTable {
  readonly records: ReadonlyMap<string, Type>;
  /** `enum foo` → an integer type carrying the enumerators. */
  readonly enums: ReadonlyMap<string, Type>;
  readonly enumerators: ReadonlyMap<string, Enumerator>;
}

export const noScriptTypes: ScriptTypeTable = { records: new Map(), enums: new Map(), enumerators: new Map() };

export type ResolvedType = { readonly type: Type } | { readonly error: string; readonly hint?: string };

/** C base types when the kernel has no BTF: x86-64's sizes, `char` signed. */
const cBaseTypes: Readonly<Record<string, Type>> = {
  'char': s8, 'signed char': s8, 'unsigned char': u8, 'short': s16, 'short int': s16, 'signed short': s16,
  'unsigned short': u16, 'short unsigned int': u16, 'int': s32, 'signed': s32, 'signed int': s32, 'unsigned': u32,
  'unsigned int': u32, 'long': s64, 'long int': s64, 'signed long': s64, 'unsigned long': u64, 'long unsigned int': u64,
  'long long': s64, 'long long int': s64, 'unsigned long long': u64, 'long long unsigned int': u64, '_Bool': booleanType,
  'void': noneType,
};

export class CTypes {
  private kernelCache: KernelTypes | null | undefined;

  constructor(private readonly host: Host, private readonly script: ScriptTypeTable = noScriptTypes) {}

  /** The kernel's types, when it has BTF. */
  kernel(): KernelTypes | undefined {
    if (this.kernelCache === undefined) {
      let btf;
      try {
        btf = this.host.kernelBtf();
      } catch {
        btf = undefined;
      }
      this.kernelCache = btf ? kernelTypes(btf) : null;
    }
    return this.kernelCache ?? undefined;
  }

  /**
   * The type a type expression names. Pointers come out in the 'unknown' address space: the cast or
   * declaration decides theirs (see inSpace).
   */
  resolve(expression: TypeExpression, maxStringLength: number, typeOf?: (operand: Expression) => Type): ResolvedType {
    switch (expression.kind) {
      case 'typeofType':
        if (!isTypeExpression(expression.operand)) {
          return typeOf ? { type: typeOf(expression.operand) } : { error: 'typeof() of an expression is not known here' };
        }
        return this.resolve(expression.operand, maxStringLength, typeOf);
      case 'namedType': {
        const type = this.byName(expression.name, maxStringLength);
        return type ? { type } : { error: `Cannot resolve unknown type "${expression.name}"` };
      }
      case 'recordType': {
        const name = `${expression.keyword} ${expression.name}`;
        const type = this.named(name);
        if (type) return { type };
        if (expression.keyword === 'enum') return { error: `Unknown enum: ${expression.name}` };
        const hint = this.recordHint(expression.keyword, expression.name);
        return { error: `Cannot resolve unknown type "${name}"`, ...(hint ? { hint } : {}) };
      }
      case 'pointerType': {
        const target = this.resolve(expression.target, maxStringLength, typeOf);
        return 'error' in target ? target : { type: { kind: 'pointer', to: target.type, space: 'unknown' } };
      }
      case 'arrayType': {
        if (expression.element.kind === 'namedType' && expression.element.name === 'string') return { type: stringType(expression.length) };
        const element = this.resolve(expression.element, maxStringLength, typeOf);
        if ('error' in element) return element;
        return { type: { kind: 'array', element: element.type, length: expression.length } };
      }
    }
  }

  /** A type named by words: a bpftrace scalar (`uint32`, `string`), else named(). */
  byName(name: string, maxStringLength: number): Type | undefined {
    return this.scalar(name, maxStringLength) ?? this.named(name);
  }

  /** A struct, union, enum or typedef by name: the script's definition first, then the kernel's. */
  named(name: string): Type | undefined {
    const spelled = name.replace(/\s+/g, ' ').trim();
    const script = this.script.records.get(spelled) ?? this.script.enums.get(spelled);
    if (script) return script;
    // The kernel's own base types first: its `char` is unsigned (it builds with -funsigned-char).
    return this.kernel()?.named(spelled) ?? cBaseTypes[spelled];
  }

  /** An enumerator by name (`BPF_MAP_TYPE_RINGBUF`): the script's enums, then the kernel's. */
  enumerator(name: string): Enumerator | undefined {
    return this.script.enumerators.get(name) ?? this.kernel()?.enumerator(name);
  }

  /**
   * A type as a tracepoint format file or a BTF prototype spells it (`struct __kernel_timespec *`,
   * `const char *const *`, `pid_t`): undefined when some part of it is unknown.
   */
  fromCText(text: string): Type | undefined {
    let base = text.replace(/__attribute__\(\(.*?\)\)/g, ' ').replace(/\b(const|volatile|__user|restrict)\b/g, ' ').replace(/\s+/g, ' ').trim();
    let pointers = 0;
    while (base.endsWith('*')) {
      pointers++;
      base = base.slice(0, -1).trim();
    }
    let type = this.named(base);
    if (!type) return undefined;
    for (let level = 0; level < pointers; level++) type = { kind: 'pointer', to: type, space: 'unknown' };
    return type;
  }

  /** `did you mean struct task_struct?`, from the script's records and the kernel's. */
  recordHint(keyword: 'struct' | 'union', name: string): string | undefined {
    const names = [...this.script.records.keys()].filter((one) => one.startsWith(`${keyword} `)).map((one) => one.slice(keyword.length + 1));
    const best = closestName(name, names) ?? this.kernel()?.closestRecord(keyword, name);
    return best ? `did you mean '${keyword} ${best}'?` : undefined;
  }

  private scalar(name: string, maxStringLength: number): Type | undefined {
    const match = /^u?int(8|16|32|64)$/.exec(name);
    if (match) return integer(Number(match[1]) as IntegerBits, !name.startsWith('u'));
    if (name === 'bool') return booleanType;
    if (name === 'string') return stringType(maxStringLength);
    if (name === 'void') return noneType;
    return undefined;
  }
}

/** Whether a `sizeof`/`offsetof`/`typeof` operand is a type (the parser keeps both kinds). */
export function isTypeExpression(operand: TypeExpression | Expression): operand is TypeExpression {
  return operand.kind === 'namedType' || operand.kind === 'recordType' || operand.kind === 'pointerType' || operand.kind === 'arrayType' || operand.kind === 'typeofType';
}
