// tracepoint:category:name — the record layout from tracefs's `format` file is the context; wildcards
// expand against tracefs's events/ directory. Attached as a perf event on CPU 0 (the program runs on
// every CPU: it is attached to the tracepoint, not to the event).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp } from '../btf/glob.js';
import { attachTracepoint } from '../loader/attach.js';
import { tracefsRoot, TracefsError } from '../loader/tracefs.js';
import type { Host, TracepointName } from '../model/host.js';
import type { ProviderListing, ProviderRecord, ResolvedAttachment } from '../model/provider.js';
import { tracepointRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';

/** Whether `category:name` exists; false also when tracefs is unavailable. */
export function tracepointExists(host: Host, category: string, name: string): boolean {
  try {
    return host.tracepoints().some((tracepoint) => tracepoint.category === category && tracepoint.name === name);
  } catch {
    return false;
  }
}

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    /** `tracepoint:category:event` */
    tracepoint: { category: string; event: string };
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    tracepoint: { category: string; name: string };
  }
}

export const tracepointProvider: ProviderRecord<PointOf<'tracepoint'>, TargetOf<'tracepoint'>> = {
  providers: ['tracepoint'],
  syntax: [{
    name: 'tracepoint', spellings: ['tracepoint', 't'], usage: 'tracepoint:category:event',
    read: (fields) => (fields.texts.length === 2 ? { category: fields.texts[0]!, event: fields.texts[1]! } : fields.wrongShape()),
  }],
  targets: ['tracepoint'],
  filtersTargetPid: true,
  listedByDefault: ['tracepoint'],
  listRank: 2,
  ...tracepointRules,
  resolve(point, { diagnostics, host }) {
    const { category, event } = point;
    try {
      let matches: readonly TracepointName[];
      if (point.wildcard) {
        const categoryPattern = globToRegExp(category);
        const namePattern = globToRegExp(event);
        matches = host.tracepoints().filter((tp) => categoryPattern.test(tp.category) && namePattern.test(tp.name));
        if (matches.length === 0) {
          diagnostics.error(point.span, `no tracepoint matches ${point.raw}`, `list them with: tsbpf -l 'tracepoint:${category}:*'`);
          return [];
        }
      } else {
        matches = [{ category, name: event }];
      }
      return matches.map((tp): ResolvedAttachment => ({
        attachment: { name: `tracepoint:${tp.category}:${tp.name}`, target: { kind: 'tracepoint', category: tp.category, name: tp.name }, span: point.span },
        context: { kind: 'tracepoint', category: tp.category, fields: host.tracepointFields(tp.category, tp.name) },
      }));
    } catch (error) {
      if (error instanceof TracefsError) {
        const notFound = error.message.startsWith('tracepoint not found');
        diagnostics.error(point.span, error.message, notFound ? `list tracepoints with: tsbpf -l 'tracepoint:*${event}*'` : undefined);
        return [];
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined) {
        diagnostics.error(point.span, `cannot list tracepoints under tracefs (${code})`);
        return [];
      }
      throw error;
    }
  },
  list: tracepointListing,
  unattachable: () => undefined,
  attach(program, _name, target, own) {
    own(attachTracepoint(program, target.category, target.name));
  },
};

/** -l: the events tracefs offers, with their fields after the common ones as arguments (-lv). */
function tracepointListing(_provider: 'tracepoint', host: Host): ProviderListing {
  let events: readonly TracepointName[];
  try {
    events = availableEvents() ?? host.tracepoints();
  } catch (error) {
    if (error instanceof TracefsError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
  return {
    kind: 'probes',
    probes: events.map(({ category, name }) => ({
      line: `tracepoint:${category}:${name}`,
      arguments: () => listedArguments(host, category, name),
    })),
  };
}

/**
 * `available_events` names the events that can be enabled, which leaves out ftrace's internal
 * records (ftrace:function, …) that have directories under events/ but cannot be attached to.
 */
function availableEvents(): TracepointName[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(tracefsRoot(), 'available_events'), 'utf8');
  } catch (error) {
    if (error instanceof TracefsError) throw error;
    return undefined;
  }
  const events = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) events.push({ category: line.slice(0, colon), name: line.slice(colon + 1).trim() });
  }
  return events;
}

function listedArguments(host: Host, category: string, name: string): readonly string[] {
  try {
    return host.tracepointFields(category, name).filter((field) => !field.common).map((field) => field.declaration);
  } catch (error) {
    // Some events (ftrace's own) have no readable format; list them without arguments.
    if (error instanceof TracefsError) return [];
    throw error;
  }
}
