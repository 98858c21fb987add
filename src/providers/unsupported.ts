// watchpoint, asyncwatchpoint and iter: spelled by the parser, refused at their attach point.
import type { AttachPointReader } from '../model/provider-syntax.js';
import { readNumber } from '../parser/attach-points.js';
import { AttachError, type ProviderRecord } from '../model/provider.js';
import { specialRules } from './context-rules.js';
import type { PointOf } from './provider.js';

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    /** `watchpoint:address:length:mode`: `target` is an address or `function+argN` as written, `mode` some of r, w, x. */
    watchpoint: WatchpointFields;
    asyncwatchpoint: WatchpointFields;
    /** `iter:object[:pin]`, e.g. `iter:task`. */
    iter: { object: string; pin?: string };
  }
}

interface WatchpointFields {
  target: string;
  length: bigint;
  mode: string;
}

function readWatchpoint(fields: AttachPointReader): WatchpointFields | undefined {
  const texts = fields.texts;
  if (texts.length !== 3) return fields.wrongShape();
  const length = readNumber(texts[1]!);
  if (length === undefined) return fields.fail(`expected a length, found '${texts[1]}'`, 1);
  if (!/^[rwx]+$/.test(texts[2]!)) return fields.fail(`expected a mode made of r, w and x, found '${texts[2]}'`, 2);
  return { target: texts[0]!, length, mode: texts[2]! };
}

export const unsupportedProvider: ProviderRecord<PointOf<'watchpoint' | 'asyncwatchpoint' | 'iter'>, never> = {
  providers: ['watchpoint', 'asyncwatchpoint', 'iter'],
  syntax: [
    { name: 'watchpoint', spellings: ['watchpoint', 'w'], usage: 'watchpoint:address:length:mode', read: readWatchpoint },
    { name: 'asyncwatchpoint', spellings: ['asyncwatchpoint', 'aw'], usage: 'asyncwatchpoint:address:length:mode', read: readWatchpoint },
    {
      name: 'iter', spellings: ['iter', 'it'], usage: 'iter:object[:pin]',
      read(fields) {
        const texts = fields.texts;
        if (texts.length === 1) return { object: texts[0]! };
        if (texts.length === 2) return { object: texts[0]!, pin: texts[1]! };
        return fields.wrongShape();
      },
    },
  ],
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
