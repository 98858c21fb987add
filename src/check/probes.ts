// Probe resolution: attach points as written → concrete targets (wildcards expanded against tracefs)
// and the context a program body may read. Providers other than these arrive with the probes issue.
import type { AttachPoint } from '../parser/ast.js';
import type { ProbeAttachment } from '../codegen/artifact.js';
import { listTracepoints, readTracepointFormat, TracefsError, type TracepointField } from '../loader/tracefs.js';
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { ProbeContext } from './checked.js';

export interface ResolvedAttachment {
  readonly attachment: ProbeAttachment;
  readonly context: ProbeContext;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

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

/** Expands one attach point; reports a diagnostic and returns [] when it cannot be resolved. */
export function resolveAttachPoint(point: AttachPoint, diagnostics: DiagnosticCollector): ResolvedAttachment[] {
  switch (point.provider) {
    case 'begin':
    case 'end':
      return [{ attachment: { name: point.provider === 'begin' ? 'BEGIN' : 'END', target: { kind: point.provider }, span: point.span }, context: { kind: 'special' } }];
    case 'tracepoint':
      return resolveTracepoint(point.category, point.event, point.wildcard, point, diagnostics);
    case 'rawtracepoint':
      if (point.wildcard) {
        diagnostics.error(point.span, 'wildcards in rawtracepoint names are not supported yet');
        return [];
      }
      return [{ attachment: { name: `rawtracepoint:${point.event}`, target: { kind: 'rawtracepoint', name: point.event }, span: point.span }, context: { kind: 'rawtracepoint' } }];
    default:
      diagnostics.error(point.span, `${point.provider} probes are not supported yet`);
      return [];
  }
}

function resolveTracepoint(category: string, event: string, wildcard: boolean, point: AttachPoint, diagnostics: DiagnosticCollector): ResolvedAttachment[] {
  try {
    let matches: { category: string; name: string }[];
    if (wildcard) {
      tracepointList ??= listTracepoints();
      const categoryPattern = globToRegExp(category);
      const namePattern = globToRegExp(event);
      matches = tracepointList.filter((tp) => categoryPattern.test(tp.category) && namePattern.test(tp.name));
      if (matches.length === 0) {
        diagnostics.error(point.span, `no tracepoint matches ${point.raw}`);
        return [];
      }
    } else {
      matches = [{ category, name: event }];
    }
    return matches.map((tp) => ({
      attachment: { name: `tracepoint:${tp.category}:${tp.name}`, target: { kind: 'tracepoint', category: tp.category, name: tp.name }, span: point.span },
      context: { kind: 'tracepoint', category: tp.category, fields: tracepointFields(tp.category, tp.name) },
    }));
  } catch (error) {
    if (error instanceof TracefsError) {
      diagnostics.error(point.span, error.message);
      return [];
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      diagnostics.error(point.span, `tracepoint not found: ${category}:${event}`, 'list tracepoints with: tsbpf -l \'tracepoint:*\'');
      return [];
    }
    throw error;
  }
}
