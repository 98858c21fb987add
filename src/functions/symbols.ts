// ksym(address) and usym(address): an address that userspace prints as a symbol name (usym also
// records the pid, whose memory maps name the user address, and the user code number, whose binary
// names it once the process is gone: see ScriptContext.userCodeNumber).
import { R10, st, stx } from '../bpf/index.js';
import { sizeOf } from '../model/types.js';
import { arity, needInteger, type CallRule } from '../check/call-rule.js';
import { storeProcessId, type CallLowering } from '../codegen/calls.js';
import type { FunctionRecord } from './record.js';

function checkSymbol(space: 'kernel' | 'user'): CallRule {
  return (context, call) => {
    if (arity(context, call, 1, 1)) needInteger(context, call, 0);
    return { kind: 'symbol', space };
  };
}

function lowerSymbol(space: 'kernel' | 'user'): CallLowering {
  return (lowering, call, type) => {
    const e = lowering.e;
    const offset = e.allocate(sizeOf(type));
    const address = lowering.scalar(call.arguments[0]!);
    e.emit(stx('dw', R10, offset, e.pool.read(address)));
    e.pool.release(address);
    if (space === 'user') {
      storeProcessId(lowering, offset + 8);
      e.emit(st('w', R10, offset + 12, lowering.program.script.userCodeNumber(lowering.program.probe)));
    }
    return { kind: 'memory', offset, type };
  };
}

export const ksym: FunctionRecord = { name: 'ksym', check: checkSymbol('kernel'), lower: lowerSymbol('kernel') };
export const usym: FunctionRecord = { name: 'usym', check: checkSymbol('user'), lower: lowerSymbol('user') };
