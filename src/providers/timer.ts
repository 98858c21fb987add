// profile:UNIT:N and interval:UNIT:N — a CPU clock perf event running the program. profile opens one
// event per online CPU and samples by frequency for `hz` (idle CPUs may then give no samples);
// interval opens one, on CPU 0, and always counts by period, so that it fires exactly N times a second.
import { attachPerfEvent, openPerfEvent, type ProgramHandle, type Attachment } from '../loader/attach.js';
import { softwareEventAttr, SoftwareEvent, type PerfEventAttr } from '../loader/attr/perf-event-attr.js';
import type { AttachPointReader } from '../model/provider-syntax.js';
import { readNumber } from '../parser/attach-points.js';
import type { ProviderRecord } from '../model/provider.js';
import { perfRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';

export type TimerUnit = 'hz' | 'us' | 'ms' | 's';

/** A unit as a script may write it; a bare number (`interval:100`) has unit `ns`. */
type WrittenUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'd' | 'hz';

/** `interval:s:1`, `interval:1s`, `profile:hz:99`: `value` is a period in `unit`, or a frequency when the unit is `hz`. */
interface TimerFields {
  unit: WrittenUnit;
  value: bigint;
}

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    interval: TimerFields;
    profile: TimerFields;
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    /** `pid`: -p, the only process sampled (bpftrace opens the perf events with it). */
    profile: { unit: TimerUnit; value: number; pid?: number };
    interval: { unit: TimerUnit; value: number };
  }
}

const writtenUnits: ReadonlySet<string> = new Set<WrittenUnit>(['ns', 'us', 'ms', 's', 'm', 'h', 'd', 'hz']);

function readTimer(fields: AttachPointReader): TimerFields | undefined {
  const { provider, texts } = fields;
  if (fields.wildcard) return fields.fail(`wildcards are not allowed in ${provider} probes`);
  if (texts.length === 2) {
    const unit = texts[0]!;
    if (!writtenUnits.has(unit)) return fields.fail(`unknown unit '${unit}' in ${provider} probe`, 0, 'units are ns, us, ms, s, m, h, d and hz');
    const value = readNumber(texts[1]!);
    if (value === undefined) return fields.fail(`expected a number, found '${texts[1]}'`, 1);
    return { unit: unit as WrittenUnit, value };
  }
  if (texts.length === 1) {
    const match = /^([0-9][0-9_]*)([a-z]*)$/.exec(texts[0]!);
    const unit = match?.[2] === '' ? 'ns' : match?.[2];
    if (!match || unit === undefined || !writtenUnits.has(unit)) {
      return fields.fail(`expected a period such as 1s or 100ms, found '${texts[0]}'`, 0, `expected ${fields.usage}`);
    }
    return { unit: unit as WrittenUnit, value: BigInt(match[1]!.replace(/_/g, '')) };
  }
  return fields.wrongShape();
}

const nanosecondsPer: Record<string, bigint> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };
const nsPerUnit = { us: 1_000, ms: 1_000_000, s: 1_000_000_000 } as const;

/** A timer as the runtime takes it: a rate in hz, or a period in the largest unit that divides it. */
export function timerTarget(unit: string, value: bigint): { unit: TimerUnit; value: number } | undefined {
  if (value <= 0n) return undefined;
  if (unit === 'hz') return { unit: 'hz', value: Number(value) };
  const ns = value * (nanosecondsPer[unit] ?? 1n);
  if (ns % 1_000_000_000n === 0n) return { unit: 's', value: Number(ns / 1_000_000_000n) };
  if (ns % 1_000_000n === 0n) return { unit: 'ms', value: Number(ns / 1_000_000n) };
  return { unit: 'us', value: Math.max(1, Number(ns / 1_000n)) };
}

/** A CPU clock firing every period, or `hz` times a second (by frequency when `byFrequency`). */
export function timerAttr(unit: TimerUnit, value: number, byFrequency: boolean): PerfEventAttr {
  if (unit === 'hz') {
    return byFrequency
      ? softwareEventAttr(SoftwareEvent.CPU_CLOCK, { frequency: value })
      : softwareEventAttr(SoftwareEvent.CPU_CLOCK, { period: BigInt(Math.round(1e9 / value)) });
  }
  return softwareEventAttr(SoftwareEvent.CPU_CLOCK, { period: BigInt(Math.round(value * nsPerUnit[unit])) });
}

/** One perf event on `cpu` for every process, running `program`. */
/** A perf event on `cpu` (for every process, or only `pid`'s, -p) that runs `program`. */
export function attachPerfEventOn(program: ProgramHandle, name: string, attr: PerfEventAttr, cpu: number, pid = -1): Attachment {
  const fd = openPerfEvent(attr, { pid, cpu }, name);
  return attachPerfEvent(program, fd, { target: name });
}

/** The units -l offers (any rate or period of them is a probe). */
const listedUnits = ['hz', 'ms', 's', 'us'];

export const timerProvider: ProviderRecord<PointOf<'profile' | 'interval'>, TargetOf<'profile' | 'interval'>> = {
  providers: ['profile', 'interval'],
  syntax: [
    { name: 'profile', spellings: ['profile', 'p'], usage: 'profile:unit:rate, e.g. profile:hz:99', read: readTimer },
    { name: 'interval', spellings: ['interval', 'i'], usage: 'interval:unit:period or interval:1s', read: readTimer },
  ],
  targets: ['profile', 'interval'],
  listedByDefault: ['interval', 'profile'],
  listRank: 6,
  parameterized: true,
  ...perfRules,
  resolve(point, { diagnostics, targetPid }) {
    const timer = timerTarget(point.unit, point.value);
    if (!timer) {
      diagnostics.error(point.span, `${point.provider} needs a positive rate or period`);
      return [];
    }
    const name = `${point.provider}:${timer.unit}:${timer.value}`;
    // -p samples only that process (profile); an interval is the session's clock, never filtered.
    const pid = point.provider === 'profile' && targetPid !== undefined ? { pid: targetPid } : {};
    return [{ attachment: { name, target: { kind: point.provider, ...timer, ...pid }, span: point.span }, context: { kind: 'perf' } }];
  },
  list: (provider) => ({ kind: 'probes', probes: listedUnits.map((unit) => ({ line: `${provider}:${unit}:` })) }),
  unattachable: () => undefined,
  attach(program, name, target, own, host) {
    if (target.kind === 'interval') {
      own(attachPerfEventOn(program, name, timerAttr(target.unit, target.value, false), 0));
      return;
    }
    const attr = timerAttr(target.unit, target.value, true);
    for (const cpu of host.onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu, target.kind === 'profile' ? target.pid : undefined));
  },
};
