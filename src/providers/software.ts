// software:EVENT[:COUNT] — a kernel software counter (cpu-clock, page-faults, context-switches, …) on
// every CPU, running the program once every COUNT events (bpftrace's default periods).
import { softwareEventAttr, SoftwareEvent } from '../loader/attr/perf-event-attr.js';
import type { AttachPointReader } from '../model/provider-syntax.js';
import { AttachError, type ProviderRecord } from '../model/provider.js';
import { readNumber } from '../parser/attach-points.js';
import { perfRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';
import { attachPerfEventOn } from './timer.js';

/** bpftrace's software event names (and aliases) with their default sample periods. */
export const softwareEvents: Readonly<Record<string, { readonly config: number; readonly defaultCount: number }>> = {
  'cpu-clock': { config: SoftwareEvent.CPU_CLOCK, defaultCount: 1_000_000 },
  cpu: { config: SoftwareEvent.CPU_CLOCK, defaultCount: 1_000_000 },
  'task-clock': { config: SoftwareEvent.TASK_CLOCK, defaultCount: 1_000_000 },
  'page-faults': { config: SoftwareEvent.PAGE_FAULTS, defaultCount: 100 },
  faults: { config: SoftwareEvent.PAGE_FAULTS, defaultCount: 100 },
  'context-switches': { config: SoftwareEvent.CONTEXT_SWITCHES, defaultCount: 1_000 },
  cs: { config: SoftwareEvent.CONTEXT_SWITCHES, defaultCount: 1_000 },
  'cpu-migrations': { config: SoftwareEvent.CPU_MIGRATIONS, defaultCount: 1 },
  'minor-faults': { config: SoftwareEvent.PAGE_FAULTS_MIN, defaultCount: 100 },
  'major-faults': { config: SoftwareEvent.PAGE_FAULTS_MAJ, defaultCount: 1 },
  'alignment-faults': { config: SoftwareEvent.ALIGNMENT_FAULTS, defaultCount: 1 },
  'emulation-faults': { config: SoftwareEvent.EMULATION_FAULTS, defaultCount: 1 },
  dummy: { config: SoftwareEvent.DUMMY, defaultCount: 1 },
  'bpf-output': { config: SoftwareEvent.BPF_OUTPUT, defaultCount: 1 },
};

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    /** `software:event[:count]`: one sample in `count` events. */
    software: { event: string; count?: bigint };
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    /** `pid`: -p, the only process counted (bpftrace opens the perf events with it). */
    software: { event: string; count?: number; pid?: number };
  }
}

/** `software:event[:count]` and `hardware:event[:count]`. */
export function readPerfEvent(fields: AttachPointReader): { event: string; count?: bigint } | undefined {
  const texts = fields.texts;
  if (texts.length !== 1 && texts.length !== 2) return fields.wrongShape();
  if (texts.length === 1) return { event: texts[0]! };
  const count = readNumber(texts[1]!);
  if (count === undefined) return fields.fail(`expected a count, found '${texts[1]}'`, 1);
  return { event: texts[0]!, count };
}

export const softwareProvider: ProviderRecord<PointOf<'software'>, TargetOf<'software'>> = {
  providers: ['software'],
  syntax: [{ name: 'software', spellings: ['software', 's'], usage: 'software:event[:count]', read: readPerfEvent }],
  targets: ['software'],
  listedByDefault: ['software'],
  listRank: 4,
  parameterized: true,
  ...perfRules,
  resolve(point, { diagnostics, targetPid }) {
    if (!softwareEvents[point.event]) {
      diagnostics.error(point.span, `unknown software event '${point.event}'`, `known events: ${Object.keys(softwareEvents).join(', ')}`);
      return [];
    }
    const count = point.count === undefined ? undefined : Number(point.count);
    if (count !== undefined && count <= 0) {
      diagnostics.error(point.span, 'the sample count must be positive');
      return [];
    }
    return [{
      attachment: { name: `software:${point.event}:${count ?? ''}`, target: { kind: 'software', event: point.event, ...(count === undefined ? {} : { count }), ...(targetPid === undefined ? {} : { pid: targetPid }) }, span: point.span },
      context: { kind: 'perf' },
    }];
  },
  list: () => ({ kind: 'probes', probes: Object.keys(softwareEvents).map((name) => ({ line: `software:${name}:` })) }),
  unattachable: () => undefined,
  attach(program, name, target, own, host) {
    const event = softwareEvents[target.event];
    if (!event) throw new AttachError(`${name}: unknown software event '${target.event}'`);
    const attr = softwareEventAttr(event.config, { period: target.count ?? event.defaultCount });
    for (const cpu of host.onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu, target.pid));
  },
};
