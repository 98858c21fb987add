// Feature probes for skip decisions, written here rather than taken from tsbpf: they pack their own
// bpf_attr / perf_event_attr bytes and call the kernel through the native addon's bare system calls
// (native/ has no policy), so a test of tsbpf's own feature detection never decides its own skip.
import { openVmlinuxBtf } from '../../src/btf/index.js';
import { native } from '../../src/loader/native.js';
import { kernelBtf } from './skip.js';

const BPF_PROG_LOAD = 5;
const BPF_PROG_TYPE_TRACING = 26;
const BPF_TRACE_FENTRY = 24;
const PERF_TYPE_HARDWARE = 0;

/** `r0 = 0; exit` */
const returnZero = new Uint8Array([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);

let fentry: boolean | undefined;

/**
 * Whether the kernel loads an fentry program on vfs_read (a BPF trampoline): the load is the test, as
 * in KERNEL.md (kernels without trampolines refuse it with EPERM before verification). The function's
 * BTF id comes from the BTF reader, which test/btf/vmlinux.test.ts checks against bpftool.
 */
export function kernelLoadsFentry(): boolean {
  if (fentry !== undefined) return fentry;
  if (!kernelBtf.present) return (fentry = false);
  const vfsRead = openVmlinuxBtf().findType('vfs_read', 'func');
  if (!vfsRead) return (fentry = false);
  const fd = loadReturnZero(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, vfsRead.id);
  if (fd >= 0) native().close(fd);
  return (fentry = fd >= 0);
}

/** BPF_PROG_LOAD of `return 0` as `programType` for `expectedAttachType`: the fd or -errno. */
function loadReturnZero(programType: number, expectedAttachType: number, attachBtfId = 0): number {
  const addon = native();
  const license = new TextEncoder().encode('GPL\0');
  const attr = new Uint8Array(128);
  const view = new DataView(attr.buffer);
  view.setUint32(0, programType, true);
  view.setUint32(4, returnZero.length / 8, true);
  view.setBigUint64(8, addon.addressOf(returnZero), true);
  view.setBigUint64(16, addon.addressOf(license), true);
  view.setUint32(68, expectedAttachType, true);
  view.setUint32(108, attachBtfId, true);
  return addon.bpf(BPF_PROG_LOAD, attr);
}

let cycles: boolean | undefined;

/** Whether perf_event_open of the hardware cycles counter for this process works (a CPU PMU). */
export function machineCountsCycles(): boolean {
  if (cycles !== undefined) return cycles;
  const attr = new Uint8Array(128);
  const view = new DataView(attr.buffer);
  view.setUint32(0, PERF_TYPE_HARDWARE, true);
  view.setUint32(4, attr.length, true);
  view.setBigUint64(8, 0n, true); // PERF_COUNT_HW_CPU_CYCLES
  view.setBigUint64(40, 1n, true); // disabled
  const fd = native().perfEventOpen(attr, 0, -1, -1, 0);
  if (fd >= 0) native().close(fd);
  return (cycles = fd >= 0);
}

const BPF_LINK_CREATE = 28;
const BPF_PROG_TYPE_KPROBE = 2;
const BPF_TRACE_UPROBE_MULTI = 48;
const EBADF = 9;

let uprobeMulti: boolean | undefined;

/**
 * Whether the kernel has uprobe_multi links (6.6+): a uprobe_multi program linked to the path `/`
 * gets as far as finding that `/` is not a regular file (EBADF); older kernels refuse the attach type.
 */
export function kernelLinksUprobeMulti(): boolean {
  if (uprobeMulti !== undefined) return uprobeMulti;
  const addon = native();
  const program = loadReturnZero(BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI);
  if (program < 0) return (uprobeMulti = false);
  const path = new TextEncoder().encode('/\0');
  const offsets = new BigUint64Array([0n]);
  const link = new Uint8Array(64);
  const linkView = new DataView(link.buffer);
  linkView.setUint32(0, program, true);
  linkView.setUint32(8, BPF_TRACE_UPROBE_MULTI, true);
  linkView.setBigUint64(16, addon.addressOf(path), true);
  linkView.setBigUint64(24, addon.addressOf(offsets), true);
  linkView.setUint32(48, 1, true);
  const result = addon.bpf(BPF_LINK_CREATE, link);
  if (result >= 0) addon.close(result);
  addon.close(program);
  return (uprobeMulti = result === -EBADF);
}
