// Function calls: each function's lowering is in its record (src/functions/), found by name in the
// table generate() receives. Here are the pieces output functions share: a ring-buffer record laid
// out on the stack (the u64 action id, then the fields) and sent, a failed send counted as lost.
import { R0, R10, alu64, jmp, ldx, st, stx } from '../bpf/index.js';
import type { CallExpression, Expression, IdentifierExpression, MapExpression } from '../parser/ast.js';
import { sizeOf, s64, tupleLayout, u64, type Type } from '../model/types.js';
import { storageType } from '../model/type-rules.js';
import type { RecordField } from '../model/artifact.js';
import type { FunctionRecord } from '../model/function-record.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { loadPidTgid } from './process-ids.js';
import { bareCall } from '../parser/bare-call.js';

/** Code for one call whose arguments the checker accepted; `type` is the call's checked type. */
export type CallLowering = (lowering: ExpressionLowering, call: CallExpression, type: Type) => Lowered;

/** Functions whose value is built in place (str()): writes `size` bytes at r10+offset. */
export interface CallLoweringInto {
  readonly lowerInto?: (lowering: ExpressionLowering, call: CallExpression, offset: number, size: number) => void;
}

/** Codegen's view of the function table. */
export type LoweredFunctions = ReadonlyMap<string, FunctionRecord<unknown, CallLowering> & CallLoweringInto>;

export function lowerCall(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const record = lowering.program.script.functions.get(call.name);
  if (!record) throw new Error(`internal error: ${call.name}() has no code`);
  return record.lower(lowering, call, type);
}

/** Writes a call's (or bare builtin's) value straight into `size` bytes at r10+offset when its function builds it in place (str(), comm). */
export function lowerCallInto(lowering: ExpressionLowering, expression: CallExpression | IdentifierExpression, offset: number, size: number): boolean {
  const record = lowering.program.script.functions.get(expression.name);
  const into = expression.kind === 'call' || record?.bare ? record?.lowerInto : undefined;
  if (!into) return false;
  into(lowering, expression.kind === 'call' ? expression : bareCall(expression), offset, size);
  return true;
}

/** The value of a call that has none (a statement such as printf()). */
export function noValue(type: Type): Lowered {
  return { kind: 'constant', value: 0n, type: type.kind === 'none' ? s64 : type };
}

interface RecordLayout {
  readonly fields: RecordField[];
  readonly size: number;
}

/** Record layout: the u64 action id, then the arguments, laid out as the tuple of them all. */
export function layoutOf(lowering: ExpressionLowering, args: readonly Expression[]): RecordLayout {
  const types = args.map((argument) => storageType(lowering.typeOf(argument)));
  const { offsets, size } = tupleLayout([u64, ...types]);
  return { fields: types.map((type, index) => ({ offset: offsets[index + 1]!, type })), size };
}

/** A record of just the action id. */
export const idOnly: RecordLayout = { fields: [], size: 8 };

/** Builds the record on the stack and sends it with bpf_ringbuf_output; a failed send counts as lost. */
export function emitRecordOf(lowering: ExpressionLowering, id: number, args: readonly Expression[], layout: RecordLayout): void {
  const e = lowering.e;
  const base = e.allocate(layout.size);
  e.emit(st('dw', R10, base, id));
  // Zero the padding between fields so no uninitialised stack reaches the helper.
  let cursor = 8;
  for (const field of layout.fields) {
    for (let at = cursor; at < field.offset; at++) e.emit(st('b', R10, base + at, 0));
    cursor = field.offset + sizeOf(field.type);
  }
  for (let at = cursor; at < layout.size; at++) e.emit(st('b', R10, base + at, 0));
  args.forEach((argument, index) => lowering.lowerInto(argument, base + layout.fields[index]!.offset, layout.fields[index]!.type));
  sendRecord(lowering, base, layout.size);
}

/** bpf_ringbuf_output of the record at `base`; a failed send counts as a lost event. */
export function sendRecord(lowering: ExpressionLowering, base: number, size: number): void {
  const e = lowering.e;
  const script = lowering.program.script;
  e.callHelper('ringbuf_output', [
    { kind: 'map', name: script.ringBufferMap }, { kind: 'stack', offset: base }, { kind: 'immediate', value: size }, { kind: 'immediate', value: 0 },
  ], true);
  // The result is still in r0: nothing is emitted between the call and this check.
  const sent = e.newLabel('sent');
  e.emit(jmp('sge', R0, 0, sent));
  countLost(lowering);
  e.place(sent);
}

function countLost(lowering: ExpressionLowering): void {
  const e = lowering.e;
  const key = e.allocate(4, 4);
  e.emit(st('w', R10, key, 0));
  const pointer = e.callHelper('map_lookup_elem', [{ kind: 'map', name: lowering.program.script.lostEventsMap }, { kind: 'stack', offset: key }])!;
  const base = e.pool.read(pointer);
  const skip = e.newLabel('nolost');
  e.emit(jmp('eq', base, 0, skip));
  const scratch = e.pool.scratchRegister([base]);
  e.emit(ldx('dw', scratch, base, 0));
  e.emit(alu64('add', scratch, 1));
  e.emit(stx('dw', base, 0, scratch));
  e.place(skip);
  e.pool.release(pointer);
}

/** The key of `delete(@m[k])` / `delete(@m, k)` (and has_key's): a tuple argument is the key's parts. */
export function mapKeysOf(map: MapExpression, second: Expression | undefined): readonly Expression[] {
  if (!second) return map.keys;
  return second.kind === 'tuple' ? second.elements : [second];
}

/** A string or other memory value's place on the stack. */
export function memoryOf(lowering: ExpressionLowering, expression: Expression): Extract<Lowered, { kind: 'memory' }> {
  const value = lowering.lower(expression);
  if (value.kind !== 'memory') throw new Error('internal error: a string is not in memory');
  return value;
}

/** The current process id (the upper half of pid_tgid, numbered as tsbpf sees it) as a u32 at r10+offset. */
export function storeProcessId(lowering: ExpressionLowering, offset: number): void {
  const e = lowering.e;
  const pid = loadPidTgid(e, lowering.program.script.checked.host, 'tsbpf');
  const register = e.pool.writable(pid);
  e.emit(alu64('rsh', register, 32));
  e.emit(stx('w', R10, offset, register));
  e.pool.release(pid);
}
