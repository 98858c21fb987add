// Iterating a map in the kernel with bpf_for_each_map_elem: `for ($kv : @m) { … }` and `len(@m)`.
// The loop body becomes a callback function (its own frame and registers) appended after the
// program; the kernel calls it with (map, key, value, context) and stops when it returns 1. The
// context is the probe's frame pointer: the body's variables, the probe's context and scratch area
// are reached through it (see ProgramContext.createCallback).
import { R0, R2, R3, R4, exit, ldx, mov64 } from '../bpf/index.js';
import type { ForMapStatement, MapExpression } from '../parser/ast.js';
import { sizeOf, tupleLayout, type Type } from '../model/types.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { copyToStack } from './memory.js';
import { combinedAggregation } from './map-access.js';
import { mapKeyLayout } from './map-layout.js';
import type { ProgramContext } from './program-context.js';

export function lowerForMap(program: ProgramContext, statement: ForMapStatement): void {
  const info = program.script.checked.maps.get(statement.map.name);
  if (!info) throw new Error(`internal error: map @${statement.map.name} unknown`);
  const callback = program.createCallback('foreach', R4);
  const e = callback.e;
  const slot = callback.statements.declareSlot(statement.variable);
  const kvType = slot.type as Extract<Type, { kind: 'tuple' }>;
  const layout = tupleLayout(kvType.elements);
  // r2 = key, r3 = value: copy both into $kv before anything clobbers them.
  const keyBytes = Math.min(mapKeyLayout(info).keySize, sizeOf(kvType.elements[0]!));
  const keyOffset = slot.offset + layout.offsets[0]!;
  const valueOffset = slot.offset + layout.offsets[1]!;
  copyToStack(e, R2, 0, keyOffset, keyBytes, R0);
  if (info.value.kind === 'scalar') copyToStack(e, R3, 0, valueOffset, sizeOf(kvType.elements[1]!), R0);
  // A byte of the key: a value the verifier does not know, for forgetValues.
  const unknown = e.pool.acquire();
  e.emit(ldx('b', e.pool.writable(unknown), R2, 0));
  callback.statements.forgetValues(statement.body, e.pool.read(unknown));
  e.pool.release(unknown);
  if (info.value.kind !== 'scalar') {
    // A per-CPU aggregation: r3 is this CPU's slot; the loop sees the value combined over the CPUs,
    // as reading @m[k] does (and as bpftrace iterates it). The key is already in $kv.
    const lowering = callback.statements.lowering;
    const value = combinedAggregation(lowering, info.value, program.script.mapName(statement.map.name), keyOffset, kvType.elements[1]!);
    lowering.storeValue(value, valueOffset, kvType.elements[1]!);
  }
  const keepGoing = e.newLabel('next');
  const stop = e.newLabel('stop');
  callback.statements.inCallbackLoop(keepGoing, stop, () => callback.statements.block(statement.body));
  e.place(keepGoing);
  e.emit(mov64(R0, 0));
  e.emit(exit());
  e.place(stop);
  e.emit(mov64(R0, 1));
  e.emit(exit());
  program.e.callHelper('for_each_map_elem', [
    { kind: 'map', name: program.script.mapName(statement.map.name) },
    { kind: 'function', label: callback.entry },
    { kind: 'register', reg: program.frameRegister() },
    { kind: 'immediate', value: 0 },
  ], true);
  // r0 = the elements visited, unknown to the verifier (see StatementLowering.forgetValues).
  program.statements.forgetValues(statement.body, R0);
  if (program.probe.facts.leavingBodies.has(statement.body)) program.leaveIfCallbackLeft();
}

/** len(@m): bpf_for_each_map_elem returns how many elements it visited; the callback visits all. */
export function lowerLength(lowering: ExpressionLowering, map: MapExpression, type: Type): Lowered {
  const program = lowering.program;
  const callback = program.createCallback('len');
  callback.e.emit(mov64(R0, 0));
  callback.e.emit(exit());
  const temp = lowering.e.callHelper('for_each_map_elem', [
    { kind: 'map', name: program.script.mapName(map.name) },
    { kind: 'function', label: callback.entry },
    { kind: 'immediate', value: 0 },
    { kind: 'immediate', value: 0 },
  ])!;
  return { kind: 'register', temp, type };
}
