// tracepoint:category:name — the record layout from tracefs's `format` file is the context; wildcards
// expand against tracefs's events/ directory. Attached as a perf event on CPU 0 (the program runs on
// every CPU: it is attached to the tracepoint, not to the event).
import { globToRegExp } from '../btf/glob.js';
import { attachTracepoint } from '../loader/attach.js';
import { listTracepoints, readTracepointFormat, TracefsError } from '../loader/tracefs.js';
import { type TracepointField } from '../model/probe.js';
import type { PointOf, Provider, ResolvedAttachment, TargetOf } from './provider.js';

let tracepointList: { category: string; name: string }[] | undefined;
const formatCache = new Map<string, readonly TracepointField[]>();

function tracepointFields(category: string, name: string): readonly TracepointField[] {
  const key = `${category}:${name}`;
  let fields = formatCache.get(key);
  if (!fields) {
    fields = readTracepointFormat(category, name).fields;
    formatCache.set(key, fields);
  }
  return fields;
}

/** Every tracepoint under tracefs (read once per process), for wildcards and suggestions. */
export function allTracepoints(): readonly { category: string; name: string }[] {
  tracepointList ??= listTracepoints();
  return tracepointList;
}

/** Whether `category:name` exists; false also when tracefs is unavailable. */
export function tracepointExists(category: string, name: string): boolean {
  try {
    return allTracepoints().some((tracepoint) => tracepoint.category === category && tracepoint.name === name);
  } catch {
    return false;
  }
}

export const tracepointProvider: Provider<PointOf<'tracepoint'>, TargetOf<'tracepoint'>> = {
  resolve(point, { diagnostics }) {
    const { category, event } = point;
    try {
      let matches: readonly { category: string; name: string }[];
      if (point.wildcard) {
        const categoryPattern = globToRegExp(category);
        const namePattern = globToRegExp(event);
        matches = allTracepoints().filter((tp) => categoryPattern.test(tp.category) && namePattern.test(tp.name));
        if (matches.length === 0) {
          diagnostics.error(point.span, `no tracepoint matches ${point.raw}`, `list them with: tsbpf -l 'tracepoint:${category}:*'`);
          return [];
        }
      } else {
        matches = [{ category, name: event }];
      }
      return matches.map((tp): ResolvedAttachment => ({
        attachment: { name: `tracepoint:${tp.category}:${tp.name}`, target: { kind: 'tracepoint', category: tp.category, name: tp.name }, span: point.span },
        context: { kind: 'tracepoint', category: tp.category, fields: tracepointFields(tp.category, tp.name) },
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
  attach(program, name, target, own) {
    own(attachTracepoint(program, target.category, target.name));
  },
};
