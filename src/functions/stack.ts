// kstack and ustack (also written without parentheses), with an optional mode (bpftrace, perf, raw)
// and depth: a stack id from bpf_get_stackid, symbolized by userspace from the stack map.
import { R10, st, stx } from '../bpf/index.js';
import { DEFAULT_STACK_LIMIT, sizeOf, type Type } from '../model/types.js';
import { arity, type CallRule } from '../check/call-rule.js';
import { storeProcessId } from '../codegen/calls.js';
import type { ExpressionLowering, Lowered } from '../codegen/lower-expression.js';
import type { FunctionRecord } from './record.js';

/** get_stackid flag: capture the user stack. */
const USER_STACK = 1 << 8;

type StackMode = 'bpftrace' | 'perf' | 'raw';

function stackType(space: 'kernel' | 'user', mode: StackMode, limit: number): Type {
  return { kind: 'stack', space, limit, mode };
}

function checkStack(space: 'kernel' | 'user'): CallRule {
  return (context, call) => {
    if (!arity(context, call, 0, 2)) return stackType(space, 'bpftrace', DEFAULT_STACK_LIMIT);
    let mode: StackMode = 'bpftrace';
    let limit = DEFAULT_STACK_LIMIT;
    for (const argument of call.arguments) {
      const word = context.word(argument);
      if (word !== undefined) {
        if (word !== 'bpftrace' && word !== 'perf' && word !== 'raw') context.diagnostics.error(argument.span, `unknown stack mode '${word}': use bpftrace, perf or raw`);
        else mode = word;
        continue;
      }
      const value = context.constantInteger(argument);
      if (value === undefined || value < 1n || value > BigInt(DEFAULT_STACK_LIMIT)) {
        context.diagnostics.error(argument.span, `${call.name}() depth must be a constant from 1 to ${DEFAULT_STACK_LIMIT}`);
      } else {
        limit = Number(value);
      }
    }
    return stackType(space, mode, limit);
  };
}

export const kstack: FunctionRecord = { name: 'kstack', bare: true, check: checkStack('kernel'), lower: (lowering, _call, type) => lowerStack(lowering, type) };
export const ustack: FunctionRecord = { name: 'ustack', bare: true, check: checkStack('user'), lower: (lowering, _call, type) => lowerStack(lowering, type) };

/**
 * A stack: the s32 id from bpf_get_stackid, then 4 zero bytes (kstack) or, for user frames, the u32
 * pid whose memory map names them, the u32 user code number (ScriptContext.userCodeNumber: the binary
 * that names them once the process is gone) and 4 zero bytes.
 */
function lowerStack(lowering: ExpressionLowering, type: Type): Lowered {
  const e = lowering.e;
  const space = type.kind === 'stack' ? type.space : 'kernel';
  const map = lowering.program.script.useStackMap(space);
  const offset = e.allocate(sizeOf(type));
  const id = e.callHelper('get_stackid', [
    lowering.program.contextArgument(), { kind: 'map', name: map }, { kind: 'immediate', value: space === 'user' ? USER_STACK : 0 },
  ])!;
  e.emit(stx('w', R10, offset, e.pool.read(id)));
  e.pool.release(id);
  if (space === 'user') {
    storeProcessId(lowering, offset + 4);
    e.emit(st('w', R10, offset + 8, lowering.program.script.userCodeNumber(lowering.program.probe)));
    e.emit(st('w', R10, offset + 12, 0));
  } else {
    e.emit(st('w', R10, offset + 4, 0));
  }
  return { kind: 'memory', offset, type };
}
