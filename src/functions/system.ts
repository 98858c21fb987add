// system(fmt, args…) (--unsafe): userspace formats a command, runs it through the shell and prints
// its output.
import { spawnSync } from 'node:child_process';
import type { RecordField } from '../model/artifact.js';
import { noneType } from '../model/types.js';
import { arity, requireUnsafe } from '../check/call-rule.js';
import { noValue } from '../codegen/calls.js';
import { jsonMessage, jsonString } from '../runtime/output/json.js';
import { checkFormatArguments, formatRecordText, lowerFormatRecord } from './format-arguments.js';
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
    lowerFormatRecord(lowering, call, 'system');
    return noValue(type);
  },
  actions: {
    system: {
      handler(action: SystemAction, { decoding }) {
        const commandOf = formatRecordText(action, decoding);
        return (view, offset): SystemEvent => {
          const command = commandOf(view, offset);
          const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
          return { kind: 'system', text: `${result.stdout ?? ''}${result.stderr ?? ''}` };
        };
      },
      // The command's output as it is (bpftrace 0.17 adds no line break); JSON calls it "syscall".
      print: (event: SystemEvent, format) => ({ stream: 'stdout', text: format.name === 'json' ? jsonMessage('syscall', jsonString(event.text)) : event.text }),
    },
  },
};
