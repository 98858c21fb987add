// is_err(ptr): whether a pointer is an ERR_PTR, a kernel error code in the top 4095 addresses
// (`(int64)ptr < 0 && (int64)ptr >= -4095`, the kernel's IS_ERR()).
import { jmp, mov64 } from '../bpf/index.js';
import { booleanType } from '../model/types.js';
import { arity, needInteger } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

/** MAX_ERRNO: error pointers are -1 … -4095. */
const MAX_ERRNO = 4095;

export const isErr: FunctionRecord = {
  name: 'is_err',
  check(context, call) {
    if (arity(context, call, 1, 1)) needInteger(context, call, 0);
    return booleanType;
  },
  lower(lowering, call, type) {
    const e = lowering.e;
    const value = lowering.toTemp(lowering.lower(call.arguments[0]!));
    const result = e.pool.acquire();
    const target = e.pool.writable(result);
    const done = e.newLabel('iserr');
    e.emit(mov64(target, 1));
    // Unsigned: above -(MAX_ERRNO + 1) as a 64-bit value (the immediate is sign-extended).
    e.emit(jmp('gt', e.pool.read(value, e.pool.scratchRegister([target])), -(MAX_ERRNO + 1), done));
    e.emit(mov64(target, 0));
    e.place(done);
    e.pool.release(value);
    return { kind: 'register', temp: result, type };
  },
};
