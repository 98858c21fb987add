// Map access patterns. Aggregations live in per-CPU maps and update in place on a hit (one lookup, no
// update call); only a miss inserts. Per-CPU values need no atomics: one CPU owns its slot. Plain
// shared maps use atomic adds where the operation allows.
import { R0, R10, alu64, jmp, ja, ldx, st, stx } from '../bpf/index.js';
import type { MapValueKind } from '../model/artifact.js';
import type { Emitter } from './emitter.js';
import type { Temp } from './registers.js';

/** BPF_ANY / BPF_NOEXIST / BPF_EXIST. */
export const UpdateFlags = { any: 0, noExist: 1, exist: 2 } as const;

/** map_lookup_elem(map, r10+keyOffset): a temporary holding the value pointer or 0. */
export function lookup(e: Emitter, map: string, keyOffset: number): Temp {
  return e.callHelper('map_lookup_elem', [{ kind: 'map', name: map }, { kind: 'stack', offset: keyOffset }])!;
}

/** map_update_elem; the result is left in r0 for a check right after it (or ignored). */
export function update(e: Emitter, map: string, keyOffset: number, valueOffset: number, flags: number): void {
  e.callHelper('map_update_elem', [
    { kind: 'map', name: map }, { kind: 'stack', offset: keyOffset }, { kind: 'stack', offset: valueOffset }, { kind: 'immediate', value: flags },
  ], true);
}

/** bpf_map_delete_elem: its result, 0 or -ENOENT. */
export function remove(e: Emitter, map: string, keyOffset: number): Temp {
  return e.callHelper('map_delete_elem', [{ kind: 'map', name: map }, { kind: 'stack', offset: keyOffset }])!;
}

/** Byte size of an aggregation's value in the map. */
export function aggregationValueSize(kind: MapValueKind): number {
  switch (kind.kind) {
    case 'count': case 'sum': case 'hist': case 'lhist': return 8;
    case 'min': case 'max': case 'avg': case 'stats': return 16;
    case 'scalar': throw new Error('not an aggregation');
  }
}

/**
 * Folds `value` (absent for count/hist/lhist, whose key already names the bucket) into the map entry
 * at r10+keyOffset. `value` is released by the caller.
 */
export function aggregate(e: Emitter, map: string, kind: MapValueKind, keyOffset: number, value: Temp | undefined): void {
  const size = aggregationValueSize(kind);
  const initial = e.allocate(size, 8); // the value inserted on a miss
  // Pin every live value (the incoming `value` among them) so both branches agree on where it is.
  const pinned = e.pool.freeze();
  const pointer = lookup(e, map, keyOffset);
  const miss = e.newLabel('miss');
  const done = e.newLabel('done');
  e.emit(jmp('eq', e.pool.read(pointer), 0, miss));
  const base = e.pool.writable(pointer);
  const target = R0; // no call happens on this path, so r0 is free
  const amount = () => e.pool.read(value!, e.pool.scratchRegister([R0, base]));
  switch (kind.kind) {
    case 'count': case 'hist': case 'lhist':
      e.emit(ldx('dw', target, base, 0));
      e.emit(alu64('add', target, 1));
      e.emit(stx('dw', base, 0, target));
      break;
    case 'sum':
      e.emit(ldx('dw', target, base, 0));
      e.emit(alu64('add', target, amount()));
      e.emit(stx('dw', base, 0, target));
      break;
    case 'avg': case 'stats':
      e.emit(ldx('dw', target, base, 0));
      e.emit(alu64('add', target, amount()));
      e.emit(stx('dw', base, 0, target));
      e.emit(ldx('dw', target, base, 8));
      e.emit(alu64('add', target, 1));
      e.emit(stx('dw', base, 8, target));
      break;
    case 'min': case 'max': {
      // Replace when unset, or when the new value wins the comparison.
      const store = e.newLabel('store');
      const keep = e.newLabel('keep');
      e.emit(ldx('dw', target, base, 8));
      e.emit(jmp('eq', target, 0, store));
      e.emit(ldx('dw', target, base, 0));
      const better = kind.kind === 'min' ? (kind.signed ? 'slt' : 'lt') : (kind.signed ? 'sgt' : 'gt');
      e.emit(jmp(better, amount(), target, store));
      e.emit(ja(keep));
      e.place(store);
      e.emit(stx('dw', base, 0, amount()));
      e.emit(st('dw', base, 8, 1));
      e.place(keep);
      break;
    }
    case 'scalar':
      throw new Error('not an aggregation');
  }
  e.emit(ja(done));
  e.place(miss);
  writeInitial(e, kind, initial, value);
  update(e, map, keyOffset, initial, UpdateFlags.any);
  e.place(done);
  e.pool.release(pointer);
  e.pool.thaw(pinned);
}

function writeInitial(e: Emitter, kind: MapValueKind, offset: number, value: Temp | undefined): void {
  switch (kind.kind) {
    case 'count': case 'hist': case 'lhist':
      e.emit(st('dw', R10, offset, 1));
      return;
    case 'sum':
      e.emit(stx('dw', R10, offset, e.pool.read(value!)));
      return;
    case 'min': case 'max':
      e.emit(stx('dw', R10, offset, e.pool.read(value!)));
      e.emit(st('dw', R10, offset + 8, 1));
      return;
    case 'avg': case 'stats':
      e.emit(stx('dw', R10, offset, e.pool.read(value!)));
      e.emit(st('dw', R10, offset + 8, 1));
      return;
    case 'scalar':
      throw new Error('not an aggregation');
  }
}
