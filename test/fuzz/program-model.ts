// What the well-typed program generator knows about the language: the value types it tracks, the
// probes it writes (with the context each offers), and the maps of one program with a fixed key
// shape and value kind each, so that every use agrees with every other, as the checker demands.
import type { Random } from './random.js';

export type ValueType =
  | { readonly kind: 'int' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string' }
  | { readonly kind: 'tuple'; readonly elements: readonly ('int' | 'string')[] };

export const intType: ValueType = { kind: 'int' };
export const boolType: ValueType = { kind: 'bool' };
export const stringType: ValueType = { kind: 'string' };

export function sameShape(a: ValueType, b: ValueType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind !== 'tuple' || b.kind !== 'tuple') return true;
  return a.elements.length === b.elements.length && a.elements.every((element, index) => element === b.elements[index]);
}

/** A tracepoint field the generator may read through `args`. */
export interface FieldSpec {
  readonly name: string;
  /** `pointer`: an address, read as a string with str(). */
  readonly type: 'int' | 'string' | 'pointer';
}

export interface ProbeSpec {
  readonly header: string;
  readonly context: 'special' | 'tracepoint' | 'rawtracepoint' | 'perf';
  readonly fields: readonly FieldSpec[];
}

const openatFields: FieldSpec[] = [
  { name: 'dfd', type: 'int' }, { name: 'filename', type: 'pointer' }, { name: 'flags', type: 'int' }, { name: 'mode', type: 'int' },
];
const switchFields: FieldSpec[] = [
  { name: 'prev_comm', type: 'string' }, { name: 'prev_pid', type: 'int' }, { name: 'prev_prio', type: 'int' }, { name: 'prev_state', type: 'int' },
  { name: 'next_comm', type: 'string' }, { name: 'next_pid', type: 'int' }, { name: 'next_prio', type: 'int' },
];
const writeFields: FieldSpec[] = [{ name: 'fd', type: 'int' }, { name: 'buf', type: 'pointer' }, { name: 'count', type: 'int' }];

export const probeCatalog: readonly ProbeSpec[] = [
  { header: 'BEGIN', context: 'special', fields: [] },
  { header: 'END', context: 'special', fields: [] },
  { header: 'tracepoint:syscalls:sys_enter_openat', context: 'tracepoint', fields: openatFields },
  { header: 't:syscalls:sys_exit_openat', context: 'tracepoint', fields: [{ name: 'ret', type: 'int' }] },
  { header: 'tracepoint:sched:sched_switch', context: 'tracepoint', fields: switchFields },
  { header: 'tracepoint:sched:sched_process_exec', context: 'tracepoint', fields: [{ name: 'filename', type: 'string' }, { name: 'pid', type: 'int' }, { name: 'old_pid', type: 'int' }] },
  { header: 'tracepoint:syscalls:sys_enter_write', context: 'tracepoint', fields: writeFields },
  { header: 'tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_getpid', context: 'tracepoint', fields: [] },
  { header: 'rawtracepoint:sys_enter', context: 'rawtracepoint', fields: [] },
  { header: 'interval:ms:100', context: 'perf', fields: [] },
  { header: 'profile:hz:99', context: 'perf', fields: [] },
  { header: 'software:cpu-clock:1000000', context: 'perf', fields: [] },
];

export type KeyShape = 'none' | 'int' | 'string' | 'int,string' | 'string,int,int';

export type MapValuePlan =
  | { readonly kind: 'int' | 'string' }
  | { readonly kind: 'tuple'; readonly elements: readonly ('int' | 'string')[] }
  | { readonly kind: 'count' | 'sum' | 'avg' | 'min' | 'max' | 'stats' }
  | { readonly kind: 'hist'; readonly bits: number }
  | { readonly kind: 'lhist'; readonly min: number; readonly max: number; readonly step: number };

export interface MapPlan {
  /** As written after `@`: '' is the anonymous map. */
  readonly name: string;
  readonly key: KeyShape;
  readonly value: MapValuePlan;
}

/** Maps that hold plain values: readable in expressions, iterable with for. */
export function isScalarMap(plan: MapPlan): boolean {
  return plan.value.kind === 'int' || plan.value.kind === 'string' || plan.value.kind === 'tuple';
}

/** The type of `$kv.0` / `$kv.1` when iterating over a scalar map, and of `@m[k]` reads. */
export function mapValueType(plan: MapPlan): ValueType {
  switch (plan.value.kind) {
    case 'string': return stringType;
    case 'tuple': return { kind: 'tuple', elements: plan.value.elements };
    default: return intType;
  }
}

export function keyType(plan: MapPlan): ValueType {
  switch (plan.key) {
    case 'none':
    case 'int': return intType;
    case 'string': return stringType;
    case 'int,string': return { kind: 'tuple', elements: ['int', 'string'] };
    case 'string,int,int': return { kind: 'tuple', elements: ['string', 'int', 'int'] };
  }
}

const mapNames = ['', 'count', 'x', 'bytes', 'lat', 'names', 'seen', 'by_pid', 'total', 'h', 'last', 'q'];

/** The maps of one program: created on first use, each keeping one key shape and value kind. */
export class MapRegistry {
  readonly plans: MapPlan[] = [];
  /** Maps with at least one write: a map read but never written is an error. */
  readonly written = new Set<string>();

  constructor(private readonly random: Random) {}

  /** A map satisfying `accept`, usually an existing one, else a new one made by `create`. */
  choose(accept: (plan: MapPlan) => boolean, create: () => MapValuePlan, keyShapes: readonly KeyShape[] = allKeyShapes): MapPlan {
    const existing = this.plans.filter(accept);
    if (existing.length > 0 && (this.random.chance(0.75) || this.plans.length >= mapNames.length)) return this.random.pick(existing);
    const unused = mapNames.filter((name) => !this.plans.some((plan) => plan.name === name));
    if (unused.length === 0) return existing.length > 0 ? this.random.pick(existing) : this.plans[0]!;
    const name = this.random.pick(unused);
    // The anonymous map is keyless or int-keyed, as people write it (`@ = count()`, `@[pid] = …`).
    const key = name === '' ? this.random.pick<KeyShape>(['none', 'int']) : this.random.pick(keyShapes);
    const plan: MapPlan = { name, key, value: create() };
    this.plans.push(plan);
    return plan;
  }
}

const allKeyShapes: readonly KeyShape[] = ['none', 'int', 'int', 'string', 'int,string', 'string,int,int'];

/** A value kind for a new map, drawn over everything a map can hold. */
export function randomValuePlan(random: Random): MapValuePlan {
  return random.weighted<MapValuePlan>([
    [4, { kind: 'int' }],
    [2, { kind: 'string' }],
    [1, { kind: 'tuple', elements: random.pick([['int', 'string'], ['string', 'int', 'int'], ['int', 'int']] as const) }],
    [3, { kind: 'count' }],
    [1, { kind: 'sum' }],
    [1, { kind: 'avg' }],
    [1, { kind: 'min' }],
    [1, { kind: 'max' }],
    [1, { kind: 'stats' }],
    [1, { kind: 'hist', bits: random.integer(0, 5) }],
    [1, lhistPlan(random)],
  ]);
}

function lhistPlan(random: Random): MapValuePlan {
  const min = random.pick([0, 0, 10, 100]);
  const step = random.pick([1, 2, 5, 10, 50]);
  return { kind: 'lhist', min, max: min + step * random.integer(1, 20), step };
}
