// `dispatch (selector) { 59: { … } 222, 223: { … } }`: a program array and a tail call. Each case
// body is compiled as its own program of the probe's type, placed in the array at its indices; the
// statement calls bpf_tail_call(ctx, array, selector), which does not return when a program is there
// and falls through to the next statement when none is.
import { MapType, jmp, lddw } from '../bpf/index.js';
import type { DispatchStatement } from '../parser/ast.js';
import type { ExpressionLowering } from './lower-expression.js';
import type { ProgramContext } from './program-context.js';

export function lowerDispatch(program: ProgramContext, lowering: ExpressionLowering, statement: DispatchStatement): void {
  const script = program.script;
  const e = program.e;
  const arrayMap = `tsbpf_tail${script.programArrays.length}`;
  const largest = Math.max(0, ...statement.cases.flatMap((dispatchCase) => dispatchCase.labels.map((label) => Number(label.value))));
  script.programArrays.push({
    name: arrayMap, role: 'program-array', mapType: MapType.PROG_ARRAY, keySize: 4, valueSize: 4, maxEntries: largest + 1, flags: 0, perCpu: false, span: statement.span,
  });
  statement.cases.forEach((dispatchCase, index) => {
    script.lowerTailProgram(program.probe, {
      name: `${arrayMap.replace('tsbpf_', '')}_${index}`,
      body: dispatchCase.body,
      arrayMap,
      indices: dispatchCase.labels.map((label) => Number(label.value)),
    });
  });
  const selector = lowering.scalar(statement.selector);
  // bpf_tail_call takes a u32 index: a wider selector would wrap onto a case, so it falls through.
  const beyond = e.newLabel('nocase');
  const pinned = e.pool.freeze();
  const limit = e.pool.scratchRegister([e.pool.read(selector)]);
  e.emit(lddw(limit, 0xffff_ffffn));
  e.emit(jmp('gt', e.pool.read(selector), limit, beyond));
  e.callHelper('tail_call', [
    { kind: 'register', reg: program.contextRegister() }, { kind: 'map', name: arrayMap }, { kind: 'temp', temp: selector },
  ], true);
  e.place(beyond);
  e.pool.thaw(pinned);
  e.pool.release(selector);
}
