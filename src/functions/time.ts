// time([fmt]): userspace prints the wall-clock time when it handles the record (C's strftime format,
// default `%H:%M:%S\n`).
import { noneType } from '../model/types.js';
import { arity, needLiteral } from '../check/call-rule.js';
import { emitRecordOf, idOnly, noValue } from '../codegen/calls.js';
import { jsonMessage, jsonString } from '../runtime/output/json.js';
import { formatStrftime } from '../runtime/output/strftime.js';
import type { FunctionRecord } from './record.js';

type TimeAction = { readonly kind: 'time'; readonly id: number; readonly format: string; readonly size: number };
type TimeEvent = { readonly kind: 'time'; readonly text: string };

declare module '../model/artifact.js' {
  interface ActionDescriptions { time: TimeAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { time: TimeEvent }
}

export const time: FunctionRecord = {
  name: 'time',
  check(context, call) {
    if (!arity(context, call, 0, 1)) return noneType;
    if (call.arguments.length > 0) needLiteral(context, call, 0);
    return noneType;
  },
  lower(lowering, call, type) {
    const format = call.arguments[0] ? (call.arguments[0] as { value: string }).value : '%H:%M:%S\n';
    const id = lowering.program.script.addAction((actionId) => ({ kind: 'time', id: actionId, format, size: 8 }));
    emitRecordOf(lowering, id, [], idOnly);
    return noValue(type);
  },
  actions: {
    time: {
      // time() is C's strftime: `%f` has no special meaning there.
      handler: (action: TimeAction, { now }) => (): TimeEvent => ({ kind: 'time', text: formatStrftime(action.format, now(), { microseconds: false }) }),
      print: (event: TimeEvent, format) => ({ stream: 'stdout', text: format.name === 'json' ? jsonMessage('time', jsonString(event.text)) : event.text }),
    },
  },
};
