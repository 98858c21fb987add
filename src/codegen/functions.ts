// Code for the string, time, symbol, stack and userspace-action functions (see check/functions.ts).
import { R0, R10, alu64, jmp, ja, ldx, mov64, st, stx, type Register } from '../bpf/index.js';
import type { CallExpression, Expression } from '../parser/ast.js';
import { signalNumber } from '../check/functions.js';
import { sizeOf, type Type } from '../model/types.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { sizeName } from './widths.js';
import { copyToStack, loadConstant, storeBytes, zeroFill } from './memory.js';

/** get_stackid flag: capture the user stack. */
const USER_STACK = 1 << 8;
/** The most user-space pointers join() follows, as in bpftrace. */
export const JOIN_MAX_ARGUMENTS = 16;

export function lowerFunction(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const e = lowering.e;
  const args = call.arguments;
  const program = lowering.program;
  switch (call.name) {
    case 'kstack':
    case 'ustack':
      return lowerStack(lowering, type);
    case 'ksym':
    case 'usym': {
      const offset = e.allocate(sizeOf(type));
      const address = lowering.scalar(args[0]!);
      e.emit(stx('dw', R10, offset, e.pool.read(address)));
      e.pool.release(address);
      if (call.name === 'usym') storePid(lowering, offset + 8);
      return { kind: 'memory', offset, type };
    }
    case 'kaddr': {
      const name = (args[0] as { value: string }).value;
      const symbol = lowering.program.script.checked.host.kernelSymbolAddress(name);
      if (symbol === undefined) throw new Error(`internal error: kaddr(${name}) not found`);
      return { kind: 'constant', value: symbol, type };
    }
    case 'strftime':
      return { ...lowering.lower(args[1]!), type } as Lowered;
    case 'signal': {
      const argument = args[0]!;
      if (argument.kind === 'string') {
        e.callHelper('send_signal', [{ kind: 'immediate', value: signalNumber(argument.value)! }], true);
      } else {
        const number = lowering.scalar(argument);
        e.callHelper('send_signal', [{ kind: 'temp', temp: number }], true);
        e.pool.release(number);
      }
      return none(type);
    }
    case 'debugf':
      return lowerDebugf(lowering, call, type);
    case 'time': {
      const format = args[0] ? (args[0] as { value: string }).value : '%H:%M:%S\n';
      const id = program.script.addAction((actionId) => ({ kind: 'time', id: actionId, format, size: 8 }));
      program.calls.emitRecordOf(lowering, id, [], { fields: [], size: 8 });
      return none(type);
    }
    case 'cat':
    case 'system': {
      const fields = program.calls.layoutOf(lowering, args.slice(1));
      const format = (args[0] as { value: string }).value;
      const id = program.script.addAction((actionId) => ({ kind: call.name as 'cat' | 'system', id: actionId, format, fields: fields.fields, size: fields.size }));
      program.calls.emitRecordOf(lowering, id, args.slice(1), fields);
      return none(type);
    }
    case 'join':
      return lowerJoin(lowering, call, type);
    case 'buf':
      return lowerBuffer(lowering, call, type);
    case 'ntop':
      return lowerInet(lowering, call, type);
    case 'strlen':
      return lowerStrlen(lowering, args[0]!, type);
    case 'strncmp':
      return lowerStrncmp(lowering, args[0]!, args[1]!, Number((lowering.lower(args[2]!) as { value: bigint }).value), type);
    case 'strcontains':
      return lowerStrcontains(lowering, args[0]!, args[1]!, type);
  }
  throw new Error(`internal error: ${call.name}() has no code`);
}

function none(type: Type): Lowered {
  return { kind: 'constant', value: 0n, type };
}

function storePid(lowering: ExpressionLowering, offset: number): void {
  const e = lowering.e;
  const pid = e.callHelper('get_current_pid_tgid', [])!;
  const register = e.pool.writable(pid);
  e.emit(alu64('rsh', register, 32));
  e.emit(stx('w', R10, offset, register));
  e.pool.release(pid);
}

/** A stack: { s32 id from bpf_get_stackid, u32 pid } (the pid names the process for user frames). */
function lowerStack(lowering: ExpressionLowering, type: Type): Lowered {
  const e = lowering.e;
  const space = type.kind === 'stack' ? type.space : 'kernel';
  const map = lowering.program.script.useStackMap(space);
  const offset = e.allocate(8);
  const id = e.callHelper('get_stackid', [
    lowering.program.contextArgument(), { kind: 'map', name: map }, { kind: 'immediate', value: space === 'user' ? USER_STACK : 0 },
  ])!;
  e.emit(stx('w', R10, offset, e.pool.read(id)));
  e.pool.release(id);
  if (space === 'user') storePid(lowering, offset + 4);
  else e.emit(st('w', R10, offset + 4, 0));
  return { kind: 'memory', offset, type };
}

/** debugf(): bpf_trace_printk with the format on the stack; the line goes to the kernel trace pipe. */
function lowerDebugf(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const e = lowering.e;
  const format = Buffer.from(`${(call.arguments[0] as { value: string }).value}\0`, 'latin1');
  const values = call.arguments.slice(1).map((argument) => lowering.scalar(argument));
  const size = Math.ceil(format.length / 8) * 8;
  const offset = e.allocate(size);
  storeBytes(e, offset, format, size, R0);
  e.callHelper('trace_printk', [
    { kind: 'stack', offset }, { kind: 'immediate', value: format.length },
    ...values.map((temp) => ({ kind: 'temp' as const, temp })),
  ], true);
  for (const value of values) e.pool.release(value);
  return none(type);
}

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
  program.calls.sendRecord(lowering, record, size);
  return none(type);
}

/** buf(pointer[, length]): { u32 length; bytes } read from user or kernel memory. */
function lowerBuffer(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const e = lowering.e;
  const size = type.kind === 'buffer' ? type.size : 64;
  const offset = e.allocate(4 + size, 4);
  zeroFill(e, offset, 4 + size);
  e.emit(st('w', R10, offset, size));
  const sourceType = lowering.typeOf(call.arguments[0]!);
  if (sourceType.kind === 'string' || sourceType.kind === 'array') {
    // Already in memory (a string or an array value): its first `size` bytes.
    const source = memoryOf(lowering, call.arguments[0]!);
    copyToStack(e, R10, source.offset, offset + 4, size, R0);
    return { kind: 'memory', offset, type };
  }
  const pointer = lowering.scalar(call.arguments[0]!);
  const user = lowering.program.strings.isUserPointer(lowering, lowering.typeOf(call.arguments[0]!));
  e.callHelper(user ? 'probe_read_user' : 'probe_read_kernel', [
    { kind: 'stack', offset: offset + 4 }, { kind: 'immediate', value: size }, { kind: 'temp', temp: pointer },
  ], true);
  e.pool.release(pointer);
  return { kind: 'memory', offset, type };
}

/** ntop(address) for IPv4 as stored by the kernel (network order), or ntop(family, address). */
function lowerInet(lowering: ExpressionLowering, call: CallExpression, type: Type): Lowered {
  const e = lowering.e;
  const offset = e.allocate(24);
  zeroFill(e, offset, 24);
  const [first, second] = call.arguments;
  const addressExpression = second ?? first!;
  if (second) {
    const family = lowering.scalar(first!);
    e.emit(stx('dw', R10, offset, e.pool.read(family)));
    e.pool.release(family);
  } else {
    e.emit(st('dw', R10, offset, 2));
  }
  const address = lowering.scalar(addressExpression);
  e.emit(stx('w', R10, offset + 8, e.pool.read(address)));
  e.pool.release(address);
  return { kind: 'memory', offset, type };
}

/** A register pointing at a memory value (the stack or, in scratch mode, the scratch area). */
function pointerTo(lowering: ExpressionLowering, offset: number): Register {
  const e = lowering.e;
  const register = e.pool.scratchRegister([R0]);
  e.address(register, offset);
  return register;
}

function memoryOf(lowering: ExpressionLowering, expression: Expression): Extract<Lowered, { kind: 'memory' }> {
  const value = lowering.lower(expression);
  if (value.kind !== 'memory') throw new Error('internal error: a string is not in memory');
  return value;
}

/**
 * The text of a string known at compile time: a literal, `probe`, `func`, or str() of one. strlen()
 * of it is a constant; as a loop it would cost a branch per byte (and in a callback the verifier
 * cannot prune the paths of a scan over constant bytes).
 */
function constantText(lowering: ExpressionLowering, expression: Expression): string | undefined {
  if (expression.kind === 'string') return expression.value;
  const name = expression.kind === 'identifier' || (expression.kind === 'call' && expression.arguments.length === 0) ? expression.name : undefined;
  if (name === 'probe') return lowering.program.probe.attachments[0]!.name;
  if (name === 'func') return lowering.program.probe.provider.functionName(lowering.program.probe.context);
  if (expression.kind === 'call' && expression.name === 'str' && expression.arguments.length === 1) {
    const text = constantText(lowering, expression.arguments[0]!);
    const type = lowering.typeOf(expression);
    return text === undefined || type.kind !== 'string' ? undefined : text.slice(0, type.size - 1);
  }
  return undefined;
}

/** strlen(s): bytes before the first NUL (a bounded loop over the string's capacity). */
function lowerStrlen(lowering: ExpressionLowering, expression: Expression, type: Type): Lowered {
  const text = constantText(lowering, expression);
  if (text !== undefined) {
    const end = text.indexOf('\0');
    return { kind: 'constant', value: BigInt(end >= 0 ? end : text.length), type };
  }
  const e = lowering.e;
  const value = memoryOf(lowering, expression);
  const size = sizeOf(value.type);
  const result = e.pool.acquire();
  const pinned = e.pool.pinInPlace();
  const count = e.pool.writable(result);
  const base = pointerTo(lowering, value.offset);
  const top = e.newLabel('strlen');
  const done = e.newLabel('strlend');
  e.emit(mov64(count, 0));
  e.place(top);
  e.emit(jmp('ge', count, size, done));
  e.emit(ldx('b', R0, base, 0));
  e.emit(jmp('eq', R0, 0, done));
  e.emit(alu64('add', count, 1));
  e.emit(alu64('add', base, 1));
  e.emit(ja(top));
  e.place(done);
  e.pool.thaw(pinned);
  return { kind: 'register', temp: result, type };
}

/** strncmp(a, b, n): 0 when the first n bytes (up to a shared NUL) are equal, else 1. */
function lowerStrncmp(lowering: ExpressionLowering, left: Expression, right: Expression, length: number, type: Type): Lowered {
  const e = lowering.e;
  const a = memoryOf(lowering, left);
  const b = memoryOf(lowering, right);
  const limit = Math.min(length, sizeOf(a.type), sizeOf(b.type));
  const result = e.pool.acquire();
  const pinned = e.pool.pinInPlace();
  const register = e.pool.writable(result);
  const other = e.pool.scratchRegister([R0, register]);
  const different = e.newLabel('ne');
  const done = e.newLabel('cmpdone');
  e.emit(mov64(register, 0));
  for (let index = 0; index < limit; index++) {
    e.emit(ldx('b', R0, R10, a.offset + index));
    e.emit(ldx('b', other, R10, b.offset + index));
    e.emit(jmp('ne', R0, other, different));
    e.emit(jmp('eq', R0, 0, done));
  }
  e.emit(ja(done));
  e.place(different);
  e.emit(mov64(register, 1));
  e.place(done);
  e.pool.thaw(pinned);
  return { kind: 'register', temp: result, type };
}

/**
 * strcontains(haystack, needle): whether needle occurs in haystack. A loop over haystack positions
 * with the needle's bytes unrolled inside. The branches are laid out for the verifier, which follows
 * the fall-through first and queues the jump target: the fall-through is always "no match here, try
 * the next position", so its queue grows by one or two states per position (a 1024-byte haystack
 * stays far below its 8192 limit), and a queued state re-entering the loop is pruned at once.
 */
function lowerStrcontains(lowering: ExpressionLowering, haystackExpression: Expression, needleExpression: Expression, type: Type): Lowered {
  const e = lowering.e;
  const haystack = memoryOf(lowering, haystackExpression);
  // A literal needle is compared as immediates; its NUL (and anything after one) ends it.
  const literal = needleExpression.kind === 'string' ? Buffer.from(needleExpression.value, 'latin1') : undefined;
  const literalBytes = literal && literal.subarray(0, literal.includes(0) ? literal.indexOf(0) : literal.length);
  if (literalBytes && literalBytes.length === 0) return { kind: 'constant', value: 1n, type };
  const needle = literalBytes ? undefined : memoryOf(lowering, needleExpression);
  const haystackSize = sizeOf(haystack.type);
  const needleSize = literalBytes ? literalBytes.length : sizeOf(needle!.type);
  const result = e.pool.acquire();
  const start = e.pool.acquire();
  const pinned = e.pool.pinInPlace();
  const found = e.pool.writable(result);
  const position = e.pool.writable(start);
  const outer = e.newLabel('scan');
  const next = e.newLabel('nextstart');
  const yes = e.newLabel('found');
  const done = e.newLabel('scandone');
  e.emit(mov64(found, 0));
  if (needle) {
    // An empty needle is in every string, the empty one included.
    e.emit(ldx('b', R0, R10, needle.offset));
    e.emit(jmp('eq', R0, 0, yes));
  }
  e.emit(mov64(position, 0));
  const cursor = e.pool.scratchRegister([R0, found, position]);
  const byte = e.pool.scratchRegister([R0, found, position, cursor]);
  e.place(outer);
  e.emit(jmp('ge', position, haystackSize, done));
  e.address(cursor, haystack.offset);
  e.emit(alu64('add', cursor, position));
  // The haystack has ended: no match here or later (a needle byte is never NUL).
  e.emit(ldx('b', byte, cursor, 0));
  e.emit(jmp('eq', byte, 0, done));
  let fits = true;
  for (let index = 0; index < needleSize && fits; index++) {
    const matched = e.newLabel('bytematch');
    if (needle && index > 0) {
      e.emit(ldx('b', R0, R10, needle.offset + index));
      e.emit(jmp('eq', R0, 0, yes));
    }
    if (index >= haystackSize) {
      // A needle longer than the haystack's capacity cannot be in it.
      e.emit(ja(done));
      fits = false;
      continue;
    }
    if (index > 0) {
      // Past the haystack's capacity the needle cannot fit, here or later. The position is exact
      // for the verifier, so this check costs it no branch.
      e.emit(mov64(byte, position));
      e.emit(alu64('add', byte, index));
      e.emit(jmp('ge', byte, haystackSize, done));
      e.emit(ldx('b', byte, cursor, index));
    }
    if (literalBytes) {
      e.emit(jmp('eq', byte, literalBytes[index]!, matched));
    } else {
      if (index === 0) e.emit(ldx('b', R0, R10, needle!.offset));
      e.emit(jmp('eq', byte, R0, matched));
    }
    e.emit(ja(next));
    e.place(matched);
  }
  e.emit(ja(yes));
  e.place(next);
  e.emit(alu64('add', position, 1));
  e.emit(ja(outer));
  e.place(yes);
  e.emit(mov64(found, 1));
  e.place(done);
  e.pool.thaw(pinned);
  e.pool.release(start);
  return { kind: 'register', temp: result, type };
}

export { loadConstant, sizeName };
