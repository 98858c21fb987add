// Function calls other than aggregations: printf/print/exit/clear/zero become ring-buffer records
// (formatting stays in userspace); delete/has_key touch the map directly.
import { R0, R10, alu64, jmp, ldx, st, stx } from '../bpf/index.js';
import type { CallExpression, Expression, MapExpression } from '../parser/ast.js';
import { alignOf, alignUp, sizeOf, s64, type Type } from '../model/types.js';
import { storageType } from '../model/type-rules.js';
import type { RecordField } from '../model/artifact.js';
import { lowerLength } from './map-iteration.js';
import { lowerFunction } from './functions.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { deleteMapElement, hasMapKey } from './map-access.js';

export class Calls {
  lowerCall(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
    const script = lowering.program.script;
    const args = call.arguments;
    switch (call.name) {
      case 'printf': {
        const fields = this.layoutOf(lowering, args.slice(1));
        const id = script.addAction((actionId) => ({ kind: 'printf', id: actionId, format: (args[0] as { value: string }).value, fields: fields.fields, size: fields.size }));
        this.emitRecordOf(lowering, id, args.slice(1), fields);
        return none(type);
      }
      case 'print': {
        const target = args[0]!;
        if (target.kind === 'map' && target.keys.length === 0) {
          const constant = (expression: Expression | undefined, fallback: number) => {
            if (!expression) return fallback;
            const value = lowering.lower(expression);
            return value.kind === 'constant' ? Number(value.value) : fallback;
          };
          const id = script.addAction((actionId) => ({ kind: 'print-map', id: actionId, map: script.mapName(target.name), top: constant(args[1], 0), divisor: constant(args[2], 1), size: 8 }));
          this.emitRecordOf(lowering, id, [], { fields: [], size: 8 });
          return none(type);
        }
        const fields = this.layoutOf(lowering, [target]);
        const id = script.addAction((actionId) => ({ kind: 'print-value', id: actionId, field: fields.fields[0]!, size: fields.size }));
        this.emitRecordOf(lowering, id, [target], fields);
        return none(type);
      }
      case 'exit': {
        const fields = args[0] ? this.layoutOf(lowering, [args[0]]) : { fields: [], size: 8 };
        const id = script.addAction((actionId) => ({ kind: 'exit', id: actionId, ...(fields.fields[0] ? { codeField: fields.fields[0] } : {}), size: fields.size }));
        this.emitRecordOf(lowering, id, args.slice(0, 1), fields);
        // exit() ends this probe too: nothing after it runs.
        lowering.program.leaveProbe();
        return none(type);
      }
      case 'clear':
      case 'zero': {
        const map = args[0] as MapExpression;
        const id = script.addAction((actionId) => ({ kind: call.name as 'clear' | 'zero', id: actionId, map: script.mapName(map.name), size: 8 }));
        this.emitRecordOf(lowering, id, [], { fields: [], size: 8 });
        return none(type);
      }
      case 'delete': {
        const map = args[0] as MapExpression;
        return deleteMapElement(lowering, map, keysOf(map, args[1]), type);
      }
      case 'len':
        return lowerLength(lowering, args[0] as MapExpression, type);
      case 'has_key': {
        const map = args[0] as MapExpression;
        return hasMapKey(lowering, map, keysOf(map, args[1]), type);
      }
    }
    return lowerFunction(lowering, call, type);
  }

  /** Record layout: the u64 action id, then each argument at its natural alignment. */
  layoutOf(lowering: ExpressionLowering, args: readonly Expression[]): { fields: RecordField[]; size: number } {
    let offset = 8;
    const fields: RecordField[] = [];
    for (const argument of args) {
      const type = storageType(lowering.typeOf(argument));
      offset = alignUp(offset, alignOf(type));
      fields.push({ offset, type });
      offset += sizeOf(type);
    }
    return { fields, size: alignUp(offset, 8) };
  }

  /** Builds the record on the stack and sends it with bpf_ringbuf_output; a failed send counts as lost. */
  emitRecordOf(lowering: ExpressionLowering, id: number, args: readonly Expression[], layout: { fields: RecordField[]; size: number }): void {
    const e = lowering.e;
    const base = e.allocate(layout.size);
    e.emit(st('dw', R10, base, id));
    // Zero the padding between fields so no uninitialised stack reaches the helper.
    let cursor = 8;
    for (const field of layout.fields) {
      for (let at = cursor; at < field.offset; at++) e.emit(st('b', R10, base + at, 0));
      cursor = field.offset + sizeOf(field.type);
    }
    for (let at = cursor; at < layout.size; at++) e.emit(st('b', R10, base + at, 0));
    args.forEach((argument, index) => lowering.lowerInto(argument, base + layout.fields[index]!.offset, layout.fields[index]!.type));
    this.sendRecord(lowering, base, layout.size);
  }

  /** bpf_ringbuf_output of the record at `base`; a failed send counts as a lost event. */
  sendRecord(lowering: ExpressionLowering, base: number, size: number): void {
    const e = lowering.e;
    const script = lowering.program.script;
    e.callHelper('ringbuf_output', [
      { kind: 'map', name: script.ringBufferMap }, { kind: 'stack', offset: base }, { kind: 'immediate', value: size }, { kind: 'immediate', value: 0 },
    ], true);
    // The result is still in r0: nothing is emitted between the call and this check.
    const sent = e.newLabel('sent');
    e.emit(jmp('sge', R0, 0, sent));
    this.countLost(lowering);
    e.place(sent);
  }

  private countLost(lowering: ExpressionLowering): void {
    const e = lowering.e;
    const key = e.allocate(4, 4);
    e.emit(st('w', R10, key, 0));
    const pointer = e.callHelper('map_lookup_elem', [{ kind: 'map', name: lowering.program.script.lostEventsMap }, { kind: 'stack', offset: key }])!;
    const base = e.pool.read(pointer);
    const skip = e.newLabel('nolost');
    e.emit(jmp('eq', base, 0, skip));
    const scratch = e.pool.scratchRegister([base]);
    e.emit(ldx('dw', scratch, base, 0));
    e.emit(alu64('add', scratch, 1));
    e.emit(stx('dw', base, 0, scratch));
    e.place(skip);
    e.pool.release(pointer);
  }
}

function keysOf(map: MapExpression, second: Expression | undefined): readonly Expression[] {
  if (!second) return map.keys;
  return second.kind === 'tuple' ? second.elements : [second];
}

function none(type: Type): Lowered {
  return { kind: 'constant', value: 0n, type: type.kind === 'none' ? s64 : type };
}
