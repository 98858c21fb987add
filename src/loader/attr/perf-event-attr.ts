// struct perf_event_attr for perf_event_open(2). We always send the 128-byte layout (VER8); the
// kernel accepts any size it knows and zero-checks the tail of larger ones.
import { writeU32, writeU64, zeroedStruct } from './layout.js';

const PERF_EVENT_ATTR_SIZE = 128;

/** enum perf_type_id; dynamic PMUs (uprobe, kprobe) read their type from sysfs. */
export const PerfType = { HARDWARE: 0, SOFTWARE: 1, TRACEPOINT: 2, HW_CACHE: 3, RAW: 4, BREAKPOINT: 5 } as const;

/** enum perf_sw_ids */
export const SoftwareEvent = {
  CPU_CLOCK: 0,
  TASK_CLOCK: 1,
  PAGE_FAULTS: 2,
  CONTEXT_SWITCHES: 3,
  CPU_MIGRATIONS: 4,
  PAGE_FAULTS_MIN: 5,
  PAGE_FAULTS_MAJ: 6,
  ALIGNMENT_FAULTS: 7,
  EMULATION_FAULTS: 8,
  DUMMY: 9,
  BPF_OUTPUT: 10,
  CGROUP_SWITCHES: 11,
} as const;

export const SampleType = { RAW: 1 << 10 } as const;

/** perf_event_open flags */
export const PERF_FLAG_FD_CLOEXEC = 8;

/** ioctl requests on a perf event fd. */
export const PerfIoctl = { ENABLE: 0x2400, DISABLE: 0x2401, SET_BPF: 0x40042408 } as const;

/** Bit positions in the u64 flag word at offset 40 that we use. */
const flagBits = {
  disabled: 0,
  inherit: 1,
  pinned: 2,
  exclusive: 3,
  excludeUser: 4,
  excludeKernel: 5,
  excludeHv: 6,
  excludeIdle: 7,
  freq: 10,
  watermark: 14,
} as const;

export type PerfEventFlag = Exclude<keyof typeof flagBits, 'freq'>;

export interface PerfEventAttr {
  readonly type: number;
  readonly config: bigint | number;
  /** Mutually exclusive with sampleFrequency; sets the freq bit when the latter is given. */
  readonly samplePeriod?: bigint | number;
  readonly sampleFrequency?: bigint | number;
  readonly sampleType?: bigint | number;
  readonly wakeupEvents?: number;
  /** Breakpoints: HW_BREAKPOINT_R/W/X. */
  readonly breakpointType?: number;
  /** config1 (kprobe/uprobe: pointer to the function name or path; breakpoint: address). */
  readonly config1?: bigint | number;
  /** config2 (kprobe/uprobe: offset; breakpoint: length). */
  readonly config2?: bigint | number;
  readonly flags?: readonly PerfEventFlag[];
}

export function packPerfEventAttr(attr: PerfEventAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(PERF_EVENT_ATTR_SIZE);
  writeU32(view, 0, attr.type);
  writeU32(view, 4, PERF_EVENT_ATTR_SIZE);
  writeU64(view, 8, attr.config);
  let flagWord = 0n;
  if (attr.sampleFrequency !== undefined) {
    if (attr.samplePeriod !== undefined) throw new RangeError('perf_event_attr: give samplePeriod or sampleFrequency, not both');
    writeU64(view, 16, attr.sampleFrequency);
    flagWord |= 1n << BigInt(flagBits.freq);
  } else {
    writeU64(view, 16, attr.samplePeriod ?? 0);
  }
  writeU64(view, 24, attr.sampleType ?? 0);
  for (const flag of attr.flags ?? []) flagWord |= 1n << BigInt(flagBits[flag]);
  writeU64(view, 40, flagWord);
  writeU32(view, 48, attr.wakeupEvents ?? 0);
  writeU32(view, 52, attr.breakpointType ?? 0);
  writeU64(view, 56, attr.config1 ?? 0);
  writeU64(view, 64, attr.config2 ?? 0);
  return bytes;
}

/** A tracepoint event by its tracefs id; one sample per hit so an attached program sees each one. */
export function tracepointEventAttr(tracepointId: number): PerfEventAttr {
  return { type: PerfType.TRACEPOINT, config: tracepointId, samplePeriod: 1, sampleType: SampleType.RAW, wakeupEvents: 1 };
}

/** A software event (CPU_CLOCK for profile/interval, TASK_CLOCK, …) by period or frequency. */
export function softwareEventAttr(event: number, rate: { readonly period: bigint | number } | { readonly frequency: number }): PerfEventAttr {
  return 'period' in rate
    ? { type: PerfType.SOFTWARE, config: event, samplePeriod: rate.period }
    : { type: PerfType.SOFTWARE, config: event, sampleFrequency: rate.frequency };
}

/**
 * A uprobe/kprobe through its dynamic PMU: `pmuType` from /sys/bus/event_source/devices/<pmu>/type,
 * `target` the address of a NUL-terminated path (uprobe) or symbol (kprobe), `offset` the file offset
 * or symbol offset, and `config` carrying the retprobe bit and, for uprobes, ref_ctr_offset << 32.
 */
export function probeEventAttr(pmuType: number, probe: { readonly target: bigint; readonly offset: bigint | number; readonly config?: bigint | number }): PerfEventAttr {
  return { type: pmuType, config: probe.config ?? 0, config1: probe.target, config2: probe.offset, samplePeriod: 1, wakeupEvents: 1 };
}
