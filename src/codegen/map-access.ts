// Script maps in a program: building keys, reading values, assignments, compound updates (atomic
// where the operation allows), aggregations, delete and has_key.
import { R0, R10, alu64, atomic, jmp, ja, ldx, mov64, st, stx } from '../bpf/index.js';
import type { AssignmentStatement, Expression, MapExpression, UpdateExpression } from '../parser/ast.js';
import { isScalar, s64, sizeOf, tupleLayout, type Type } from '../model/types.js';
import type { MapInfo } from '../check/checked.js';
import type { Emitter } from './emitter.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { fitsImmediate, sizeName } from './widths.js';
import { aggregate, lookup, remove, update, UpdateFlags } from './map-ops.js';
import { copyToStack, loadConstant, zeroFill } from './memory.js';
import { mapKeyLayout } from './map-layout.js';
import { scaleStep, stepOf } from './memory-read.js';

/** Writes the key of `@m[keys…]` (plus the hist bucket slot, when `bucket` is given) to the stack. */
function buildMapKey(lowering: ExpressionLowering, info: MapInfo, keys: readonly Expression[], bucket?: (offset: number) => void): number {
  const e = lowering.e;
  const layout = mapKeyLayout(info);
  const offset = e.allocate(layout.keySize);
  if (!info.keyType) {
    if (layout.keySize === 4) e.emit(st('w', R10, offset, 0));
    else if (layout.bucketOffset === undefined) e.emit(st('dw', R10, offset, 0));
  } else if (keys.length === 1) {
    if (layout.keySize > sizeOf(info.keyType)) zeroFill(e, offset + sizeOf(info.keyType), layout.keySize - sizeOf(info.keyType));
    lowering.lowerInto(keys[0]!, offset, info.keyType);
  } else {
    const elements = (info.keyType as { elements: readonly Type[] }).elements;
    const tuple = tupleLayout(elements);
    zeroFill(e, offset, layout.keySize);
    keys.forEach((key, index) => lowering.lowerInto(key, offset + tuple.offsets[index]!, elements[index]!));
  }
  if (bucket && layout.bucketOffset !== undefined) bucket(offset + layout.bucketOffset);
  return offset;
}

function mapInfo(lowering: ExpressionLowering, name: string): MapInfo {
  const info = lowering.program.script.checked.maps.get(name);
  if (!info) throw new Error(`internal error: map @${name} unknown`);
  return info;
}

/** `@m[k]` as a value: the stored value, or zero when the key is absent. */
export function readMap(lowering: ExpressionLowering, map: MapExpression, type: Type): Lowered {
  const e = lowering.e;
  const info = mapInfo(lowering, map.name);
  if (info.value.kind !== 'scalar') return readAggregation(lowering, info, map, type);
  const kernelName = lowering.program.script.mapName(map.name);
  const key = buildMapKey(lowering, info, map.keys);
  const pointer = lookup(e, kernelName, key);
  const missing = e.newLabel('mapmiss');
  const done = e.newLabel('mapread');
  if (isScalar(type)) {
    const result = e.pool.acquire();
    const pinned = e.pool.freeze();
    const target = e.pool.writable(result);
    e.emit(mov64(target, 0));
    const base = e.pool.read(pointer, e.pool.scratchRegister([target]));
    e.emit(jmp('eq', base, 0, done));
    e.emit(ldx(sizeName(sizeOf(type)), target, base, 0));
    e.place(done);
    e.pool.thaw(pinned);
    e.pool.release(pointer);
    return { kind: 'register', temp: result, type };
  }
  const size = sizeOf(type);
  const offset = e.allocate(size);
  const pinned = e.pool.freeze();
  const base = e.pool.read(pointer);
  e.emit(jmp('eq', base, 0, missing));
  copyToStack(e, e.pool.read(pointer), 0, offset, size, R0);
  e.emit(ja(done));
  e.place(missing);
  zeroFill(e, offset, size);
  e.place(done);
  e.pool.thaw(pinned);
  e.pool.release(pointer);
  return { kind: 'memory', offset, type };
}

/**
 * A per-CPU aggregation read in a probe: every CPU's slot through bpf_map_lookup_percpu_elem,
 * combined like userspace does (count/sum add, min/max compare the set slots, avg divides).
 */
function readAggregation(lowering: ExpressionLowering, info: MapInfo, map: MapExpression, type: Type): Lowered {
  const key = buildMapKey(lowering, info, map.keys);
  return combinedAggregation(lowering, info.value, lowering.program.script.mapName(map.name), key, type);
}

/**
 * The value of the per-CPU aggregation entry whose key is on the stack at `key`, combined over the
 * CPUs as bpftrace combines it (sum, min, max, average), read with map_lookup_percpu_elem.
 */
export function combinedAggregation(lowering: ExpressionLowering, kind: MapInfo['value'], name: string, key: number, type: Type): Lowered {
  const e = lowering.e;
  const result = e.pool.acquire();
  // avg: the combined count; min/max: whether any CPU had a value yet.
  const counter = kind.kind === 'avg' || kind.kind === 'min' || kind.kind === 'max' ? e.pool.acquire() : undefined;
  const cpu = e.pool.acquire();
  e.emit(mov64(e.pool.writable(result), 0));
  if (counter) e.emit(mov64(e.pool.writable(counter), 0));
  e.emit(mov64(e.pool.writable(cpu), 0));
  const pinned = e.pool.freeze();
  const top = e.newLabel('cpus');
  const next = e.newLabel('nextcpu');
  const done = e.newLabel('cpusdone');
  e.place(top);
  e.emit(jmp('ge', e.pool.read(cpu), lowering.program.script.checked.host.possibleCpuCount(), done));
  const slot = e.callHelper('map_lookup_percpu_elem', [{ kind: 'map', name }, { kind: 'stack', offset: key }, { kind: 'temp', temp: cpu }])!;
  const base = e.pool.read(slot);
  e.emit(jmp('eq', base, 0, next));
  const total = e.pool.read(result);
  const scratch = e.pool.scratchRegister([base, total]);
  switch (kind.kind) {
    case 'count': case 'sum':
      e.emit(ldx('dw', scratch, base, 0));
      e.emit(alu64('add', total, scratch));
      break;
    case 'avg':
      e.emit(ldx('dw', scratch, base, 0));
      e.emit(alu64('add', total, scratch));
      e.emit(ldx('dw', scratch, base, 8));
      e.emit(alu64('add', e.pool.read(counter!), scratch));
      break;
    case 'min': case 'max': {
      // Only CPUs that saw a value count; the first one seeds the result.
      const take = e.newLabel('take');
      e.emit(ldx('dw', scratch, base, 8));
      e.emit(jmp('eq', scratch, 0, next));
      e.emit(ldx('dw', scratch, base, 0));
      e.emit(jmp('eq', e.pool.read(counter!), 0, take));
      const better = kind.kind === 'min' ? (kind.signed ? 'slt' : 'lt') : (kind.signed ? 'sgt' : 'gt');
      e.emit(jmp(better, scratch, total, take));
      e.emit(ja(next));
      e.place(take);
      e.emit(mov64(total, scratch));
      e.emit(mov64(e.pool.read(counter!), 1));
      break;
    }
    default:
      throw new Error(`internal error: reading ${kind.kind}() values`);
  }
  e.place(next);
  e.pool.release(slot);
  e.emit(alu64('add', e.pool.read(cpu), 1));
  e.emit(ja(top));
  e.place(done);
  if (counter && kind.kind === 'avg') {
    const divisor = e.pool.read(counter);
    const skip = e.newLabel('nodiv');
    e.emit(jmp('eq', divisor, 0, skip));
    e.emit(alu64(kind.kind === 'avg' && kind.signed ? 'sdiv' : 'div', e.pool.read(result), divisor));
    e.place(skip);
  }
  e.pool.thaw(pinned);
  e.pool.release(cpu);
  e.pool.release(counter);
  return { kind: 'register', temp: result, type };
}

/** `@m[k] = v`, `@m[k] op= v` and `@m[k] = aggregation(…)`. */
export function assignMap(lowering: ExpressionLowering, statement: AssignmentStatement): void {
  const target = statement.target as MapExpression;
  const info = mapInfo(lowering, target.name);
  const value = statement.value;
  if (info.value.kind !== 'scalar') {
    updateAggregation(lowering, info, target, value as Extract<Expression, { kind: 'call' }>);
    return;
  }
  if (statement.operator === '=') {
    const e = lowering.e;
    const key = buildMapKey(lowering, info, target.keys);
    const valueOffset = e.allocate(sizeOf(info.value.type));
    lowering.lowerInto(value, valueOffset, info.value.type);
    update(e, lowering.program.script.mapName(target.name), key, valueOffset, UpdateFlags.any);
    return;
  }
  const operator = statement.operator.slice(0, -1);
  // A map of pointers steps by the pointee's size.
  modifyMap(lowering, target, operator, stepOf(info.value.type) === 1 ? value : scaleStep(lowering, lowering.lower(value), info.value.type));
}

/** `@m[k]++` / `--` as statements or expressions; the value is the new (prefix) or old (postfix) one. */
export function updateMap(lowering: ExpressionLowering, expression: UpdateExpression): Lowered {
  const target = expression.operand as MapExpression;
  const info = mapInfo(lowering, target.name);
  const step = info.value.kind === 'scalar' ? stepOf(info.value.type) : 1;
  const delta: Lowered = { kind: 'constant', value: BigInt(step), type: s64 };
  const old = modifyMap(lowering, target, expression.operator === '++' ? '+' : '-', delta, true);
  const e = lowering.e;
  if (expression.prefix) {
    const result = e.pool.writable(old!);
    e.emit(alu64(expression.operator === '++' ? 'add' : 'sub', result, step));
  }
  return { kind: 'register', temp: old!, type: info.value.kind === 'scalar' ? info.value.type : s64 };
}

/**
 * Read-modify-write of an integer map value. `+`/`-` add atomically in place on a hit (shared maps
 * are updated from every CPU at once); a miss inserts with NOEXIST and, if another CPU won the race,
 * adds to its entry. Other operators read, compute and update.
 */
function modifyMap(lowering: ExpressionLowering, target: MapExpression, operator: string, valueExpression: Expression | Lowered, wantOld = false) {
  const e = lowering.e;
  const info = mapInfo(lowering, target.name);
  const name = lowering.program.script.mapName(target.name);
  const key = buildMapKey(lowering, info, target.keys);
  const valueOffset = e.allocate(8);
  const amount = lowering.toTemp('span' in valueExpression ? lowering.lower(valueExpression) : valueExpression);
  if (operator === '-') e.emit(alu64('neg', e.pool.writable(amount)));
  const old = wantOld ? e.pool.acquire() : undefined;
  if (operator === '+' || operator === '-') {
    const pinned = e.pool.freeze();
    const done = e.newLabel('added');
    const insert = e.newLabel('insert');
    atomicAdd(e, name, key, amount, old, insert, done);
    e.place(insert);
    e.emit(stx('dw', R10, valueOffset, e.pool.read(amount)));
    if (old) e.emit(mov64(e.pool.writable(old), 0));
    update(e, name, key, valueOffset, UpdateFlags.noExist);
    e.emit(jmp('eq', R0, 0, done)); // r0: the update's result

    const lost = e.newLabel('raced');
    atomicAdd(e, name, key, amount, old, lost, done);
    e.place(lost);
    e.place(done);
    e.pool.thaw(pinned);
    e.pool.release(amount);
    return old;
  }
  const current = readMap(lowering, target, s64);
  const currentTemp = lowering.toTemp(current);
  if (old) e.emit(mov64(e.pool.writable(old), e.pool.read(currentTemp)));
  const result = e.pool.writable(currentTemp);
  const ops: Record<string, Parameters<typeof alu64>[0]> = { '*': 'mul', '/': 'sdiv', '%': 'smod', '&': 'and', '|': 'or', '^': 'xor', '<<': 'lsh', '>>': 'arsh' };
  e.emit(alu64(ops[operator]!, result, e.pool.read(amount, e.pool.scratchRegister([result]))));
  e.emit(stx('dw', R10, valueOffset, result));
  e.pool.release(currentTemp);
  e.pool.release(amount);
  update(e, name, key, valueOffset, UpdateFlags.any);
  return old;
}

function atomicAdd(e: Emitter, name: string, key: number, amount: ReturnType<Emitter['pool']['acquire']>, old: ReturnType<Emitter['pool']['acquire']> | undefined, miss: string, done: string): void {
  const pointer = lookup(e, name, key);
  const base = e.pool.read(pointer);
  e.emit(jmp('eq', base, 0, miss));
  if (old) {
    const target = e.pool.writable(old);
    e.emit(mov64(target, e.pool.read(amount, e.pool.scratchRegister([target, base]))));
    e.emit(atomic('dw', 'fetch_add', e.pool.read(pointer), 0, target));
  } else {
    e.emit(atomic('dw', 'add', base, 0, e.pool.read(amount, e.pool.scratchRegister([base]))));
  }
  e.pool.release(pointer);
  e.emit(ja(done));
}

function updateAggregation(lowering: ExpressionLowering, info: MapInfo, target: MapExpression, call: Extract<Expression, { kind: 'call' }>): void {
  const e = lowering.e;
  const kind = info.value;
  const name = lowering.program.script.mapName(target.name);
  let value: ReturnType<ExpressionLowering['toTemp']> | undefined;
  if (kind.kind !== 'count' && call.arguments[0]) value = lowering.toTemp(lowering.lower(call.arguments[0]));
  const key = buildMapKey(lowering, info, target.keys, kind.kind === 'hist' || kind.kind === 'lhist'
    ? (bucketOffset) => histogramBucket(e, kind, value!, bucketOffset)
    : undefined);
  aggregate(e, name, kind, key, kind.kind === 'hist' || kind.kind === 'lhist' ? undefined : value);
  e.pool.release(value);
}

/** Stores hist()/lhist()'s bucket index for `value` at r10+offset (same indexing as the output module). */
function histogramBucket(e: Emitter, kind: MapInfo['value'], value: ReturnType<Emitter['pool']['acquire']>, offset: number): void {
  const index = e.pool.acquire();
  const pinned = e.pool.freeze();
  const r = e.pool.writable(index);
  const v = e.pool.read(value, e.pool.scratchRegister([r]));
  const done = e.newLabel('bucket');
  if (kind.kind === 'lhist') {
    const { min, max, step } = kind;
    const cap = 1n + (max - min) / step;
    e.emit(mov64(r, 0));
    jumpCompare(e, 'slt', v, min, done);
    loadConstant(e, r, cap);
    jumpCompare(e, 'sgt', e.pool.read(value, e.pool.scratchRegister([r])), max, done);
    e.emit(mov64(r, e.pool.read(value, e.pool.scratchRegister([r]))));
    if (min !== 0n) addConstant(e, r, -min);
    if (step !== 1n) aluConstant(e, 'div', r, step);
    e.emit(alu64('add', r, 1));
  } else if (kind.kind === 'hist') {
    const bits = kind.bits;
    e.emit(mov64(r, 0));
    e.emit(jmp('slt', v, 0, done));
    e.emit(mov64(r, v));
    e.emit(alu64('add', r, 1));
    e.emit(jmp('lt', v, 1 << bits, done));
    // msb by binary search on a copy, kept in r0.
    const msb = e.pool.scratchRegister([r]);
    e.emit(mov64(r, e.pool.read(value, e.pool.scratchRegister([r, msb]))));
    e.emit(mov64(msb, 0));
    for (const shift of [32, 16, 8, 4, 2, 1]) {
      const skip = e.newLabel('msb');
      const probe = R0.reg === msb.reg ? e.pool.scratchRegister([r, msb]) : R0;
      e.emit(mov64(probe, r));
      e.emit(alu64('rsh', probe, shift));
      e.emit(jmp('eq', probe, 0, skip));
      e.emit(mov64(r, probe));
      e.emit(alu64('add', msb, shift));
      e.place(skip);
    }
    // r = ((msb - bits + 1) << bits) + ((v >> (msb - bits)) & (2^bits - 1)) + 1
    const shiftReg = e.pool.scratchRegister([r, msb]);
    e.emit(mov64(r, e.pool.read(value, e.pool.scratchRegister([r, msb, shiftReg]))));
    if (bits > 0) {
      e.emit(mov64(shiftReg, msb));
      e.emit(alu64('sub', shiftReg, bits));
      e.emit(alu64('rsh', r, shiftReg));
      e.emit(alu64('and', r, (1 << bits) - 1));
    } else {
      e.emit(mov64(r, 0));
    }
    e.emit(alu64('sub', msb, bits - 1));
    if (bits > 0) e.emit(alu64('lsh', msb, bits));
    e.emit(alu64('add', r, msb));
    e.emit(alu64('add', r, 1));
  }
  e.place(done);
  e.emit(stx('dw', R10, offset, e.pool.read(index)));
  e.pool.thaw(pinned);
  e.pool.release(index);
}

function jumpCompare(e: Emitter, condition: 'slt' | 'sgt', register: ReturnType<Emitter['pool']['read']>, value: bigint, target: string): void {
  // An immediate is sign-extended: a value fits as its signed 64-bit reading (2^64 - 1 is -1).
  if (fitsImmediate(value)) e.emit(jmp(condition, register, Number(BigInt.asIntN(64, value)), target));
  else {
    const scratch = e.pool.scratchRegister([register]);
    loadConstant(e, scratch, value);
    e.emit(jmp(condition, register, scratch, target));
  }
}

function addConstant(e: Emitter, register: ReturnType<Emitter['pool']['read']>, value: bigint): void {
  aluConstant(e, 'add', register, value);
}

function aluConstant(e: Emitter, op: Parameters<typeof alu64>[0], register: ReturnType<Emitter['pool']['read']>, value: bigint): void {
  if (fitsImmediate(value)) e.emit(alu64(op, register, Number(BigInt.asIntN(64, value))));
  else {
    const scratch = e.pool.scratchRegister([register]);
    loadConstant(e, scratch, value);
    e.emit(alu64(op, register, scratch));
  }
}

/** delete(@m[k]) and delete(@m, k): true when the element existed and is gone (as in today's bpftrace). */
export function deleteMapElement(lowering: ExpressionLowering, map: MapExpression, keys: readonly Expression[], type: Type): Lowered {
  const e = lowering.e;
  const info = mapInfo(lowering, map.name);
  const key = buildMapKey(lowering, info, keys);
  const result = remove(e, lowering.program.script.mapName(map.name), key);
  const target = e.pool.writable(result);
  const failed = e.newLabel('undeleted');
  const done = e.newLabel('deleted');
  e.emit(jmp('ne', target, 0, failed));
  e.emit(mov64(target, 1));
  e.emit(ja(done));
  e.place(failed);
  e.emit(mov64(target, 0));
  e.place(done);
  return { kind: 'register', temp: result, type };
}

/** has_key(@m[k]): 1 when present. */
export function hasMapKey(lowering: ExpressionLowering, map: MapExpression, keys: readonly Expression[], type: Type): Lowered {
  const e = lowering.e;
  const info = mapInfo(lowering, map.name);
  const key = buildMapKey(lowering, info, keys);
  const pointer = lookup(e, lowering.program.script.mapName(map.name), key);
  const target = e.pool.writable(pointer);
  const absent = e.newLabel('absent');
  e.emit(jmp('eq', target, 0, absent));
  e.emit(mov64(target, 1));
  e.place(absent);
  return { kind: 'register', temp: pointer, type };
}
