// watchpoint, asyncwatchpoint and iter: spelled by the parser, refused at their attach point.
import { providerSyntax } from '../model/provider-syntax.js';
import { AttachError, type ProviderRecord } from '../model/provider.js';
import { specialRules } from './context-rules.js';
import type { PointOf } from './provider.js';

export const unsupportedProvider: ProviderRecord<PointOf<'watchpoint' | 'asyncwatchpoint' | 'iter'>, never> = {
  providers: ['watchpoint', 'asyncwatchpoint', 'iter'],
  syntax: [providerSyntax.watchpoint, providerSyntax.asyncwatchpoint, providerSyntax.iter],
  targets: [],
  listedByDefault: [],
  ...specialRules,
  resolve(point, { diagnostics }) {
    diagnostics.error(point.span, `${point.provider} probes are not supported yet`);
    return [];
  },
  list: (provider) => ({
    kind: 'unlisted',
    reason: provider === 'iter' ? 'iter probes are not supported by tsbpf yet' : `${provider} probes name an address; there is nothing to list`,
  }),
  unattachable: () => undefined,
  attach(_program, name) {
    throw new AttachError(`${name}: this probe kind is not supported yet`);
  },
};
