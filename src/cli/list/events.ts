// Probes that are names rather than kernel symbols: BEGIN/END, perf software and hardware events,
// and the timer units of interval/profile. Printed as bpftrace prints them (`software:cpu-clock:`,
// with the trailing colon where a count may follow).
import { openPerfEvent } from '../../loader/attach.js';
import { PerfType } from '../../loader/attr/perf-event-attr.js';
import { SyscallError } from '../../loader/native.js';
import { closeFd } from '../../loader/syscall.js';
import type { ProviderListing } from './catalog.js';

// The names (and aliases) the runtime's software/hardware providers accept.
const softwareEventNames = [
  'alignment-faults', 'bpf-output', 'context-switches', 'cs', 'cpu', 'cpu-clock', 'cpu-migrations', 'dummy',
  'emulation-faults', 'faults', 'major-faults', 'minor-faults', 'page-faults', 'task-clock',
];
const hardwareEventNames = [
  'backend-stalls', 'branch-instructions', 'branch-misses', 'branches', 'bus-cycles', 'cache-misses',
  'cache-references', 'cpu-cycles', 'cycles', 'frontend-stalls', 'instructions', 'ref-cycles',
];
const timerUnits = ['hz', 'ms', 's', 'us'];

export function specialProbes(name: 'BEGIN' | 'END'): ProviderListing {
  return { kind: 'probes', probes: [{ line: name }] };
}

export function softwareProbes(): ProviderListing {
  return { kind: 'probes', probes: softwareEventNames.map((name) => ({ line: `software:${name}:` })) };
}

export function timerProbes(provider: 'interval' | 'profile'): ProviderListing {
  return { kind: 'probes', probes: timerUnits.map((unit) => ({ line: `${provider}:${unit}:` })) };
}

/** Hardware events need a CPU PMU; virtual machines often have none, and perf_event_open says ENOENT. */
export function hardwareProbes(): ProviderListing {
  const reason = hardwareUnavailableReason();
  if (reason) return { kind: 'unavailable', reason };
  return { kind: 'probes', probes: hardwareEventNames.map((name) => ({ line: `hardware:${name}:` })) };
}

function hardwareUnavailableReason(): string | undefined {
  try {
    // Counting (not sampling) CPU cycles of this process: the cheapest question the PMU can answer.
    closeFd(openPerfEvent({ type: PerfType.HARDWARE, config: 0 }, { pid: 0, cpu: -1 }, 'hardware:cycles'));
    return undefined;
  } catch (error) {
    if (error instanceof SyscallError) {
      const why = error.code === 'ENOENT' || error.code === 'ENODEV' ? 'this machine has no hardware performance counters' : error.message;
      return `hardware probes are unavailable: ${why} (perf_event_open: ${error.code})`;
    }
    throw error;
  }
}
