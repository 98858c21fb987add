// BEGIN and END: not attached anywhere. The session runs each BEGIN program once (BPF_PROG_TEST_RUN)
// after attaching the others, and each END program when it stops, in the order the script has them.
import type { AttachPointReader } from '../model/provider-syntax.js';
import { AttachError, type ProviderRecord } from '../model/provider.js';
import { specialRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    begin: {};
    end: {};
  }
}

/** BEGIN and END take no fields. */
const noFields = (fields: AttachPointReader): {} | undefined =>
  fields.texts.length > 0 ? fields.fail(`${fields.spelling} takes no arguments`) : {};

export const specialProvider: ProviderRecord<PointOf<'begin' | 'end'>, TargetOf<'begin' | 'end'>> = {
  providers: ['begin', 'end'],
  syntax: [
    { name: 'begin', spellings: ['BEGIN', 'begin'], usage: 'BEGIN', read: noFields },
    { name: 'end', spellings: ['END', 'end'], usage: 'END', read: noFields },
  ],
  targets: ['begin', 'end'],
  listedByDefault: ['begin', 'end'],
  listRank: 1,
  ...specialRules,
  // `probe` names it as the script spells it (`BEGIN` or `begin`), as issue 14 asks; today's
  // bpftrace prints `begin` for both.
  resolve(point) {
    const name = point.providerSpelling;
    return [{ attachment: { name, target: { kind: point.provider }, span: point.span }, context: { kind: 'special' } }];
  },
  list: (provider) => ({ kind: 'probes', probes: [{ line: provider === 'begin' ? 'BEGIN' : 'END' }] }),
  unattachable: () => undefined,
  attach(_program, name) {
    throw new AttachError(`${name}: BEGIN/END programs are run, not attached`);
  },
};
