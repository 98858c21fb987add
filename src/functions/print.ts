// print(@map[, top[, divisor]]) prints a map as it is when the record reaches userspace; print(value)
// prints one value. Both are ring-buffer records: the map is read by userspace, not by the program.
import type { Expression } from '../parser/ast.js';
import type { RecordField } from '../model/artifact.js';
import { noneType } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { emitRecordOf, idOnly, layoutOf, noValue } from '../codegen/calls.js';
import type { MapDump, Value } from '../runtime/output/values.js';
import { decodeValue } from '../runtime/value-decoder.js';
import type { FunctionRecord } from './record.js';

type PrintMapAction = { readonly kind: 'print-map'; readonly id: number; readonly map: string; readonly top: number; readonly divisor: number; readonly size: number };
type PrintValueAction = { readonly kind: 'print-value'; readonly id: number; readonly field: RecordField; readonly size: number };
/** print(@m, top, divisor): the map as read when the record was handled. */
type PrintMapEvent = { readonly kind: 'print-map'; readonly map: MapDump; readonly top: number; readonly divisor: number };
type PrintValueEvent = { readonly kind: 'print-value'; readonly value: Value };

declare module '../model/artifact.js' {
  interface ActionDescriptions { 'print-map': PrintMapAction; 'print-value': PrintValueAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { 'print-map': PrintMapEvent; 'print-value': PrintValueEvent }
}

export const print: FunctionRecord = {
  name: 'print',
  check(context, call) {
    if (!arity(context, call, 1, 3)) return noneType;
    const target = call.arguments[0]!;
    if (target.kind === 'map' && target.keys.length === 0) {
      if (!context.maps.has(target.name)) context.undefinedMap(target);
      for (const extra of call.arguments.slice(1)) {
        if (context.constantInteger(extra) === undefined) context.diagnostics.error(extra.span, 'print() top and divisor must be integer constants');
      }
      return noneType;
    }
    if (call.arguments.length > 1) context.diagnostics.error(call.span, 'print() of a value takes one argument');
    const type = context.expression(target);
    if (type.kind === 'none') context.diagnostics.error(target.span, 'this expression has no value to print');
    return noneType;
  },
  lower(lowering, call, type) {
    const script = lowering.program.script;
    const args = call.arguments;
    const target = args[0]!;
    if (target.kind === 'map' && target.keys.length === 0) {
      const constant = (expression: Expression | undefined, fallback: number) => {
        if (!expression) return fallback;
        const value = lowering.lower(expression);
        return value.kind === 'constant' ? Number(value.value) : fallback;
      };
      const id = script.addAction((actionId) => ({ kind: 'print-map', id: actionId, map: script.mapName(target.name), top: constant(args[1], 0), divisor: constant(args[2], 1), size: 8 }));
      emitRecordOf(lowering, id, [], idOnly);
      return noValue(type);
    }
    const fields = layoutOf(lowering, [target]);
    const id = script.addAction((actionId) => ({ kind: 'print-value', id: actionId, field: fields.fields[0]!, size: fields.size }));
    emitRecordOf(lowering, id, [target], fields);
    return noValue(type);
  },
  actions: {
    'print-map': {
      handler(action: PrintMapAction, { maps }) {
        maps.scriptName(action.map); // an unknown map fails here, when the script starts, not at the first record
        return (): PrintMapEvent => ({ kind: 'print-map', map: maps.read(action.map, { zeroWhenEmpty: true }), top: action.top, divisor: action.divisor });
      },
      print: (event: PrintMapEvent, format) => format.map(event.map, { top: event.top, div: event.divisor }),
    },
    'print-value': {
      handler(action: PrintValueAction, { decoding }) {
        const { field } = action;
        return (view, offset): PrintValueEvent => ({ kind: 'print-value', value: decodeValue(view, offset + field.offset, field.type, decoding) });
      },
      print: (event: PrintValueEvent, format) => format.value(event.value),
    },
  },
};
