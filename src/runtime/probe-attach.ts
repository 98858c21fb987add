// Attaching one loaded program to one probe target through the loader. BEGIN/END are not attached
// (the session runs them with BPF_PROG_TEST_RUN). Timer and software probes open one perf event per
// CPU (profile, software) or one on CPU 0 (interval), as bpftrace does.
import type { CompiledProgram, ProbeTarget } from '../codegen/artifact.js';
import { attachPerfEvent, attachRawTracepoint, attachTracepoint, openPerfEvent, type Attachment, type ProgramHandle } from '../loader/attach.js';
import { PerfType, softwareEventAttr, SoftwareEvent, type PerfEventAttr } from '../loader/attr/perf-event-attr.js';
import { onlineCpus } from '../loader/cpus.js';

/** A probe kind the runtime cannot attach (yet, or on this kernel). */
export class AttachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachError';
  }
}

const nsPerUnit = { us: 1_000, ms: 1_000_000, s: 1_000_000_000 } as const;

/** bpftrace's software event names (and aliases) with their default sample periods. */
const softwareEvents: Readonly<Record<string, { readonly config: number; readonly defaultCount: number }>> = {
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

/** bpftrace's hardware event names (and aliases) with their default sample periods. */
const hardwareEvents: Readonly<Record<string, { readonly config: number; readonly defaultCount: number }>> = {
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

const unsupportedKinds: ReadonlySet<ProbeTarget['kind']> = new Set(['uprobe', 'usdt', 'kprobe', 'fentry']);

/** Refuses a script with probes the runtime cannot attach, before any kernel object exists. */
export function checkAttachable(programs: readonly CompiledProgram[]): void {
  for (const program of programs) {
    for (const { name, target } of program.attachments) {
      if (unsupportedKinds.has(target.kind)) throw new AttachError(`${name}: attaching ${target.kind} probes is not supported by the runtime yet`);
    }
  }
}

/**
 * Attaches `program` to `target`, handing each attachment to `own` as soon as it exists, so that a
 * failure on the third CPU still leaves the first two owned (and closed by the caller).
 */
export function attachProbe(program: ProgramHandle, name: string, target: ProbeTarget, own: (attachment: Attachment) => void): void {
  switch (target.kind) {
    case 'tracepoint':
      own(attachTracepoint(program, target.category, target.name));
      return;
    case 'rawtracepoint':
      own(attachRawTracepoint(program, target.name));
      return;
    case 'interval':
      own(attachPerfEventOn(program, name, timerAttr(target.unit, target.value, false), 0));
      return;
    case 'profile':
      for (const cpu of onlineCpus()) own(attachPerfEventOn(program, name, timerAttr(target.unit, target.value, true), cpu));
      return;
    case 'software': {
      const event = softwareEvents[target.event];
      if (!event) throw new AttachError(`${name}: unknown software event '${target.event}'`);
      const attr = softwareEventAttr(event.config, { period: target.count ?? event.defaultCount });
      for (const cpu of onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu));
      return;
    }
    case 'hardware': {
      const event = hardwareEvents[target.event];
      if (!event) throw new AttachError(`${name}: unknown hardware event '${target.event}'`);
      const attr: PerfEventAttr = { type: PerfType.HARDWARE, config: event.config, samplePeriod: target.count ?? event.defaultCount };
      for (const cpu of onlineCpus()) own(attachPerfEventOn(program, name, attr, cpu));
      return;
    }
    case 'begin':
    case 'end':
      throw new AttachError(`${name}: BEGIN/END programs are run, not attached`);
    case 'uprobe':
    case 'usdt':
    case 'kprobe':
    case 'fentry':
      throw new AttachError(`${name}: attaching ${target.kind} probes is not supported by the runtime yet`);
    default:
      return unreachable(target);
  }
}

function attachPerfEventOn(program: ProgramHandle, name: string, attr: PerfEventAttr, cpu: number): Attachment {
  const fd = openPerfEvent(attr, { pid: -1, cpu }, name);
  return attachPerfEvent(program, fd, { target: name });
}

/** interval/profile: a CPU clock firing every period, or `hz` times a second (profile samples by frequency). */
function timerAttr(unit: 'hz' | 'us' | 'ms' | 's', value: number, byFrequency: boolean): PerfEventAttr {
  if (unit === 'hz') {
    return byFrequency
      ? softwareEventAttr(SoftwareEvent.CPU_CLOCK, { frequency: value })
      : softwareEventAttr(SoftwareEvent.CPU_CLOCK, { period: BigInt(Math.round(1e9 / value)) });
  }
  return softwareEventAttr(SoftwareEvent.CPU_CLOCK, { period: BigInt(Math.round(value * nsPerUnit[unit])) });
}

function unreachable(value: never): never {
  throw new AttachError(`unhandled probe target: ${JSON.stringify(value)}`);
}
