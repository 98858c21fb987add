// system(fmt, args…) (--unsafe): userspace formats a command, runs it through the shell and prints
// its output.
import { spawnSync } from 'node:child_process';
import type { RecordField } from '../model/artifact.js';
import { parseFormat } from '../model/format-string.js';
import { noneType } from '../model/types.js';
import { arity, requireUnsafe } from '../check/call-rule.js';
import { emitRecordOf, layoutOf, noValue } from '../codegen/calls.js';
import { RecordError } from '../runtime/records.js';
import { jsonMessage, jsonString } from '../runtime/output/json.js';
import { formatPrintf } from '../runtime/output/printf.js';
import { decodeValue } from '../runtime/value-decoder.js';
import { checkFormatArguments } from './format-arguments.js';
import type { FunctionRecord } from './record.js';

type SystemAction = { readonly kind: 'system'; readonly id: number; readonly format: string; readonly fields: readonly RecordField[]; readonly size: number };
/** The command's output. */
type SystemEvent = { readonly kind: 'system'; readonly text: string };

declare module '../model/artifact.js' {
  interface ActionDescriptions { system: SystemAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { system: SystemEvent }
}

export const system: FunctionRecord = {
  name: 'system',
  check(context, call) {
    requireUnsafe(context, call);
    if (arity(context, call, 1, 16)) checkFormatArguments(context, call);
    return noneType;
  },
  lower(lowering, call, type) {
    const args = call.arguments.slice(1);
    const fields = layoutOf(lowering, args);
    const format = (call.arguments[0] as { value: string }).value;
    const id = lowering.program.script.addAction((actionId) => ({ kind: 'system', id: actionId, format, fields: fields.fields, size: fields.size }));
    emitRecordOf(lowering, id, args, fields);
    return noValue(type);
  },
  actions: {
    system: {
      handler(action: SystemAction, { decoding }) {
        const { format, errors } = parseFormat(action.format);
        if (errors.length > 0) throw new RecordError(`system format ${JSON.stringify(action.format)}: ${errors[0]!.message}`);
        return (view, offset): SystemEvent => {
          const command = formatPrintf(format, action.fields.map((field) => decodeValue(view, offset + field.offset, field.type, decoding)));
          const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
          return { kind: 'system', text: `${result.stdout ?? ''}${result.stderr ?? ''}` };
        };
      },
      // The command's output as it is (bpftrace 0.17 adds no line break); JSON calls it "syscall".
      print: (event: SystemEvent, format) => ({ stream: 'stdout', text: format.name === 'json' ? jsonMessage('syscall', jsonString(event.text)) : event.text }),
    },
  },
};
