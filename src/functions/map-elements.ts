// delete(@m[k]) and has_key(@m[k]) (or with the key as a second argument): one element of a map,
// by key, in the program itself. len(@m) counts a map's elements (see codegen/map-iteration.ts).
import type { CallExpression, MapExpression } from '../parser/ast.js';
import { booleanType, s64, type Type } from '../model/types.js';
import { arity, needWholeMap, type CallContext } from '../check/call-rule.js';
import { mapKeysOf } from '../codegen/calls.js';
import { deleteMapElement, hasMapKey } from '../codegen/map-access.js';
import { lowerLength } from '../codegen/map-iteration.js';
import type { FunctionRecord } from './record.js';

/** The map element a delete/has_key names; reports what does not fit. */
function checkElement(context: CallContext, call: CallExpression, result: Type): Type {
  if (!arity(context, call, 1, 2)) return result;
  const [target, key] = call.arguments;
  if (target!.kind !== 'map') {
    context.diagnostics.error(target!.span, `${call.name}() takes a map element, e.g. ${call.name}(@x[key])`);
    return result;
  }
  const info = context.maps.get(target!.name);
  const keyExpression: MapExpression = key ? { ...target!, keys: key.kind === 'tuple' ? key.elements : [key] } : target!;
  const keyType = context.mapKey(keyExpression);
  if (key) context.setType(key, keyType ?? s64);
  if (!info) context.undefinedMap(target!);
  else context.checkKey(info, target!, keyType);
  return result;
}

/** delete() says whether the element was there, as in today's bpftrace. */
export const deleteElement: FunctionRecord = {
  name: 'delete',
  check: (context, call) => checkElement(context, call, booleanType),
  lower(lowering, call, type) {
    const map = call.arguments[0] as MapExpression;
    return deleteMapElement(lowering, map, mapKeysOf(map, call.arguments[1]), type);
  },
};

export const hasKey: FunctionRecord = {
  name: 'has_key',
  check: (context, call) => checkElement(context, call, booleanType),
  lower(lowering, call, type) {
    const map = call.arguments[0] as MapExpression;
    return hasMapKey(lowering, map, mapKeysOf(map, call.arguments[1]), type);
  },
};

export const len: FunctionRecord = {
  name: 'len',
  check(context, call) {
    if (arity(context, call, 1, 1)) needWholeMap(context, call);
    const target = call.arguments[0];
    // A map without keys has one value, nothing to count (bpftrace's words).
    if (target?.kind === 'map' && context.maps.get(target.name) && !context.maps.get(target.name)!.keyType) {
      context.diagnostics.error(target.span, 'call to len() expects a map with explicit keys (non-scalar map)');
    }
    return s64;
  },
  lower: (lowering, call, type) => lowerLength(lowering, call.arguments[0] as MapExpression, type),
};
