// hardware:EVENT[:COUNT] — a CPU performance counter on every CPU. Machines without a hardware PMU
// (most VMs) have none to open: that is said at compile time, at the attach point, rather than as
// perf_event_open's ENOENT after everything else has been loaded.
import { openPerfEvent } from '../loader/attach.js';
import { PerfType, type PerfEventAttr } from '../loader/attr/perf-event-attr.js';
import { SyscallError } from '../loader/native.js';
import { closeFd } from '../loader/syscall.js';
import { AttachError, type ProviderListing, type ProviderRecord } from '../model/provider.js';
import { perfRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';
import { readPerfEvent } from './software.js';
import { attachPerfEventOn } from './timer.js';

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    /** `hardware:event[:count]`: one sample in `count` events. */
    hardware: { event: string; count?: bigint };
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    /** `pid`: -p, the only process counted (bpftrace opens the perf events with it). */
    hardware: { event: string; count?: number; pid?: number };
  }
}

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

const NO_HARDWARE_PMU = 'this machine has no hardware performance counters (no CPU PMU under /sys/bus/event_source/devices; virtual machines often have none)';
const softwareHint = "count with a software event instead, e.g. software:cpu-clock or profile:hz:99";

export const hardwareProvider: ProviderRecord<PointOf<'hardware'>, TargetOf<'hardware'>> = {
  providers: ['hardware'],
  syntax: [{ name: 'hardware', spellings: ['hardware', 'h'], usage: 'hardware:event[:count]', read: readPerfEvent }],
  targets: ['hardware'],
  listedByDefault: ['hardware'],
  listRank: 5,
  parameterized: true,
  ...perfRules,
  resolve(point, { diagnostics, host, targetPid }) {
    if (!hardwareEvents[point.event]) {
      diagnostics.error(point.span, `unknown hardware event '${point.event}'`, `known events: ${Object.keys(hardwareEvents).join(', ')}`);
      return [];
    }
    if (!host.hasHardwarePmu()) {
      diagnostics.error(point.span, `${point.raw}: ${NO_HARDWARE_PMU}`, softwareHint);
      return [];
    }
    const count = point.count === undefined ? undefined : Number(point.count);
    return [{
      attachment: { name: `hardware:${point.event}:${count ?? ''}`, target: { kind: 'hardware', event: point.event, ...(count === undefined ? {} : { count }), ...(targetPid === undefined ? {} : { pid: targetPid }) }, span: point.span },
      context: { kind: 'perf' },
    }];
  },
  list: hardwareListing,
  unattachable: (_target, host) => (host.hasHardwarePmu() ? undefined : NO_HARDWARE_PMU),
  attach(program, name, target, own, host) {
    const event = hardwareEvents[target.event];
    if (!event) throw new AttachError(`${name}: unknown hardware event '${target.event}'`);
    const attr: PerfEventAttr = { type: PerfType.HARDWARE, config: event.config, samplePeriod: target.count ?? event.defaultCount };
    try {
      for (const cpu of host.onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu, target.pid));
    } catch (error) {
      if (error instanceof SyscallError && error.code === 'ENOENT') throw new AttachError(`${name}: ${NO_HARDWARE_PMU}`);
      throw error;
    }
  },
};

/** -l asks the PMU itself: virtual machines often have none, and perf_event_open says ENOENT. */
/**
 * The events bpftrace lists, on every machine; where the PMU cannot count (virtual machines often have
 * none, and perf_event_open says ENOENT) a note says they cannot attach here.
 */
function hardwareListing(): ProviderListing {
  const probes = Object.keys(hardwareEvents).map((name) => ({ line: `hardware:${name}:` }));
  try {
    // Counting (not sampling) CPU cycles of this process: the cheapest question the PMU can answer.
    closeFd(openPerfEvent({ type: PerfType.HARDWARE, config: 0 }, { pid: 0, cpu: -1 }, 'hardware:cycles'));
  } catch (error) {
    if (error instanceof SyscallError) {
      const why = error.code === 'ENOENT' || error.code === 'ENODEV' ? 'this machine has no hardware performance counters' : error.message;
      return { kind: 'probes', probes, note: `hardware probes cannot attach here: ${why} (perf_event_open: ${error.code})` };
    }
    throw error;
  }
  return { kind: 'probes', probes };
}
