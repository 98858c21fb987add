// cat(fmt, args…): userspace formats a path and prints that file's contents.
import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { RecordField } from '../model/artifact.js';
import { noneType } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { noValue } from '../codegen/calls.js';
import { errnoMessage } from '../runtime/output/errno-messages.js';
import { jsonMessage, jsonString } from '../runtime/output/json.js';
import { checkFormatArguments, formatRecordText, lowerFormatRecord } from './format-arguments.js';
import type { FunctionRecord } from './record.js';

type CatAction = { readonly kind: 'cat'; readonly id: number; readonly format: string; readonly fields: readonly RecordField[]; readonly size: number };
/** The file's contents, or why it could not be read (printed on stderr, as bpftrace does). */
type CatEvent = { readonly kind: 'cat'; readonly text: string; readonly error?: string };

declare module '../model/artifact.js' {
  interface ActionDescriptions { cat: CatAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { cat: CatEvent }
}

export const cat: FunctionRecord = {
  name: 'cat',
  check(context, call) {
    if (arity(context, call, 1, 16)) checkFormatArguments(context, call);
    return noneType;
  },
  lower(lowering, call, type) {
    lowerFormatRecord(lowering, call, 'cat');
    return noValue(type);
  },
  actions: {
    cat: {
      handler(action: CatAction, { decoding }) {
        const path = formatRecordText(action, decoding);
        return (view, offset): CatEvent => readForCat(path(view, offset));
      },
      print(event: CatEvent, format) {
        if (event.error !== undefined) {
          if (format.name === 'json') return format.runtimeError({ kind: 'runtime', message: event.error, locations: [] });
          return { stream: 'stderr', text: `ERROR: ${event.error}\n` };
        }
        return { stream: 'stdout', text: format.name === 'json' ? jsonMessage('cat', jsonString(event.text)) : event.text };
      },
    },
  },
};

/** The file's text, or bpftrace's words when it cannot be read: `failed to open file '…' (No such file or directory)`. */
function readForCat(path: string): CatEvent {
  try {
    return { kind: 'cat', text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const errno = code === undefined ? undefined : (osConstants.errno as Record<string, number>)[code];
    const reason = errno === undefined ? (error as Error).message : errnoMessage(errno);
    return { kind: 'cat', text: '', error: `failed to open file '${path}' (${reason})` };
  }
}
