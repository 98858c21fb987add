// uprobes, usdt and kprobes through their dynamic PMU: perf_event_open with the PMU's type, config1 a
// pointer to the binary's path (or the kernel symbol), config2 the file offset (or the offset in the
// symbol), and config carrying the return-probe bit and, for uprobes, the semaphore's file offset
// (ref_ctr_offset), where the PMU's sysfs format says. Then a BPF link (or the ioctl pair).
import { attachPerfEvent, openPerfEvent, type Attachment, type ProgramHandle } from '../loader/attach.js';
import { cString } from '../loader/attr/layout.js';
import { probeEventAttr, type PerfEventAttr } from '../loader/attr/perf-event-attr.js';
import { native } from '../loader/native.js';
import type { DynamicPmu } from '../model/host.js';

export interface PmuProbe {
  readonly pmu: DynamicPmu;
  /** A binary's path (uprobe) or a kernel symbol (kprobe). */
  readonly target: string;
  /** File offset (uprobe) or offset into the symbol (kprobe). */
  readonly offset: number;
  readonly isReturn: boolean;
  /** uprobe: the file offset of a USDT semaphore the kernel increments while the probe exists. */
  readonly refCtrOffset?: number;
  /** Only this process (uprobes with -p or -c); else every process. */
  readonly pid?: number;
}

/** The perf_event_attr for `probe`, its target string at `targetAddress` (kept alive by the caller). */
export function pmuProbeAttr(probe: PmuProbe, targetAddress: bigint): PerfEventAttr {
  let config = probe.isReturn ? 1n << BigInt(probe.pmu.retprobeBit) : 0n;
  if (probe.refCtrOffset !== undefined) {
    if (probe.pmu.refCtrShift === undefined) throw new RangeError('this kernel\'s uprobe PMU has no ref_ctr_offset: USDT semaphores need Linux 4.20+');
    config |= BigInt(probe.refCtrOffset) << BigInt(probe.pmu.refCtrShift);
  }
  return probeEventAttr(probe.pmu.type, { target: targetAddress, offset: BigInt(probe.offset), config });
}

/** Opens the probe's perf event: for one process on any CPU, or for all on CPU 0 (the program runs on every CPU either way). */
export function openPmuProbe(probe: PmuProbe, name: string): number {
  const targetBytes = cString(probe.target);
  const attr = pmuProbeAttr(probe, native().addressOf(targetBytes));
  const fd = openPerfEvent(attr, probe.pid === undefined ? { pid: -1, cpu: 0 } : { pid: probe.pid, cpu: -1 }, name);
  targetBytes.fill(0); // a use after the call keeps the string alive through it (the kernel has copied it)
  return fd;
}

export function attachPmuProbe(program: ProgramHandle, probe: PmuProbe, name: string): Attachment {
  return attachPerfEvent(program, openPmuProbe(probe, name), { target: name });
}
