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
    case 'profile':
    case 'interval': {
      const timer = timerTarget(point.unit, point.value);
      if (!timer) {
        diagnostics.error(point.span, `${point.provider} needs a positive rate or period`);
        return [];
      }
      const name = `${point.provider}:${timer.unit}:${timer.value}`;
      return [{ attachment: { name, target: { kind: point.provider, ...timer }, span: point.span }, context: { kind: 'perf' } }];
    }
    case 'software':
    case 'hardware': {
      const count = point.count === undefined ? undefined : Number(point.count);
      const name = `${point.provider}:${point.event}:${count ?? ''}`;
      return [{
        attachment: { name, target: { kind: point.provider, event: point.event, ...(count === undefined ? {} : { count }) }, span: point.span },
        context: { kind: 'perf' },
      }];
    }
    case 'uprobe':
    case 'uretprobe': {
      if (point.wildcard) {
        diagnostics.error(point.span, 'wildcards in uprobe targets are not supported yet');
        return [];
      }
      if (!point.target) {
        diagnostics.error(point.span, 'a uprobe needs a binary or library: uprobe:/path/to/binary:function', 'or give -p PID');
        return [];
      }
      const isReturn = point.provider === 'uretprobe';
      const functionName = point.function ?? `0x${(point.address ?? 0n).toString(16)}`;
      const offset = Number(point.address ?? point.offset ?? 0n);
      const name = `${point.provider}:${point.target}:${functionName}${point.offset ? `+${point.offset}` : ''}`;
      return [{
        attachment: { name, target: { kind: 'uprobe', path: point.target, ...(point.function ? { symbol: point.function } : {}), offset, isReturn }, span: point.span },
        context: { kind: 'registers', space: 'user', isReturn, functionName },
      }];
    }
    case 'kprobe':
    case 'kretprobe': {
      const isReturn = point.provider === 'kretprobe';
      const name = `${point.provider}:${point.function}${point.offset ? `+${point.offset}` : ''}`;
      return [{
        attachment: { name, target: { kind: 'kprobe', symbol: point.function, offset: Number(point.offset ?? 0n), isReturn }, span: point.span },
        context: { kind: 'registers', space: 'kernel', isReturn, functionName: point.function },
      }];
    }
    case 'fentry':
    case 'fexit': {
      const isReturn = point.provider === 'fexit';
      return [{
        attachment: { name: `${point.provider}:${point.function}`, target: { kind: 'fentry', symbol: point.function, isReturn }, span: point.span },
        context: { kind: 'rawtracepoint' },
      }];
    }
    default:
      diagnostics.error(point.span, `${point.provider} probes are not supported yet`);
      return [];
  }
}

const nanosecondsPer: Record<string, bigint> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** A timer as the runtime takes it: a rate in hz, or a period in the largest unit that divides it. */
function timerTarget(unit: string, value: bigint): { unit: 'hz' | 'us' | 'ms' | 's'; value: number } | undefined {
  if (value <= 0n) return undefined;
  if (unit === 'hz') return { unit: 'hz', value: Number(value) };
  const ns = value * (nanosecondsPer[unit] ?? 1n);
  if (ns % 1_000_000_000n === 0n) return { unit: 's', value: Number(ns / 1_000_000_000n) };
  if (ns % 1_000_000n === 0n) return { unit: 'ms', value: Number(ns / 1_000_000n) };
  return { unit: 'us', value: Math.max(1, Number(ns / 1_000n)) };
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
