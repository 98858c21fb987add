// assert(cond, msg): when `cond` is false, bpftrace's stdlib macro runs errorf("assert failed: %s",
// msg) and exit(1). The message is located as bpftrace locates it: at that errorf in its
// stdlib/base.bt, expanded from the assert() call (with its source line); the run ends with status 1.
import type { SourceSpan } from '../diagnostics/span.js';
import type { CallExpression } from '../parser/ast.js';
import { isScalar, noneType, typeName } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { emitRecordOf, idOnly, noValue } from '../codegen/calls.js';
import { lowerFormatRecord } from './format-arguments.js';
import type { FunctionRecord } from './record.js';

const format = 'assert failed: %s';

/** Where bpftrace's assert macro calls errorf: stdlib/base.bt line 6, columns 5 to 37. */
const macroErrorf: SourceSpan = { file: 'stdlib/base.bt', line: 6, column: 5, offset: 0, length: 32 };

export const assert: FunctionRecord = {
  name: 'assert',
  check(context, call) {
    if (!arity(context, call, 2, 2)) return noneType;
    const condition = context.expression(call.arguments[0]!);
    if (!isScalar(condition)) context.diagnostics.error(call.arguments[0]!.span, `assert() needs a condition here, not ${typeName(condition)}`);
    needString(context, call, 1);
    return noneType;
  },
  lower(lowering, call, type) {
    const e = lowering.e;
    const holds = e.newLabel('assert_holds');
    lowering.branchIfTrue(call.arguments[0]!, holds);
    // errorf(format, msg): the format literal is only read as text; the message is the script's.
    const errorf: CallExpression = { ...call, name: 'errorf', arguments: [{ kind: 'string', value: format, span: call.span }, call.arguments[1]!] } as CallExpression;
    lowerFormatRecord(lowering, errorf, 'errorf', { locations: [macroErrorf, call.span] });
    const exitId = lowering.program.script.addAction((id) => ({ kind: 'exit', id, code: 1, size: idOnly.size }));
    emitRecordOf(lowering, exitId, [], idOnly);
    lowering.program.leaveProbe();
    e.place(holds);
    // The probe goes on past an assertion that holds.
    lowering.program.takeLeft();
    return noValue(type);
  },
};
