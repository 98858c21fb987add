// Typed expressions for the program generator: asked for an int, a bool, a string or a tuple, it
// writes one from literals, builtins, the variables in scope, map reads, probe arguments, operators,
// casts, conditionals, functions and the kernel's own types (kernel-type-expressions.ts), always of a
// type the checker accepts in that place.
import {
  boolType, intType, isScalarMap, keyType, mapValueType, randomValuePlan, sameShape, stringType,
  type MapPlan, type MapRegistry, type ProbeSpec, type ValueType,
} from './program-model.js';
import type { Random } from './random.js';
import { kernelInteger, kernelString } from './kernel-type-expressions.js';

/** What an expression may use where it is written. */
export interface ExpressionScope {
  readonly probe: ProbeSpec;
  /** Names of the variables visible here with exactly this type. */
  variablesOf(type: ValueType): readonly string[];
}

const intBuiltins = ['pid', 'tid', 'uid', 'gid', 'cpu', 'nsecs', 'elapsed', 'rand', 'cgroup', '(uint64)curtask', 'jiffies', 'pid()', 'nsecs()'];
const edgeIntegers = ['0', '1', '-1', '0x7fffffffffffffff', '0xffffffffffffffff', '-9223372036854775807', '255', '256', '65535', '4294967296', '1_000', '0x10', '017', '5ms', '2s'];
const arithmetic = ['+', '-', '*', '/', '%', '&', '|', '^'];
const comparisons = ['==', '!=', '<', '<=', '>', '>='];
const castTypes = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const words = ['a', 'hello', 'tsbpf', '', 'x y', 'tab\\there', 'quote\\"d', 'a longer string that takes up some bytes', 'back\\\\slash', 'ok\\n'];

export class ExpressionGenerator {
  constructor(
    private readonly random: Random,
    private readonly maps: MapRegistry,
  ) {}

  of(type: ValueType, scope: ExpressionScope, depth: number): string {
    switch (type.kind) {
      case 'int': return this.integer(scope, depth);
      case 'bool': return this.boolean(scope, depth);
      case 'string': return this.string(scope, depth);
      case 'tuple': return this.tuple(type.elements, scope, depth);
    }
  }

  integer(scope: ExpressionScope, depth: number): string {
    const random = this.random;
    const leaf = depth <= 0 || random.chance(0.35);
    if (leaf) {
      const fields = this.fieldsOf(scope, 'int');
      const variables = scope.variablesOf(intType);
      return random.weighted<() => string>([
        [4, () => String(random.integer(0, 100))],
        [1, () => random.pick(edgeIntegers)],
        [1, () => String(random.integer(-1000, 1_000_000))],
        [3, () => random.pick(intBuiltins)],
        [variables.length > 0 ? 6 : 0, () => `$${random.pick(variables)}`],
        [fields.length > 0 ? 3 : 0, () => `args.${random.pick(fields)}`],
        // sys_enter has two arguments; reading past them is a compile error (the checker bounds argN by BTF).
        [scope.probe.context === 'rawtracepoint' ? 2 : 0, () => `arg${random.integer(0, 1)}`],
        [2, () => kernelInteger(random, scope.probe)],
      ])();
    }
    const next = depth - 1;
    return random.weighted<() => string>([
      [6, () => {
        const left = this.operand(this.integer(scope, next));
        const operator = random.pick(arithmetic);
        const right = this.operand(this.integer(scope, next));
        // A constant divided by a literal 0 is a compile error (bpftrace's too); a variable one is not.
        return `${left} ${operator} ${(operator === '/' || operator === '%') && /^(\(-)?0+\)?$/.test(right) ? '1' : right}`;
      }],
      [2, () => `${this.operand(this.integer(scope, next))} ${random.pick(['<<', '>>'])} ${random.chance(0.8) ? random.integer(0, 63) : this.operand(this.integer(scope, 0))}`],
      [2, () => `(${this.integer(scope, next)})`],
      [2, () => `${random.pick(['-', '~'])}${this.operand(this.integer(scope, next))}`],
      [2, () => `(${random.pick(castTypes)})${this.operand(this.integer(scope, next))}`],
      [2, () => this.conditional(() => this.integer(scope, next), scope, next)],
      [3, () => this.mapRead(intType, scope, next)],
      [1, () => `strlen(${this.string(scope, next)})`],
      [1, () => `strncmp(${this.string(scope, next)}, ${this.string(scope, next)}, ${random.integer(0, 20)})`],
      // len() counts keys: of a map with keys (a keyless one is an error, as in bpftrace).
      [1, () => {
        const plan = this.maps.choose((candidate) => candidate.key !== 'none', () => randomValuePlan(random), ['int', 'string', 'int,string', 'string,int,int']);
        return plan.key === 'none' ? '0' : `len(@${plan.name})`;
      }],
      [1, () => this.tupleElement(scope, 'int') ?? String(random.integer(0, 9))],
      [1, () => `(${this.tupleLiteral(['int', 'string'], scope, next)}).0`],
      [1, () => `(int64)(${this.boolean(scope, next)})`],
    ])();
  }

  boolean(scope: ExpressionScope, depth: number): string {
    const random = this.random;
    const next = Math.max(0, depth - 1);
    const variables = scope.variablesOf(boolType);
    return random.weighted<() => string>([
      [6, () => `${this.operand(this.integer(scope, next))} ${random.pick(comparisons)} ${this.operand(this.integer(scope, next))}`],
      [2, () => `${this.operand(this.string(scope, next))} ${random.pick(['==', '!='])} ${this.operand(this.string(scope, next))}`],
      [depth > 0 ? 2 : 0, () => `${this.operand(this.boolean(scope, next))} ${random.pick(['&&', '||'])} ${this.operand(this.boolean(scope, next))}`],
      [2, () => `!${this.operand(this.integer(scope, next))}`],
      [1, () => `strcontains(${this.string(scope, next)}, ${this.string(scope, next)})`],
      [1, () => this.hasKey(scope, next)],
      [variables.length > 0 ? 3 : 0, () => `$${random.pick(variables)}`],
      [1, () => `(${this.boolean(scope, next)})`],
      [depth > 1 ? 1 : 0, () => `${this.tupleComparison(scope, next)}`],
    ])();
  }

  string(scope: ExpressionScope, depth: number): string {
    const random = this.random;
    const next = Math.max(0, depth - 1);
    const variables = scope.variablesOf(stringType);
    const fields = this.fieldsOf(scope, 'string');
    const pointers = this.fieldsOf(scope, 'pointer');
    return random.weighted<() => string>([
      [4, () => this.stringLiteral()],
      [2, () => 'comm'],
      [1, () => 'probe'],
      [variables.length > 0 ? 5 : 0, () => `$${random.pick(variables)}`],
      [fields.length > 0 ? 2 : 0, () => `args.${random.pick(fields)}`],
      [pointers.length > 0 ? 2 : 0, () => `str(args.${random.pick(pointers)}${random.chance(0.3) ? `, ${random.integer(1, 40)}` : ''})`],
      [depth > 0 ? 2 : 0, () => this.conditional(() => this.string(scope, next), scope, next)],
      [depth > 0 ? 2 : 0, () => this.mapRead(stringType, scope, next)],
      [depth > 0 ? 1 : 0, () => `(${this.tupleLiteral(['int', 'string'], scope, next)}).1`],
      [1, () => `str(${this.string(scope, next)})`],
      [1, () => this.tupleElement(scope, 'string') ?? this.stringLiteral()],
      [1, () => kernelString(random)],
    ])();
  }

  tuple(elements: readonly ('int' | 'string')[], scope: ExpressionScope, depth: number): string {
    const type: ValueType = { kind: 'tuple', elements };
    const variables = scope.variablesOf(type);
    if (variables.length > 0 && this.random.chance(0.3)) return `$${this.random.pick(variables)}`;
    if (depth > 0 && this.random.chance(0.2)) return this.mapRead(type, scope, depth - 1);
    return this.tupleLiteral(elements, scope, depth);
  }

  tupleLiteral(elements: readonly ('int' | 'string')[], scope: ExpressionScope, depth: number): string {
    const next = Math.max(0, depth - 1);
    return `(${elements.map((element) => (element === 'int' ? this.integer(scope, next) : this.string(scope, next))).join(', ')})`;
  }

  stringLiteral(): string {
    return `"${this.random.pick(words)}"`;
  }

  /** `@m[key]` of a scalar map holding `type`, creating such a map when there is none. */
  mapRead(type: ValueType, scope: ExpressionScope, depth: number): string {
    const plan = this.maps.choose((candidate) => isScalarMap(candidate) && sameShape(mapValueType(candidate), type), () => planHolding(type));
    return `@${plan.name}${this.key(plan, scope, depth)}`;
  }

  /** `[k]`, `[a, b]` (or `[(a, b)]`, the same key), or nothing for a keyless map. */
  key(plan: MapPlan, scope: ExpressionScope, depth: number): string {
    const next = Math.max(0, depth - 1);
    switch (plan.key) {
      case 'none': return '';
      case 'int': return `[${this.integer(scope, next)}]`;
      case 'string': return `[${this.string(scope, next)}]`;
      default: {
        const shape = keyType(plan);
        if (shape.kind !== 'tuple') throw new Error('multi-part keys are tuples');
        const parts = shape.elements.map((element) => (element === 'int' ? this.integer(scope, next) : this.string(scope, next)));
        return this.random.chance(0.15) ? `[(${parts.join(', ')})]` : `[${parts.join(', ')}]`;
      }
    }
  }

  private hasKey(scope: ExpressionScope, depth: number): string {
    const plan = this.maps.choose((candidate) => candidate.key !== 'none', () => randomValuePlan(this.random), ['int', 'string', 'int,string']);
    return `has_key(@${plan.name}${this.key(plan, scope, depth)})`;
  }

  private tupleComparison(scope: ExpressionScope, depth: number): string {
    const elements = this.random.pick([['int', 'string'], ['int', 'int']] as const);
    return `${this.operand(this.tuple(elements, scope, depth))} ${this.random.pick(['==', '!='])} ${this.tupleLiteral(elements, scope, depth)}`;
  }

  /** `$t.N` of a visible tuple variable whose element N has this kind. */
  private tupleElement(scope: ExpressionScope, kind: 'int' | 'string'): string | undefined {
    const shapes: ('int' | 'string')[][] = [['int', 'string'], ['string', 'int', 'int'], ['int', 'int']];
    const options: string[] = [];
    for (const elements of shapes) {
      for (const name of scope.variablesOf({ kind: 'tuple', elements })) {
        elements.forEach((element, index) => {
          if (element === kind) options.push(`$${name}.${index}`);
        });
      }
    }
    return options.length > 0 ? this.random.pick(options) : undefined;
  }

  private fieldsOf(scope: ExpressionScope, type: 'int' | 'string' | 'pointer'): string[] {
    if (scope.probe.context !== 'tracepoint') return [];
    return scope.probe.fields.filter((field) => field.type === type).map((field) => field.name);
  }

  private conditional(branch: () => string, scope: ExpressionScope, depth: number): string {
    return `${this.operand(this.boolean(scope, depth))} ? ${this.operand(branch())} : ${this.operand(branch())}`;
  }

  /** Parentheses around anything but a name, a literal or a call, so operators group as intended. */
  private operand(text: string): string {
    return /^([\w$@.]+|"[^"]*"|\w+\([^()]*\))$/.test(text) ? text : `(${text})`;
  }
}

function planHolding(type: ValueType) {
  switch (type.kind) {
    case 'string': return { kind: 'string' } as const;
    case 'tuple': return { kind: 'tuple', elements: type.elements } as const;
    default: return { kind: 'int' } as const;
  }
}
