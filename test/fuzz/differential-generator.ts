// The bpftrace-0.17 mode of the program generator (generateProgram(seed, { dialect: 'bpftrace-0.17' })):
// programs in the subset of the language both tsbpf and bpftrace 0.17 understand, whose printed
// output is deterministic, so that the two tools' stdout can be compared byte for byte
// (test/fuzz/differential.ts). It writes:
//   - one BEGIN block ending in exit() ("begin" programs), or tracepoint blocks on the trigger
//     program's own syscalls (test/fixtures/c/differential-trigger.c), filtered by its comm, with an
//     optional BEGIN (no exit) before them; an optional END after either;
//   - integer and string scratch variables, assigned only at a block's top level (0.17's variables
//     are probe-wide, today's are block-scoped: a name used outside its block means different things);
//   - maps with int, string and tuple keys holding ints, strings, count/sum/min/max/avg/stats/hist/
//     lhist; map reads; delete, clear, zero; print of maps (with top and divisor) and of values;
//   - printf with integer and string conversions; if/else, ternaries, while and unroll loops;
//   - arithmetic with literal divisors and shift amounts (no division by zero, no oversized shift),
//     comparisons, casts, strncmp, string equality.
// What it leaves out, and why, is in docs/bpftrace-differences.md.
import { createRandom, type Random } from './random.js';

/** The trigger's names (its comm), one per tool and per fuzzing process, so concurrent runs never see each other's. */
export const triggerComm = { bpftrace: `tsbpf${process.pid}b`.slice(-15), tsbpf: `tsbpf${process.pid}t`.slice(-15) } as const;
/** Stands for the trigger's comm in generated text; each tool's run substitutes its own copy's name. */
export const triggerPlaceholder = '@@TRIGGER@@';

export interface DifferentialProgram {
  readonly source: string;
  /** Tracepoint programs run the trigger with -c and end when it exits; begin programs end by exit(). */
  readonly kind: 'begin' | 'tracepoint';
  /** Keyless count maps (`@m = count()`): their `@m: 0` lines are not compared (row "keyless count without an entry"). */
  readonly keylessCounts: readonly string[];
}

type Kind = 'int' | 'string';
type MapValue = 'int' | 'string' | 'count' | 'sum' | 'min' | 'max' | 'avg' | 'stats' | 'hist' | 'lhist';
type MapKey = 'none' | 'int' | 'string' | 'int,string';

interface MapPlan {
  readonly name: string;
  readonly key: MapKey;
  readonly value: MapValue;
  readonly lhist: readonly [number, number, number];
}

interface TracepointSpec {
  readonly header: string;
  readonly intFields: readonly string[];
  readonly stringFields: readonly string[];
}

/** The trigger's syscalls, with arguments fixed by the trigger (test/fixtures/c/differential-trigger.c). */
const tracepoints: readonly TracepointSpec[] = [
  { header: 'tracepoint:syscalls:sys_enter_getppid', intFields: [], stringFields: [] },
  // Unsigned fields (close's fd, openat's mode) are left out: mixing signs is undefined in 0.17 (below).
  { header: 'tracepoint:syscalls:sys_enter_close', intFields: [], stringFields: [] },
  { header: 'tracepoint:syscalls:sys_exit_close', intFields: ['ret'], stringFields: [] },
  // dfd and flags are `int` in the format file (but `signed:0`): both tools read them signed.
  { header: 'tracepoint:syscalls:sys_enter_openat', intFields: ['dfd', 'flags'], stringFields: ['str(args->filename)'] },
];

const words = ['a', 'hello', 'tsbpf', '', 'x y', 'ab', 'abc', 'zz top'];
const intFormats = ['%d', '%u', '%x', '%5d', '%-4d', '%08x', '%X', '%ld', '%lu', '%llx', '%lld', '%o'];
const stringFormats = ['%s', '%-6s', '%8s'];
const arithmetic = ['+', '-', '*', '&', '|', '^'];
const comparisons = ['==', '!=', '<', '<=', '>', '>='];
const edgeIntegers = ['0', '1', '-1', '255', '256', '65535', '4294967295', '4294967296', '0x7fffffffffffffff', '-9223372036854775807', '0x10', '1000000007'];
// Signed types only: bpftrace 0.17 calls arithmetic and comparisons that mix signs undefined (it
// warns "can lead to undefined behavior") and today's bpftrace types them differently.
const casts = ['int8', 'int16', 'int32', 'int64'];
const compound = ['+=', '-=', '*=', '&=', '|=', '^='];

export function generateDifferentialProgram(seed: number): DifferentialProgram {
  return new DifferentialGenerator(createRandom(seed)).program();
}

class DifferentialGenerator {
  private readonly maps: MapPlan[] = [];
  private readonly written = new Set<string>();
  private variables = new Map<string, Kind>();
  private tracepoint: TracepointSpec | undefined;
  /**
   * print(@m), clear() and zero() are done by user space when it reads the record (in both tools), so
   * they only give one answer where no probe can run meanwhile: in a begin program, and in END.
   */
  private asyncMapOperations = true;
  private budget: number;
  private mapCounter = 0;
  private loopCounter = 0;

  constructor(private readonly random: Random) {
    this.budget = random.integer(3, 25);
  }

  program(): DifferentialProgram {
    const random = this.random;
    const kind = random.chance(0.6) ? 'begin' : 'tracepoint';
    const blocks: string[] = [];
    this.asyncMapOperations = kind === 'begin';
    if (kind === 'begin') {
      blocks.push(`BEGIN\n${this.probeBody(random.integer(2, 8), ['exit();'])}`);
    } else {
      if (random.chance(0.4)) blocks.push(`BEGIN\n${this.probeBody(random.integer(1, 4), [])}`);
      const chosen = [...tracepoints].sort(() => random.next() - 0.5).slice(0, random.integer(1, 3));
      for (const spec of chosen) {
        this.tracepoint = spec;
        this.variables = new Map();
        const extra = random.chance(0.3) ? ` && ${this.operand(this.boolean(1))}` : '';
        blocks.push(`${spec.header} /comm == "${triggerPlaceholder}"${extra}/\n${this.probeBody(random.integer(1, 5), [])}`);
      }
      this.tracepoint = undefined;
    }
    this.asyncMapOperations = true;
    if (random.chance(0.3)) blocks.push(`END\n${this.probeBody(random.integer(1, 3), [])}`);
    const keylessCounts = this.maps.filter((plan) => plan.key === 'none' && plan.value === 'count').map((plan) => `@${plan.name}`);
    return { source: `${blocks.join('\n')}\n`, kind, keylessCounts };
  }

  private probeBody(count: number, tail: readonly string[]): string {
    this.variables = new Map();
    const lines: string[] = [];
    for (let index = 0; index < count && this.budget > 0; index++) {
      this.budget--;
      lines.push(this.statement(1));
    }
    lines.push(...tail);
    return this.wrap(lines, 0);
  }

  private wrap(lines: readonly string[], indent: number): string {
    const pad = '  '.repeat(indent);
    if (lines.length === 0) return '{ }';
    return `{\n${lines.map((line) => `${pad}  ${line}`).join('\n')}\n${pad}}`;
  }

  private block(depth: number, count: number): string {
    const lines: string[] = [];
    for (let index = 0; index < count; index++) lines.push(this.statement(depth + 1));
    return this.wrap(lines, depth);
  }

  private statement(depth: number): string {
    const random = this.random;
    const nested = depth < 3;
    return random.weighted<() => string>([
      [depth === 1 ? 5 : 0, () => this.assignVariable()],
      [this.variables.size > 0 ? 3 : 0, () => this.updateVariable()],
      [8, () => this.mapWrite()],
      [5, () => this.printf()],
      [2, () => this.print()],
      [1, () => this.maintenance()],
      [nested ? 3 : 0, () => this.ifStatement(depth)],
      [nested ? 1 : 0, () => `unroll(${random.integer(1, 4)}) ${this.block(depth, random.integer(1, 2))}`],
      [nested && depth === 1 ? 1 : 0, () => this.whileLoop(depth)],
    ])();
  }

  private assignVariable(): string {
    const existing = [...this.variables.keys()];
    const reuse = existing.length > 0 && this.random.chance(0.2);
    const name = reuse ? this.random.pick(existing) : `v${this.variables.size}`;
    const kind: Kind = reuse ? this.variables.get(name)! : this.random.chance(0.7) ? 'int' : 'string';
    // No string ternaries in variables (they become map keys; 0.17 once keyed a map by "" for one).
    const value = kind === 'int' ? this.integer(2) : this.string(0);
    this.variables.set(name, kind);
    return `$${name} = ${value};`;
  }

  private updateVariable(): string {
    // Not a while loop's counter: `$w0--` in its body would never end the loop.
    const ints = [...this.variables].filter(([name, kind]) => kind === 'int' && !name.startsWith('w')).map(([name]) => name);
    if (ints.length === 0) return this.mapWrite(); // not a new variable here: it may be in a nested block
    const name = this.random.pick(ints);
    return this.random.weighted<() => string>([
      [3, () => `$${name} ${this.random.pick(compound)} ${this.integer(1)};`],
      [1, () => `$${name}++;`],
      [1, () => `$${name}--;`],
    ])();
  }

  private newMap(value: MapValue): MapPlan {
    const random = this.random;
    const prefix = value === 'avg' || value === 'stats' ? value : 'm';
    const min = random.pick([0, 0, 10]);
    const step = random.pick([1, 2, 5, 10]);
    const plan: MapPlan = {
      name: `${prefix}${this.mapCounter++}`,
      key: random.pick<MapKey>(['none', 'int', 'int', 'string', 'int,string']),
      value,
      lhist: [min, min + step * random.integer(1, 12), step],
    };
    this.maps.push(plan);
    return plan;
  }

  private chooseMap(accept: (plan: MapPlan) => boolean, value: () => MapValue): MapPlan {
    const existing = this.maps.filter(accept);
    if (existing.length > 0 && (this.random.chance(0.7) || this.maps.length >= 8)) return this.random.pick(existing);
    return this.newMap(value());
  }

  private key(plan: MapPlan): string {
    switch (plan.key) {
      case 'none': return '';
      // Negative int keys of a map printed in key order (string values) print in a different order
      // (reported as an unexplained difference; see docs/bpftrace-differences.md): kept non-negative.
      case 'int': return plan.value === 'string' ? `[${this.operand(this.integer(1))} & 65535]` : `[${this.integer(1)}]`;
      case 'string': return `[${this.string(0, false)}]`;
      case 'int,string': return plan.value === 'string' ? `[${this.operand(this.integer(0))} & 65535, ${this.string(0, false)}]` : `[${this.integer(0)}, ${this.string(0, false)}]`;
    }
  }

  private mapWrite(): string {
    const random = this.random;
    const plan = this.chooseMap(() => true, () => random.weighted<MapValue>([
      [4, 'int'], [2, 'string'], [3, 'count'], [1, 'sum'], [1, 'min'], [1, 'max'], [1, 'avg'], [1, 'stats'], [1, 'hist'], [1, 'lhist'],
    ]));
    const first = !this.written.has(plan.name);
    const text = this.mapWriteText(plan, first);
    // Written only now: a map's first write does not read the map itself. (`@m[1] = @m[2]` as the
    // first use of a map written with a string later is a difference, see the report of issue 21.)
    this.written.add(plan.name);
    return text;
  }

  private mapWriteText(plan: MapPlan, first: boolean): string {
    const random = this.random;
    const target = `@${plan.name}${this.key(plan)}`;
    const value = () => this.integer(1);
    switch (plan.value) {
      case 'int':
        // The first write is a plain one: 0.17 types a map first met in `@m -= x` as unsigned.
        if (first) return `${target} = ${value()};`;
        return random.weighted<() => string>([
          [3, () => `${target} = ${value()};`],
          [2, () => `${target} ${random.pick(compound)} ${value()};`],
          [1, () => `${target}++;`],
        ])();
      // Never "": tsbpf prints a keyed map's empty string without the space after the colon (a tsbpf
      // difference reported in issue 21).
      case 'string': return `${target} = ${this.random.chance(0.8) ? `"${this.random.pick(words.filter((word) => word !== ''))}"` : 'str(args->filename)'.replace(/.*/, (field) => (this.tracepoint?.stringFields.length ? field : '"ab"'))};`;
      case 'count': return `${target} = count();`;
      // 0.17 puts negative values and values from 2^32 on in [2G, 4G): kept in [0, 2^31).
      case 'hist': return `${target} = hist(${this.operand(value())} & 0x7fffffff);`;
      // 0.17's min() and max() of negative values print nothing (an empty line), and its min() of
      // 2^32 - 1 or more prints 0: arguments are kept in [0, 2^31) (docs/bpftrace-differences.md).
      case 'min':
      case 'max': return `${target} = ${plan.value}(${this.operand(value())} & 0x7fffffff);`;
      case 'lhist': return `${target} = lhist(${value()}, ${plan.lhist.join(', ')});`;
      default: return `${target} = ${plan.value}(${value()});`;
    }
  }

  private printf(): string {
    const random = this.random;
    const pieces: string[] = [];
    const args: string[] = [];
    for (let index = random.integer(0, 3); index > 0; index--) {
      if (random.chance(0.7)) {
        pieces.push(random.pick(intFormats));
        args.push(this.integer(2));
      } else {
        pieces.push(random.pick(stringFormats));
        args.push(this.string(1));
      }
    }
    const text = pieces.map((piece) => `${random.pick(['', ' ', 'v=', '[', '%% '])}${piece}`).join(random.pick([' ', ', ', '|']));
    // Never an empty line: blank lines are not compared (docs/bpftrace-differences.md).
    return `printf("${random.pick(['p', 'out ', '> '])}${text}\\n"${args.map((arg) => `, ${arg}`).join('')});`;
  }

  private print(): string {
    const random = this.random;
    // print() of a value: integers only (print("") would be a blank line, which is not compared).
    // (0.17 takes print(@m[k]) for print of a map: a map read is printed as `@m[k] + 0`.)
    // Not of a keyless map: one never set prints an empty line in 0.17, its zero value today.
    const keyed = this.maps.filter((candidate) => candidate.key !== 'none');
    if (keyed.length === 0 || !this.asyncMapOperations || random.chance(0.3)) {
      const value = this.integer(1);
      return `print(${value.startsWith('@') ? `${value} + 0` : value});`;
    }
    const plan = random.pick(keyed);
    return random.weighted<() => string>([
      [3, () => `print(@${plan.name});`],
      // No top: which of the entries with equal values at the cut survive is unspecified (row "order
      // of equal values"). A divisor with top 0 (all entries) on the maps it applies to; 0.17 ignores
      // both for avg and stats maps.
      [plan.value === 'int' || plan.value === 'count' || plan.value === 'sum' ? 1 : 0, () => `print(@${plan.name}, 0, ${random.integer(1, 10)});`],
    ])();
  }

  private maintenance(): string {
    if (this.maps.length === 0) return this.mapWrite();
    const plan = this.random.pick(this.maps);
    // delete() of a hist/lhist entry leaves it in tsbpf (a difference reported in issue 21), and of
    // an avg/stats entry keeps its count in 0.17 (docs/bpftrace-differences.md): not written.
    const deletable = plan.key !== 'none' && !['hist', 'lhist', 'avg', 'stats'].includes(plan.value);
    if (deletable && (!this.asyncMapOperations || this.random.chance(0.5))) return `delete(@${plan.name}${this.key(plan)});`;
    // zero()/clear() would leave a string map holding "" (a line the hist-header row cannot tell apart).
    if (!this.asyncMapOperations || plan.value === 'string') return this.mapWrite();
    return `${this.random.pick(['clear', 'zero'])}(@${plan.name});`;
  }

  private ifStatement(depth: number): string {
    let text = `if (${this.boolean(2)}) ${this.block(depth, this.random.integer(1, 2))}`;
    if (this.random.chance(0.4)) text += ` else ${this.block(depth, this.random.integer(1, 2))}`;
    return text;
  }

  private whileLoop(depth: number): string {
    const counter = `w${this.loopCounter++}`;
    this.variables.set(counter, 'int');
    const bound = this.random.integer(0, 5);
    const body = [`$${counter}++;`];
    for (let index = this.random.integer(1, 2); index > 0; index--) body.push(this.statement(depth + 1));
    return `$${counter} = 0; while ($${counter} < ${bound}) ${this.wrap(body, depth)}`;
  }

  // Expressions.

  integer(depth: number): string {
    const random = this.random;
    if (depth <= 0 || random.chance(0.35)) {
      const variables = [...this.variables].filter(([, kind]) => kind === 'int').map(([name]) => `$${name}`);
      const fields = this.tracepoint?.intFields.map((field) => `args->${field}`) ?? [];
      return random.weighted<() => string>([
        [5, () => String(random.integer(0, 100))],
        [1, () => random.pick(edgeIntegers)],
        [1, () => String(random.integer(-1000, 1_000_000))],
        [variables.length > 0 ? 5 : 0, () => random.pick(variables)],
        [fields.length > 0 ? 3 : 0, () => random.pick(fields)],
      ])();
    }
    const next = depth - 1;
    const intMaps = this.maps.filter((plan) => plan.value === 'int' && this.written.has(plan.name));
    return random.weighted<() => string>([
      [6, () => `${this.operand(this.integer(next))} ${random.pick(arithmetic)} ${this.operand(this.integer(next))}`],
      // 0.17 divides signed operands as unsigned ("signed operands for '/' can lead to undefined
      // behavior"): the dividend is made non-negative, the divisor is a positive literal.
      [2, () => `(${this.operand(this.integer(next))} & 65535) ${random.pick(['/', '%'])} ${random.integer(1, 17)}`],
      [1, () => `${this.operand(this.integer(next))} << ${random.integer(0, 40)}`],
      // 0.17 shifts right logically whatever the sign: the operand is made non-negative.
      [1, () => `(${this.operand(this.integer(next))} & 0x7fffffff) >> ${random.integer(0, 40)}`],
      [2, () => `${random.pick(['-', '~'])}${this.operand(this.integer(next))}`],
      // A narrowing cast is widened again: 0.17 drops a later int64 assignment to a variable first
      // typed by `(int32)…` (docs/bpftrace-differences.md, 0.17 defects).
      [1, () => `(int64)(${random.pick(casts)})${this.operand(this.integer(next))}`],
      [2, () => `${this.operand(this.boolean(next))} ? ${this.operand(this.integer(next))} : ${this.operand(this.integer(next))}`],
      [intMaps.length > 0 ? 2 : 0, () => {
        const plan = random.pick(intMaps);
        return `@${plan.name}${this.key(plan)}`;
      }],
      [1, () => `(${this.operand(this.boolean(next))} ? 1 : 0)`],
    ])();
  }

  boolean(depth: number): string {
    const random = this.random;
    const next = Math.max(0, depth - 1);
    return random.weighted<() => string>([
      [6, () => `${this.operand(this.integer(next))} ${random.pick(comparisons)} ${this.operand(this.integer(next))}`],
      [2, () => `${this.operand(this.string(0))} ${random.pick(['==', '!='])} ${this.operand(this.string(0))}`],
      [depth > 0 ? 2 : 0, () => `${this.operand(this.boolean(next))} ${random.pick(['&&', '||'])} ${this.operand(this.boolean(next))}`],
      [1, () => `!${this.operand(this.integer(next))}`],
      // strncmp() is unsigned in 0.17: compared with 0 only.
      [1, () => `strncmp(${this.string(0)}, ${this.string(0)}, ${random.integer(0, 6)}) ${random.pick(['==', '!='])} 0`],
    ])();
  }

  /**
   * `variables` false for map keys: 0.17 uses a string variable's own storage as the key buffer, so a
   * later write to the map with another key overwrites the variable (docs/bpftrace-differences.md).
   */
  string(depth: number, variables_ = true): string {
    const random = this.random;
    const variables = variables_ ? [...this.variables].filter(([, kind]) => kind === 'string').map(([name]) => `$${name}`) : [];
    const fields = this.tracepoint?.stringFields ?? [];
    const stringMaps = this.maps.filter((plan) => plan.value === 'string' && this.written.has(plan.name));
    return random.weighted<() => string>([
      [4, () => `"${random.pick(words)}"`],
      [variables.length > 0 ? 4 : 0, () => random.pick(variables)],
      [fields.length > 0 ? 2 : 0, () => random.pick(fields)],
      [depth > 0 ? 1 : 0, () => `${this.operand(this.boolean(0))} ? ${this.string(0)} : ${this.string(0)}`],
      [depth > 0 && stringMaps.length > 0 ? 1 : 0, () => {
        const plan = random.pick(stringMaps);
        return `@${plan.name}${this.key(plan)}`;
      }],
    ])();
  }

  private operand(text: string): string {
    return /^([\w$@.>-]+|"[^"]*"|\w+\([^()]*\))$/.test(text) && !/^-/.test(text) ? text : `(${text})`;
  }
}
