// profile:UNIT:N and interval:UNIT:N — a CPU clock perf event running the program. profile opens one
// event per online CPU and samples by frequency for `hz` (idle CPUs may then give no samples);
// interval opens one, on CPU 0, and always counts by period, so that it fires exactly N times a second.
import { attachPerfEvent, openPerfEvent, type ProgramHandle, type Attachment } from '../loader/attach.js';
import { softwareEventAttr, SoftwareEvent, type PerfEventAttr } from '../loader/attr/perf-event-attr.js';
import { providerSyntax } from '../model/provider-syntax.js';
import type { ProviderRecord } from '../model/provider.js';
import { perfRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';

export type TimerUnit = 'hz' | 'us' | 'ms' | 's';

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
export function attachPerfEventOn(program: ProgramHandle, name: string, attr: PerfEventAttr, cpu: number): Attachment {
  const fd = openPerfEvent(attr, { pid: -1, cpu }, name);
  return attachPerfEvent(program, fd, { target: name });
}

/** The units -l offers (any rate or period of them is a probe). */
const listedUnits = ['hz', 'ms', 's', 'us'];

export const timerProvider: ProviderRecord<PointOf<'profile' | 'interval'>, TargetOf<'profile' | 'interval'>> = {
  providers: ['profile', 'interval'],
  syntax: [providerSyntax.profile, providerSyntax.interval],
  targets: ['profile', 'interval'],
  listedByDefault: ['interval', 'profile'],
  ...perfRules,
  resolve(point, { diagnostics }) {
    const timer = timerTarget(point.unit, point.value);
    if (!timer) {
      diagnostics.error(point.span, `${point.provider} needs a positive rate or period`);
      return [];
    }
    const name = `${point.provider}:${timer.unit}:${timer.value}`;
    return [{ attachment: { name, target: { kind: point.provider, ...timer }, span: point.span }, context: { kind: 'perf' } }];
  },
  list: (provider) => ({ kind: 'probes', probes: listedUnits.map((unit) => ({ line: `${provider}:${unit}:` })) }),
  unattachable: () => undefined,
  attach(program, name, target, own, host) {
    if (target.kind === 'interval') {
      own(attachPerfEventOn(program, name, timerAttr(target.unit, target.value, false), 0));
      return;
    }
    const attr = timerAttr(target.unit, target.value, true);
    for (const cpu of host.onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu));
  },
};
