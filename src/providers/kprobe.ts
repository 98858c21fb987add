// kprobe:FUNCTION[+OFFSET] and kretprobe:FUNCTION — a dynamic probe on a kernel function, reading
// `struct pt_regs`. Attached through the kprobe PMU, or tracefs's kprobe_events on kernels without
// one. A kernel with neither (built without CONFIG_KPROBES, like this project's VMs) is reported at
// compile time, at the attach point, with the nearest tracepoint as the way forward.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp, isGlob } from '../btf/glob.js';
import { tracefsRoot, TracefsError } from '../loader/tracefs.js';
import type { Host } from '../model/host.js';
import type { AttachPointReader } from '../model/provider-syntax.js';
import { splitOffset } from '../parser/attach-points.js';
import { AttachError, type ProviderListing, type ProviderRecord, type ResolvedAttachment } from '../model/provider.js';
import { ptRegsRules } from './context-rules.js';
import { attachKprobeEvent } from './kprobe-events.js';
import { attachPmuProbe } from './probe-pmu.js';
import type { PointOf, TargetOf } from './provider.js';
import { tracepointHint } from './tracepoint-suggestions.js';

/** `kprobe:[module:]function[+offset]`, `kretprobe:[module:]function` */
interface KprobeFields {
  module?: string;
  function: string;
  offset?: bigint;
}

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    kprobe: KprobeFields;
    kretprobe: KprobeFields;
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    kprobe: { symbol: string; offset: number; isReturn: boolean };
  }
}

function readKprobe(fields: AttachPointReader): KprobeFields | undefined {
  const texts = fields.texts;
  if (texts.length !== 1 && texts.length !== 2) return fields.wrongShape();
  const module = texts.length === 2 ? texts[0]! : undefined;
  const { name, offset } = splitOffset(texts[texts.length - 1]!);
  if (offset !== undefined && fields.provider === 'kretprobe') return fields.fail('a kretprobe cannot have an offset', texts.length - 1);
  return {
    ...(module === undefined ? {} : { module }),
    function: name,
    ...(offset === undefined ? {} : { offset }),
  };
}

const NO_KPROBES = 'this kernel cannot attach kprobes: it has no kprobe PMU and no tracefs kprobe_events (it was built without CONFIG_KPROBES)';

export const kprobeProvider: ProviderRecord<PointOf<'kprobe' | 'kretprobe'>, TargetOf<'kprobe'>> = {
  providers: ['kprobe', 'kretprobe'],
  syntax: [
    { name: 'kprobe', spellings: ['kprobe', 'k'], usage: 'kprobe:[module:]function[+offset]', read: readKprobe },
    { name: 'kretprobe', spellings: ['kretprobe', 'kr'], usage: 'kretprobe:[module:]function', read: readKprobe },
  ],
  targets: ['kprobe'],
  filtersTargetPid: true,
  listedByDefault: ['kprobe'],
  listRank: 7,
  attachesInReverse: true,
  ...ptRegsRules,
  resolve(point, { diagnostics, host }) {
    const isReturn = point.provider === 'kretprobe';
    if (!host.dynamicPmu('kprobe') && !host.kprobeEventsFile()) {
      diagnostics.error(point.span, `${point.raw}: ${NO_KPROBES}`, tracepointHint(host, point.function, isReturn));
      return [];
    }
    const known = host.kernelFunctions();
    let functions: readonly string[];
    if (isGlob(point.function)) {
      const pattern = globToRegExp(point.function);
      functions = known.filter((name) => pattern.test(name));
      if (functions.length === 0) {
        diagnostics.error(point.span, `no kernel function matches ${point.raw}`);
        return [];
      }
    } else {
      if (known.length > 0 && !known.includes(point.function) && point.module === undefined) {
        diagnostics.error(point.span, `kernel function not found: ${point.function}`, tracepointHint(host, point.function, isReturn));
        return [];
      }
      functions = [point.function];
    }
    const offset = Number(point.offset ?? 0n);
    return functions.map((name): ResolvedAttachment => {
      const symbol = point.module === undefined ? name : `${point.module}:${name}`;
      return {
        attachment: {
          name: `${point.provider}:${symbol}${offset ? `+${offset}` : ''}`,
          target: { kind: 'kprobe', symbol, offset, isReturn },
          span: point.span,
        },
        context: { kind: 'registers', space: 'kernel', isReturn, functionName: name },
      };
    });
  },
  list: kprobeListing,
  unattachable: (_target, host) => (host.dynamicPmu('kprobe') || host.kprobeEventsFile() ? undefined : NO_KPROBES),
  attach(program, name, target, own, host) {
    const pmu = host.dynamicPmu('kprobe');
    if (pmu) {
      own(attachPmuProbe(program, { pmu, target: target.symbol, offset: target.offset, isReturn: target.isReturn }, name));
      return;
    }
    const eventsFile = host.kprobeEventsFile();
    if (!eventsFile) throw new AttachError(`${name}: ${NO_KPROBES}`);
    own(attachKprobeEvent(program, name, target.symbol, target.offset, target.isReturn, eventsFile));
  },
};

/** -l: tracefs's available_filter_functions, when this kernel can attach kprobes at all. */
function kprobeListing(provider: 'kprobe' | 'kretprobe', host: Host): ProviderListing {
  let tracefs: string;
  try {
    tracefs = tracefsRoot();
  } catch (error) {
    if (error instanceof TracefsError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
  if (!host.dynamicPmu('kprobe') && !host.kprobeEventsFile()) {
    return { kind: 'unavailable', reason: `${provider} probes are unavailable on this kernel: it has no kprobe PMU and no kprobe_events (CONFIG_KPROBES is off)` };
  }
  const path = join(tracefs, 'available_filter_functions');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { kind: 'unavailable', reason: `${provider} probes cannot be listed: reading ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const lines = new Set<string>();
  for (const entry of text.split('\n')) {
    // `function [module]`; `.part.N` clones cannot be probed by name.
    const match = /^(\S+)(?:\s+\[(\S+)\])?/.exec(entry);
    if (!match || match[1]!.includes('.part.')) continue;
    lines.add(match[2] ? `${provider}:${match[2]}:${match[1]}` : `${provider}:${match[1]}`);
  }
  return { kind: 'probes', probes: [...lines].map((line) => ({ line })) };
}
