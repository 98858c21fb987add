// errorf(fmt, args…) and warnf(fmt, args…): printf's formatting, printed as a located error or warning
// as bpftrace prints them: `file:line:col-end: ERROR: text` on stderr (no source line: it would only
// show the call), and in JSON `{"type": "errorf", "msg": …, "filename", "line", "col"}` on stdout.
// The run goes on; assert() is errorf and exit(1).
import type { SourceSpan } from '../diagnostics/span.js';
import type { RecordField } from '../model/artifact.js';
import { noneType } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { noValue } from '../codegen/calls.js';
import { checkFormatArguments, formatRecordText, lowerFormatRecord } from './format-arguments.js';
import type { FunctionRecord } from './record.js';

type Severity = 'error' | 'warning';
type MessageAction<Kind extends string> = {
  readonly kind: Kind; readonly id: number; readonly format: string; readonly fields: readonly RecordField[]; readonly size: number;
  /** Where the message says it comes from: the call, then what it was expanded from (assert()). */
  readonly locations: readonly SourceSpan[];
};
type MessageEvent<Kind extends string> = { readonly kind: Kind; readonly text: string; readonly locations: readonly SourceSpan[] };

declare module '../model/artifact.js' {
  interface ActionDescriptions { errorf: MessageAction<'errorf'>; warnf: MessageAction<'warnf'> }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { errorf: MessageEvent<'errorf'>; warnf: MessageEvent<'warnf'> }
}

type Kind = 'errorf' | 'warnf';

function messageFunction(name: Kind, severity: Severity): FunctionRecord {
  return {
    name,
    check(context, call) {
      if (arity(context, call, 1, 64)) checkFormatArguments(context, call);
      return noneType;
    },
    lower(lowering, call, type) {
      lowerFormatRecord(lowering, call, name, { locations: [call.span] });
      return noValue(type);
    },
    actions: {
      [name]: {
        handler(action: MessageAction<Kind>, { decoding }) {
          const text = formatRecordText(action, decoding);
          return (view, offset): MessageEvent<Kind> => ({ kind: name, text: text(view, offset), locations: action.locations });
        },
        print: (event: MessageEvent<Kind>, format) => format.printfMessage(event.text, severity, event.locations),
      },
    },
  };
}

export const errorf = messageFunction('errorf', 'error');
export const warnf = messageFunction('warnf', 'warning');
