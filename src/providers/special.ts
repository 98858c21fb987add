// BEGIN and END: not attached anywhere. The session runs each BEGIN program once (BPF_PROG_TEST_RUN)
// after attaching the others, and each END program when it stops, in the order the script has them.
import { providerSyntax } from '../model/provider-syntax.js';
import { AttachError, type ProviderRecord } from '../model/provider.js';
import { specialRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';

export const specialProvider: ProviderRecord<PointOf<'begin' | 'end'>, TargetOf<'begin' | 'end'>> = {
  providers: ['begin', 'end'],
  syntax: [providerSyntax.begin, providerSyntax.end],
  targets: ['begin', 'end'],
  listedByDefault: ['begin', 'end'],
  ...specialRules,
  resolve(point) {
    const name = point.provider === 'begin' ? 'BEGIN' : 'END';
    return [{ attachment: { name, target: { kind: point.provider }, span: point.span }, context: { kind: 'special' } }];
  },
  list: (provider) => ({ kind: 'probes', probes: [{ line: provider === 'begin' ? 'BEGIN' : 'END' }] }),
  unattachable: () => undefined,
  attach(_program, name) {
    throw new AttachError(`${name}: BEGIN/END programs are run, not attached`);
  },
};
