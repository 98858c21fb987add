// Random well-typed programs over the whole language: several probes (BEGIN/END, tracepoints with
// args, rawtracepoint, timers), predicates, variables (let, typed, block-scoped), maps with every
// value kind and key shape, aggregations, printf/print/time, delete/clear/zero, if/else, bounded
// while, for over ranges and maps, unroll, break/continue/return/exit. Every program is one the
// checker should accept; the generated-programs test loads each into the kernel's verifier.
import { ExpressionGenerator, type ExpressionScope } from './expression-generator.js';
import {
  boolType, intType, isScalarMap, keyType, mapValueType, MapRegistry, probeCatalog, randomValuePlan, sameShape, stringType,
  type MapPlan, type ProbeSpec, type ValueType,
} from './program-model.js';
import { generateDifferentialProgram } from './differential-generator.js';
import { createRandom, type Random } from './random.js';

interface Variable {
  readonly type: ValueType;
  /** A `let $s: string[N]` keeps its size: only what fits may be assigned again. */
  readonly reassignable: boolean;
}

interface VariableScope {
  readonly variables: Map<string, Variable>;
  readonly parent?: VariableScope;
}

interface Place {
  readonly probe: ProbeSpec;
  readonly loopDepth: number;
  /** Blocks around this statement. */
  readonly depth: number;
  /** Iterations of the enclosing loops multiplied: keeps the verifier's work bounded. */
  readonly iterations: number;
}

const variableNames = ['x', 'y', 'n', 's', 't', 'v', 'acc', 'name', 'key', 'tmp', 'count', 'k'];
const integerFormats = ['%d', '%u', '%x', '%lld', '%llu', '%5d', '%-4d', '%08x', '%X', '%o', '%i', '%+d', '%hhu', '%lu'];
const stringFormats = ['%s', '%-8s', '%10s', '%.3s'];
const compoundOperators = ['+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='];
/**
 * Loops nested inside each other iterate at most this often in all. Loops with branching bodies run
 * as bpf_loop callbacks, whose verification does not grow with the count; straight-line bodies are
 * walked by the verifier iteration by iteration.
 */
const maxIterations = 256;

/**
 * A random program from `seed`. The default dialect is the whole language; `bpftrace-0.17` is the
 * subset bpftrace 0.17 understands with deterministic output, for the differential fuzzer
 * (differential-generator.ts, test/fuzz/differential.ts).
 */
export function generateProgram(seed: number, options: { readonly dialect?: 'tsbpf' | 'bpftrace-0.17' } = {}): string {
  if (options.dialect === 'bpftrace-0.17') return generateDifferentialProgram(seed).source;
  return new ProgramGenerator(createRandom(seed)).program();
}

class ProgramGenerator {
  private readonly maps: MapRegistry;
  private readonly expressions: ExpressionGenerator;
  private scope: VariableScope = { variables: new Map() };
  private statementBudget: number;
  private loopCounter = 0;

  constructor(private readonly random: Random) {
    this.maps = new MapRegistry(random);
    this.expressions = new ExpressionGenerator(random, this.maps);
    this.statementBudget = random.integer(3, 40);
  }

  program(): string {
    const random = this.random;
    const parts: string[] = [];
    // Not below 64: `probe` and the longest literals would not fit in a `let $s: string`.
    if (random.chance(0.1)) parts.push(`config = { max_strlen = ${random.pick([64, 100, 200])} }`);
    const probeCount = random.integer(1, 4);
    for (let index = 0; index < probeCount; index++) parts.push(this.probeBlock(random.pick(probeCatalog)));
    const initialisation = this.initialiseUnwrittenMaps();
    if (initialisation) parts.splice(parts.length - probeCount, 0, initialisation);
    return `${parts.join('\n')}\n`;
  }

  private probeBlock(probe: ProbeSpec): string {
    const place: Place = { probe, loopDepth: 0, depth: 1, iterations: 1 };
    this.scope = { variables: new Map() };
    // A space after the opening `/`: a condition starting with `*` (a dereference) would open a comment.
    const predicate = this.random.chance(0.3) ? ` / ${this.condition(place)} /` : '';
    return `${probe.header}${predicate}\n${this.block(place, this.random.integer(1, 6))}`;
  }

  /** `{ … }` with its own scope; `count` statements (fewer when the budget runs out). */
  private block(place: Place, count: number): string {
    this.scope = { variables: new Map(), parent: this.scope };
    const body = this.statements(place, count);
    this.scope = this.scope.parent!;
    return this.wrap(body, place.depth - 1);
  }

  private statements(place: Place, count: number): string[] {
    const lines: string[] = [];
    for (let index = 0; index < count && this.statementBudget > 0; index++) {
      this.statementBudget--;
      lines.push(this.statement(place));
    }
    return lines;
  }

  private wrap(lines: readonly string[], indent: number): string {
    const pad = '  '.repeat(indent);
    if (lines.length === 0) return `${pad}{ }`.trimStart();
    return `{\n${lines.map((line) => `${pad}  ${line}`).join('\n')}\n${pad}}`;
  }

  private statement(place: Place): string {
    const random = this.random;
    const nested = place.depth < 4;
    const loops = nested && place.iterations * 2 <= maxIterations;
    return random.weighted<() => string>([
      [5, () => this.newVariable(place)],
      [4, () => this.reassignment(place)],
      [8, () => this.mapWrite(place)],
      [4, () => this.printf(place)],
      [1, () => this.printExotic(place)],
      [2, () => this.print(place)],
      [2, () => this.mapMaintenance(place)],
      [nested ? 3 : 0, () => this.ifStatement(place)],
      [loops ? 1 : 0, () => this.whileLoop(place)],
      [loops ? 1 : 0, () => this.forRange(place)],
      [loops ? 1 : 0, () => this.forMap(place)],
      [loops ? 1 : 0, () => `unroll(${random.integer(1, 4)}) ${this.block(this.inner(place, { iterations: place.iterations * 4 }), random.integer(1, 3))}`],
      [nested ? 1 : 0, () => this.block(this.inner(place, {}), random.integer(1, 3))],
      [place.loopDepth > 0 ? 2 : 0, () => this.loopJump(place)],
      [0.3, () => `exit(${random.chance(0.3) ? this.expressions.integer(this.expressionScope(place), 1) : ''});`],
      [0.3, () => 'return;'],
      [0.5, () => random.pick(['time();', 'time("%H:%M:%S\\n");', 'cat("/proc/self/stat");'])],
    ])();
  }

  private inner(place: Place, changes: Partial<Place>): Place {
    return { ...place, depth: place.depth + 1, ...changes };
  }

  private expressionScope(place: Place): ExpressionScope {
    return {
      probe: place.probe,
      variablesOf: (type) => this.visible((variable) => sameShape(variable.type, type)),
    };
  }

  /** Names visible here whose variable satisfies `accept` (an inner name hides an outer one). */
  private visible(accept: (variable: Variable) => boolean): string[] {
    const names = new Set<string>();
    const hidden = new Set<string>();
    for (let scope: VariableScope | undefined = this.scope; scope; scope = scope.parent) {
      for (const [name, variable] of scope.variables) {
        if (names.has(name) || hidden.has(name)) continue;
        if (accept(variable)) names.add(name);
        else hidden.add(name);
      }
    }
    return [...names];
  }

  private isDeclared(name: string): boolean {
    for (let scope: VariableScope | undefined = this.scope; scope; scope = scope.parent) if (scope.variables.has(name)) return true;
    return false;
  }

  private freshName(): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = this.random.pick(variableNames);
      if (!this.isDeclared(name)) return name;
    }
    return `v${this.loopCounter++}`;
  }

  private randomType(): ValueType {
    return this.random.weighted<ValueType>([
      [5, intType], [3, stringType], [1, boolType],
      [1, { kind: 'tuple', elements: this.random.pick([['int', 'string'], ['string', 'int', 'int'], ['int', 'int']] as const) }],
    ]);
  }

  private condition(place: Place): string {
    const scope = this.expressionScope(place);
    return this.random.chance(0.7) ? this.expressions.boolean(scope, 2) : this.expressions.integer(scope, 2);
  }

  private newVariable(place: Place): string {
    const random = this.random;
    const name = this.freshName();
    const scope = this.expressionScope(place);
    const type = this.randomType();
    let text: string;
    let reassignable = true;
    if (random.chance(0.25)) {
      if (type.kind === 'string' && random.chance(0.3)) {
        text = `let $${name}: string = ${this.expressions.string(scope, 2)};`;
      } else if (type.kind === 'int' && random.chance(0.5)) {
        text = `let $${name}: ${random.pick(['uint32', 'int64', 'uint8', 'int16', 'uint64'])} = ${this.expressions.integer(scope, 2)};`;
      } else if (type.kind === 'string' && random.chance(0.5)) {
        const literal = this.expressions.stringLiteral();
        text = `let $${name}: string[${literal.length + random.integer(0, 10)}] = ${literal};`;
        reassignable = false;
      } else if (type.kind === 'int' && random.chance(0.3)) {
        text = `let $${name};`;
      } else {
        text = `let $${name} = ${this.expressions.of(type, scope, 2)};`;
      }
    } else {
      text = `$${name} = ${this.expressions.of(type, scope, 2)};`;
    }
    this.scope.variables.set(name, { type, reassignable });
    return text;
  }

  private reassignment(place: Place): string {
    const names = this.visible((variable) => variable.reassignable);
    if (names.length === 0) return this.newVariable(place);
    const name = this.random.pick(names);
    const type = this.lookup(name)!.type;
    const scope = this.expressionScope(place);
    if (type.kind === 'int' && this.random.chance(0.5)) {
      const operator = this.random.pick(compoundOperators);
      const amount = this.expressions.integer(scope, 1);
      return this.random.weighted<() => string>([
        [3, () => `$${name} ${operator} ${amount};`],
        [1, () => `$${name}${this.random.pick(['++', '--'])};`],
        [1, () => `${this.random.pick(['++', '--'])}$${name};`],
      ])();
    }
    return `$${name} = ${this.expressions.of(type, scope, 2)};`;
  }

  private lookup(name: string): Variable | undefined {
    for (let scope: VariableScope | undefined = this.scope; scope; scope = scope.parent) {
      const found = scope.variables.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private mapWrite(place: Place): string {
    const random = this.random;
    const scope = this.expressionScope(place);
    const plan = this.maps.choose(() => true, () => randomValuePlan(random));
    this.maps.written.add(plan.name);
    const target = `@${plan.name}${this.expressions.key(plan, scope, 1)}`;
    const value = () => this.expressions.integer(scope, 1);
    switch (plan.value.kind) {
      case 'int':
        return random.weighted<() => string>([
          [3, () => `${target} = ${random.chance(0.2) ? this.expressions.boolean(scope, 1) : value()};`],
          [2, () => `${target} ${random.pick(compoundOperators)} ${value()};`],
          [2, () => `${target}${random.pick(['++', '--'])};`],
          [1, () => `${random.pick(['++', '--'])}${target};`],
        ])();
      case 'string': return `${target} = ${this.expressions.string(scope, 1)};`;
      case 'tuple': return `${target} = ${this.expressions.tupleLiteral(plan.value.elements, scope, 1)};`;
      case 'count': return `${target} = count();`;
      case 'hist': return `${target} = hist(${value()}${plan.value.bits > 0 || random.chance(0.3) ? `, ${plan.value.bits}` : ''});`;
      case 'lhist': return `${target} = lhist(${value()}, ${plan.value.min}, ${plan.value.max}, ${plan.value.step});`;
      default: return `${target} = ${plan.value.kind}(${value()});`;
    }
  }

  private printf(place: Place): string {
    const random = this.random;
    const scope = this.expressionScope(place);
    const pieces: string[] = [];
    const args: string[] = [];
    for (let index = random.integer(0, 4); index > 0; index--) {
      const type = this.randomType();
      args.push(this.expressions.of(type, scope, 1));
      pieces.push(type.kind === 'int' || type.kind === 'bool' ? random.pick(integerFormats) : random.pick(stringFormats));
    }
    const text = pieces.map((piece) => `${random.pick(['', ' ', 'v=', '[', '\\t', '%% '])}${piece}`).join(random.pick([' ', ', ', '|']));
    return `printf("${text}${random.chance(0.8) ? '\\n' : ''}"${args.map((arg) => `, ${arg}`).join('')});`;
  }

  /** printf of the values that print specially: symbols, stacks, addresses, times, buffers. */
  private printExotic(place: Place): string {
    const scope = this.expressionScope(place);
    const integer = () => this.expressions.integer(scope, 1);
    const stacks = 1;
    return this.random.weighted<() => string>([
      [1, () => `printf("%s\\n", ksym(${integer()}));`],
      [1, () => `printf("%s\\n", usym(${integer()}));`],
      [stacks, () => `printf("%s\\n", ${this.random.pick(['kstack', 'ustack', 'kstack(3)', 'ustack(perf, 5)', 'kstack(raw)'])});`],
      [1, () => `printf("%s\\n", ntop(${integer()}));`],
      [1, () => `printf("%s\\n", strftime("%H:%M:%S.%f", ${integer()}));`],
      [1, () => `printf("%r %rx\\n", buf(${integer()}, 8), buf(${integer()}, 4));`],
      [1, () => `printf("%x\\n", kaddr("vfs_read"));`],
      [stacks, () => `@stacks[kstack] = count();`],
      [stacks, () => `@ustacks[ustack(3), comm] = count();`],
    ])();
  }

  private print(place: Place): string {
    const random = this.random;
    if (random.chance(0.4)) return `print(${this.expressions.of(this.randomType(), this.expressionScope(place), 1)});`;
    const plan = this.maps.choose(() => true, () => randomValuePlan(random));
    return random.weighted<() => string>([
      [3, () => `print(@${plan.name});`],
      [1, () => `print(@${plan.name}, ${random.integer(0, 5)});`],
      [1, () => `print(@${plan.name}, ${random.integer(0, 5)}, ${random.integer(1, 1000)});`],
    ])();
  }

  private mapMaintenance(place: Place): string {
    const random = this.random;
    const scope = this.expressionScope(place);
    const plan = this.maps.choose(() => true, () => randomValuePlan(random));
    if (plan.key !== 'none' && random.chance(0.5)) {
      if (random.chance(0.3) && plan.key !== 'int' && plan.key !== 'string') {
        const shape = keyType(plan);
        const parts = shape.kind === 'tuple' ? shape.elements.map((element) => this.expressions.of(element === 'int' ? intType : stringType, scope, 0)) : [];
        return `delete(@${plan.name}, (${parts.join(', ')}));`;
      }
      return `delete(@${plan.name}${this.expressions.key(plan, scope, 1)});`;
    }
    return `${random.pick(['clear', 'zero'])}(@${plan.name});`;
  }

  private ifStatement(place: Place): string {
    const inner = this.inner(place, {});
    let text = `if (${this.condition(place)}) ${this.block(inner, this.random.integer(1, 3))}`;
    if (this.random.chance(0.3)) text += ` else if (${this.condition(place)}) ${this.block(inner, this.random.integer(1, 2))}`;
    if (this.random.chance(0.4)) text += ` else ${this.block(inner, this.random.integer(1, 2))}`;
    return text;
  }

  private loopBound(place: Place): number {
    return this.random.integer(0, Math.max(1, Math.floor(maxIterations / place.iterations)));
  }

  /** `$wN = 0; while ($wN < K) { $wN++; … }`: the counter moves first, so `continue` cannot spin. */
  private whileLoop(place: Place): string {
    const bound = this.loopBound(place);
    const counter = `w${this.loopCounter++}`;
    this.scope.variables.set(counter, { type: intType, reassignable: false });
    const inner = this.inner(place, { loopDepth: place.loopDepth + 1, iterations: place.iterations * Math.max(1, bound) });
    this.scope = { variables: new Map(), parent: this.scope };
    const body = [`$${counter}++;`, ...this.statements(inner, this.random.integer(1, 4))];
    this.scope = this.scope.parent!;
    return `$${counter} = 0; while ($${counter} < ${bound}) ${this.wrap(body, place.depth)}`;
  }

  private forRange(place: Place): string {
    const start = this.random.integer(-3, 5);
    const bound = this.loopBound(place);
    const variable = `r${this.loopCounter++}`;
    const inner = this.inner(place, { loopDepth: place.loopDepth + 1, iterations: place.iterations * Math.max(1, bound) });
    this.scope = { variables: new Map([[variable, { type: intType, reassignable: false }]]), parent: this.scope };
    const body = this.block(inner, this.random.integer(1, 4));
    this.scope = this.scope.parent!;
    return `for ($${variable} : ${start}..${start + bound}) ${body}`;
  }

  private forMap(place: Place): string {
    const plan = this.maps.choose(isScalarMap, () => this.random.pick([{ kind: 'int' }, { kind: 'string' }, { kind: 'tuple', elements: ['int', 'string'] }] as const));
    const variable = `kv${this.loopCounter++}`;
    const element: ValueType = { kind: 'tuple', elements: [] };
    // $kv is read through $kv.0 / $kv.1 (and $kv.0.N for multi-part keys), not as a whole.
    this.scope = { variables: new Map([[variable, { type: element, reassignable: false }]]), parent: this.scope };
    this.scope.variables.set(`${variable}.1`, { type: mapValueType(plan), reassignable: false });
    const key = plan.key === 'none' ? intType : keyType(plan);
    if (key.kind === 'tuple') key.elements.forEach((part, index) => this.scope.variables.set(`${variable}.0.${index}`, { type: part === 'int' ? intType : stringType, reassignable: false }));
    else this.scope.variables.set(`${variable}.0`, { type: key, reassignable: false });
    const inner = this.inner(place, { loopDepth: 1, iterations: place.iterations * 8 });
    const body = this.block(inner, this.random.integer(1, 4));
    this.scope = this.scope.parent!;
    return `for ($${variable} : @${plan.name}) ${body}`;
  }

  private loopJump(place: Place): string {
    const jump = this.random.pick(['break;', 'continue;']);
    return this.random.chance(0.7) ? `if (${this.condition(place)}) { ${jump} }` : jump;
  }

  /** A BEGIN probe writing each map that is read, printed or cleared but never written. */
  private initialiseUnwrittenMaps(): string | undefined {
    // Scalar maps get a first write of their type here even when written elsewhere: a map written
    // only from its own reads (`$c = @m[1]; @m[2] = $c;`) would have no type to start from.
    const unwritten = this.maps.plans.filter((plan) => !this.maps.written.has(plan.name) || isScalarMap(plan));
    if (unwritten.length === 0) return undefined;
    this.scope = { variables: new Map() };
    const place: Place = { probe: probeCatalog[0]!, loopDepth: 0, depth: 1, iterations: 1 };
    const lines = unwritten.map((plan) => this.initialWrite(plan, place));
    return `BEGIN\n${this.wrap(lines, 0)}`;
  }

  private initialWrite(plan: MapPlan, place: Place): string {
    const target = `@${plan.name}${this.expressions.key(plan, this.expressionScope(place), 0)}`;
    const text = '""';
    switch (plan.value.kind) {
      case 'int': return `${target} = 0;`;
      case 'string': return `${target} = ${text};`;
      case 'tuple': return `${target} = (${plan.value.elements.map((element) => (element === 'int' ? '0' : text)).join(', ')});`;
      case 'count': return `${target} = count();`;
      case 'hist': return `${target} = hist(0, ${plan.value.bits});`;
      case 'lhist': return `${target} = lhist(0, ${plan.value.min}, ${plan.value.max}, ${plan.value.step});`;
      default: return `${target} = ${plan.value.kind}(0);`;
    }
  }
}

export { isScalarMap, mapValueType, sameShape };
