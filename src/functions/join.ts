// join(argv[, sep]): up to 16 strings of a NULL-terminated user `char **` (an execve argv), read by
// the program into one record; userspace joins them with `sep` (default one space).
import { R10, alu64, jmp, ldx, mov64, st } from '../bpf/index.js';
import type { CallExpression } from '../parser/ast.js';
import { noneType, type Type } from '../model/types.js';
import { arity, needInteger, needLiteral } from '../check/call-rule.js';
import { noValue, sendRecord } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import { zeroFill } from '../codegen/memory.js';
import { jsonMessage, jsonString } from '../runtime/output/json.js';
import { decodeCString } from '../runtime/value-decoder.js';
import type { FunctionRecord } from './record.js';

/** The most user-space pointers join() follows, as in bpftrace. */
const JOIN_MAX_ARGUMENTS = 16;

/** `count` NUL-padded strings of `stringSize` bytes after the id; empty ones end it. */
type JoinAction = { readonly kind: 'join'; readonly id: number; readonly separator: string; readonly count: number; readonly stringSize: number; readonly size: number };
/** The joined strings. */
type JoinEvent = { readonly kind: 'join'; readonly text: string };

declare module '../model/artifact.js' {
  interface ActionDescriptions { join: JoinAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { join: JoinEvent }
}

export const join: FunctionRecord = {
  name: 'join',
  check(context, call) {
    if (!arity(context, call, 1, 2)) return noneType;
    needInteger(context, call, 0);
    if (call.arguments[1]) needLiteral(context, call, 1);
    return noneType;
  },
  lower: (lowering, call, type) => lowerJoin(lowering, call, type),
  actions: {
    join: {
      handler(action: JoinAction) {
        const { count, stringSize, separator } = action;
        return (view, offset): JoinEvent => {
          const parts: string[] = [];
          for (let index = 0; index < count; index++) {
            const part = decodeCString(view, offset + 8 + index * stringSize, stringSize);
            if (part === '') break;
            parts.push(part);
          }
          return { kind: 'join', text: parts.join(separator) };
        };
      },
      // Text adds the line break, JSON's data leaves it out, as bpftrace does.
      print: (event: JoinEvent, format) => ({ stream: 'stdout', text: format.name === 'json' ? jsonMessage('join', jsonString(event.text)) : `${event.text}\n` }),
    },
  },
};

/** join(argv[, sep]): up to 16 user strings of a NULL-terminated `char **`, joined in userspace. */
function lowerJoin(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const e = lowering.e;
  const program = lowering.program;
  const stringSize = program.config.maxStringLength;
  const separator = call.arguments[1] ? (call.arguments[1] as { value: string }).value : ' ';
  const size = 8 + JOIN_MAX_ARGUMENTS * stringSize;
  const id = program.script.addAction((actionId) => ({ kind: 'join', id: actionId, separator, count: JOIN_MAX_ARGUMENTS, stringSize, size }));
  const record = e.allocate(size);
  zeroFill(e, record, size);
  e.emit(st('dw', R10, record, id));
  const argv = lowering.scalar(call.arguments[0]!);
  const pointerSlot = e.allocate(8);
  const done = e.newLabel('joined');
  const pinned = e.pool.freeze();
  for (let index = 0; index < JOIN_MAX_ARGUMENTS; index++) {
    const address = e.pool.acquire();
    const target = e.pool.writable(address);
    e.emit(mov64(target, e.pool.read(argv, e.pool.scratchRegister([target]))));
    e.emit(alu64('add', target, index * 8));
    e.callHelper('probe_read_user', [{ kind: 'stack', offset: pointerSlot }, { kind: 'immediate', value: 8 }, { kind: 'temp', temp: address }], true);
    e.pool.release(address);
    const pointer = e.pool.acquire();
    e.emit(ldx('dw', e.pool.writable(pointer), R10, pointerSlot));
    e.emit(jmp('eq', e.pool.read(pointer), 0, done));
    e.callHelper('probe_read_user_str', [
      { kind: 'stack', offset: record + 8 + index * stringSize }, { kind: 'immediate', value: stringSize }, { kind: 'temp', temp: pointer },
    ], true);
    e.pool.release(pointer);
  }
  e.place(done);
  e.pool.thaw(pinned);
  e.pool.release(argv);
  sendRecord(lowering, record, size);
  return noValue(type);
}
