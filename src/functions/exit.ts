// exit([code]): a record that tells userspace to end the session (END runs, the maps print), and the
// end of this probe's run: nothing after it executes.
import type { RecordField } from '../model/artifact.js';
import { noneType, typeName } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import { emitRecordOf, layoutOf, noValue } from '../codegen/calls.js';
import { decodeValue } from '../runtime/value-decoder.js';
import type { FunctionRecord } from './record.js';

/** `code`: a fixed exit code when the record carries none (assert()'s 1). */
type ExitAction = { readonly kind: 'exit'; readonly id: number; readonly codeField?: RecordField; readonly code?: number; readonly size: number };
type ExitEvent = { readonly kind: 'exit'; readonly code: number };

declare module '../model/artifact.js' {
  interface ActionDescriptions { exit: ExitAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { exit: ExitEvent }
}

export const exit: FunctionRecord = {
  name: 'exit',
  check(context, call) {
    if (!arity(context, call, 0, 1)) return noneType;
    const code = call.arguments[0];
    if (code) {
      const type = context.expression(code);
      if (type.kind !== 'integer') context.diagnostics.error(code.span, `exit() takes an integer exit code, not ${typeName(type)}`);
    }
    return noneType;
  },
  lower(lowering, call, type) {
    const args = call.arguments;
    const fields = args[0] ? layoutOf(lowering, [args[0]]) : { fields: [], size: 8 };
    const id = lowering.program.script.addAction((actionId) => ({ kind: 'exit', id: actionId, ...(fields.fields[0] ? { codeField: fields.fields[0] } : {}), size: fields.size }));
    emitRecordOf(lowering, id, args.slice(0, 1), fields);
    // exit() ends this probe too: nothing after it runs.
    lowering.program.leaveProbe();
    return noValue(type);
  },
  actions: {
    exit: {
      handler(action: ExitAction) {
        const { codeField } = action;
        return (view, offset): ExitEvent => {
          if (!codeField) return { kind: 'exit', code: action.code ?? 0 };
          const value = decodeValue(view, offset + codeField.offset, codeField.type);
          // A process exit status is one byte; bpftrace passes the value to exit() the same way.
          return { kind: 'exit', code: value.kind === 'integer' ? Number(BigInt.asUintN(8, value.value)) : 0 };
        };
      },
    },
  },
};
