// clear(@m) empties a map, zero(@m) sets its values to zero. The program sends a record; userspace
// does the work on the map when it handles it, in order with the other output.
import type { MapExpression } from '../parser/ast.js';
import { noneType } from '../model/types.js';
import { arity, needWholeMap } from '../check/call-rule.js';
import { emitRecordOf, idOnly, noValue } from '../codegen/calls.js';
import type { ActionOutput } from '../runtime/records.js';
import type { FunctionRecord } from './record.js';

type MapResetAction = { readonly kind: 'clear' | 'zero'; readonly id: number; readonly map: string; readonly size: number };
/** clear(@m) / zero(@m) done on the map named by its script name. */
type MapResetEvent = { readonly kind: 'clear' | 'zero'; readonly map: string };

declare module '../model/artifact.js' {
  interface ActionDescriptions { clear: MapResetAction; zero: MapResetAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { clear: MapResetEvent; zero: MapResetEvent }
}

const reset: ActionOutput<MapResetAction, MapResetEvent> = {
  handler(action, { maps }) {
    const kind = action.kind;
    const scriptName = maps.scriptName(action.map);
    return () => {
      if (kind === 'clear') maps.clear(action.map);
      else maps.zero(action.map);
      return { kind, map: scriptName };
    };
  },
};

function mapReset(name: 'clear' | 'zero'): FunctionRecord {
  return {
    name,
    check(context, call) {
      if (arity(context, call, 1, 1)) needWholeMap(context, call);
      return noneType;
    },
    lower(lowering, call, type) {
      const script = lowering.program.script;
      const map = call.arguments[0] as MapExpression;
      const id = script.addAction((actionId) => ({ kind: name, id: actionId, map: script.mapName(map.name), size: 8 }));
      emitRecordOf(lowering, id, [], idOnly);
      return noValue(type);
    },
    actions: { [name]: reset },
  };
}

export const clear = mapReset('clear');
export const zero = mapReset('zero');
