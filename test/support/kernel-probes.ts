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
  const addon = native();
  const license = new TextEncoder().encode('GPL\0');
  const attr = new Uint8Array(128);
  const view = new DataView(attr.buffer);
  view.setUint32(0, BPF_PROG_TYPE_TRACING, true);
  view.setUint32(4, returnZero.length / 8, true);
  view.setBigUint64(8, addon.addressOf(returnZero), true);
  view.setBigUint64(16, addon.addressOf(license), true);
  view.setUint32(68, BPF_TRACE_FENTRY, true);
  view.setUint32(108, vfsRead.id, true);
  const fd = addon.bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) addon.close(fd);
  return (fentry = fd >= 0);
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
