// What this kernel can attach: the dynamic PMUs (kprobe, uprobe) and their format bits from sysfs,
// tracefs's kprobe_events, a hardware PMU, and BPF trampolines (fentry/fexit) and uprobe_multi links,
// which no file reveals: a tiny program is loaded (and linked) to find out. Each question reads the
// machine again; liveHost keeps the answers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../bpf/assembler.js';
import { exit, mov64 } from '../bpf/asm.js';
import { R0 } from '../bpf/registers.js';
import { AttachType, BpfCommand, ProgramType } from '../bpf/uapi.generated.js';
import { cString } from '../loader/attr/layout.js';
import { packUprobeMultiLinkCreate, UprobeMulti } from '../loader/attr/link-create.js';
import { packProgLoad } from '../loader/attr/prog-load.js';
import { native } from '../loader/native.js';
import { bpf, closeFd } from '../loader/syscall.js';
import { tracefsRoot } from '../loader/tracefs.js';
import type { DynamicPmu, TrampolineSupport } from '../model/host.js';

export const EVENT_SOURCE_DIRECTORY = '/sys/bus/event_source/devices';

/** The PMU's `type` and format bits; undefined when the kernel has no such PMU. */
export function dynamicPmu(name: 'kprobe' | 'uprobe', root = EVENT_SOURCE_DIRECTORY): DynamicPmu | undefined {
  try {
    const directory = join(root, name);
    const type = Number.parseInt(readFileSync(join(directory, 'type'), 'utf8').trim(), 10);
    const retprobeBit = formatBit(directory, 'retprobe') ?? 0;
    const refCtrShift = formatBit(directory, 'ref_ctr_offset');
    return Number.isInteger(type) ? { type, retprobeBit, ...(refCtrShift !== undefined ? { refCtrShift } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** `format/retprobe` reads `config:0`, `format/ref_ctr_offset` reads `config:32-63`: the first bit. */
export function parseFormatBit(text: string): number | undefined {
  const match = /^config:(\d+)(?:-\d+)?$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

function formatBit(directory: string, field: string): number | undefined {
  try {
    return parseFormatBit(readFileSync(join(directory, 'format', field), 'utf8'));
  } catch {
    return undefined;
  }
}

/** tracefs's legacy interface for kprobes, when the kernel has one (CONFIG_KPROBE_EVENTS). */
export function kprobeEventsFile(): string | undefined {
  try {
    const path = join(tracefsRoot(), 'kprobe_events');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** PMUs that are not CPU counters: their presence says nothing about hardware events. */
const nonCpuPmus = /^(software|tracepoint|breakpoint|uprobe|kprobe|msr|power|intel_bts|intel_pt|cstate_\w+|uncore\w*|amd_\w+|i915|kvm|ibs_\w+)$/;

/**
 * Whether perf has hardware counters: a CPU PMU (`cpu`, `cpu_core`, `armv8_pmuv3_0`, …) among the
 * event sources. A VM without a virtual PMU has none, and perf_event_open(HARDWARE) fails with ENOENT.
 */
export function hasHardwarePmu(root = EVENT_SOURCE_DIRECTORY): boolean {
  try {
    return readdirSync(root).some((name) => !nonCpuPmus.test(name));
  } catch {
    return true; // unknown: let perf_event_open decide
  }
}

/**
 * Loads `return 0` as fentry on the BTF function `btfId`. When that fails but the same code loads as
 * a raw tracepoint, the kernel has BPF but no trampolines (no ftrace direct calls, or a policy).
 */
export function trampolineSupport(btfId: number): TrampolineSupport {
  const fentry = probeLoad(ProgramType.TRACING, { expectedAttachType: AttachType.TRACE_FENTRY, attachBtfId: btfId });
  if (fentry >= 0) {
    closeFd(fentry);
    return { kind: 'available' };
  }
  const plain = probeLoad(ProgramType.RAW_TRACEPOINT, {});
  if (plain < 0) return { kind: 'unknown', errno: -fentry };
  closeFd(plain);
  return { kind: 'unavailable', errno: -fentry };
}

const EBADF = 9;

/**
 * uprobe_multi links (Linux 6.6+): a uprobe_multi program linked to path `/` gets as far as finding
 * that the path is not a regular file (EBADF); an older kernel does not know the attach type.
 */
export function hasUprobeMulti(): boolean {
  const program = probeLoad(ProgramType.KPROBE, { expectedAttachType: UprobeMulti.attachType });
  if (program < 0) return false;
  try {
    const path = cString('/');
    const offsets = new BigUint64Array([0n]);
    const addressOf = native().addressOf;
    const link = bpf(BpfCommand.LINK_CREATE, packUprobeMultiLinkCreate({
      programFd: program, path: addressOf(path), offsets: addressOf(offsets), cookies: 0n, count: 1, isReturn: false, pid: 0,
    }));
    if (link >= 0) closeFd(link);
    return link === -EBADF;
  } finally {
    closeFd(program);
  }
}

function probeLoad(programType: number, extra: { expectedAttachType?: number; attachBtfId?: number }): number {
  const bytes = assemble([mov64(R0, 0), exit()]).bytes;
  const license = cString('GPL');
  const addressOf = native().addressOf;
  return bpf(BpfCommand.PROG_LOAD, packProgLoad({
    programType, instructionCount: bytes.length / 8, instructions: addressOf(bytes), license: addressOf(license), ...extra,
  }));
}
