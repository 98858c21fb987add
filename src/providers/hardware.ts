// hardware:EVENT[:COUNT] — a CPU performance counter on every CPU. Machines without a hardware PMU
// (most VMs) have none to open: that is said at compile time, at the attach point, rather than as
// perf_event_open's ENOENT after everything else has been loaded.
import { PerfType, type PerfEventAttr } from '../loader/attr/perf-event-attr.js';
import { onlineCpus } from '../loader/cpus.js';
import { SyscallError } from '../loader/native.js';
import { hasHardwarePmu } from './kernel-support.js';
import { type PointOf, type Provider, type TargetOf, AttachError } from './provider.js';
import { attachPerfEventOn } from './timer.js';

/** bpftrace's hardware event names (and aliases) with their default sample periods. */
export const hardwareEvents: Readonly<Record<string, { readonly config: number; readonly defaultCount: number }>> = {
  'cpu-cycles': { config: 0, defaultCount: 1_000_000 },
  cycles: { config: 0, defaultCount: 1_000_000 },
  instructions: { config: 1, defaultCount: 1_000_000 },
  'cache-references': { config: 2, defaultCount: 1_000_000 },
  'cache-misses': { config: 3, defaultCount: 1_000_000 },
  'branch-instructions': { config: 4, defaultCount: 100_000 },
  branches: { config: 4, defaultCount: 100_000 },
  'branch-misses': { config: 5, defaultCount: 100_000 },
  'bus-cycles': { config: 6, defaultCount: 100_000 },
  'frontend-stalls': { config: 7, defaultCount: 1_000_000 },
  'backend-stalls': { config: 8, defaultCount: 1_000_000 },
  'ref-cycles': { config: 9, defaultCount: 1_000_000 },
};

export const NO_HARDWARE_PMU = 'this machine has no hardware performance counters (no CPU PMU under /sys/bus/event_source/devices; virtual machines often have none)';
const softwareHint = "count with a software event instead, e.g. software:cpu-clock or profile:hz:99";

export const hardwareProvider: Provider<PointOf<'hardware'>, TargetOf<'hardware'>> = {
  resolve(point, { diagnostics }) {
    if (!hardwareEvents[point.event]) {
      diagnostics.error(point.span, `unknown hardware event '${point.event}'`, `known events: ${Object.keys(hardwareEvents).join(', ')}`);
      return [];
    }
    if (!hasHardwarePmu()) {
      diagnostics.error(point.span, `${point.raw}: ${NO_HARDWARE_PMU}`, softwareHint);
      return [];
    }
    const count = point.count === undefined ? undefined : Number(point.count);
    return [{
      attachment: { name: `hardware:${point.event}:${count ?? ''}`, target: { kind: 'hardware', event: point.event, ...(count === undefined ? {} : { count }) }, span: point.span },
      context: { kind: 'perf' },
    }];
  },
  attach(program, name, target, own) {
    const event = hardwareEvents[target.event];
    if (!event) throw new AttachError(`${name}: unknown hardware event '${target.event}'`);
    const attr: PerfEventAttr = { type: PerfType.HARDWARE, config: event.config, samplePeriod: target.count ?? event.defaultCount };
    try {
      for (const cpu of onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu));
    } catch (error) {
      if (error instanceof SyscallError && error.code === 'ENOENT') throw new AttachError(`${name}: ${NO_HARDWARE_PMU}`);
      throw error;
    }
  },
};
