// BEGIN and END: not attached anywhere. The session runs each BEGIN program once (BPF_PROG_TEST_RUN)
// after attaching the others, and each END program when it stops, in the order the script has them.
import { AttachError, type PointOf, type Provider, type TargetOf } from './provider.js';

export const specialProvider: Provider<PointOf<'begin' | 'end'>, TargetOf<'begin' | 'end'>> = {
  resolve(point) {
    const name = point.provider === 'begin' ? 'BEGIN' : 'END';
    return [{ attachment: { name, target: { kind: point.provider }, span: point.span }, context: { kind: 'special' } }];
  },
  attach(_program, name) {
    throw new AttachError(`${name}: BEGIN/END programs are run, not attached`);
  },
};
