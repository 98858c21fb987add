// The kernel's BTF, opened once per listing: raw tracepoints and fentry functions both come from it.
import { existsSync } from 'node:fs';
import { openVmlinuxBtf, VMLINUX_BTF_PATH, type BtfReader } from '../../btf/index.js';

let reader: BtfReader | undefined;

/** The vmlinux BTF reader, or undefined when this kernel exposes no BTF. */
export function kernelBtf(): BtfReader | undefined {
  if (!reader && existsSync(VMLINUX_BTF_PATH)) reader = openVmlinuxBtf();
  return reader;
}

/** `type name` the way tracefs and bpftrace -lv write a parameter: `struct task_struct * prev`. */
export function declaration(btf: BtfReader, type: number, name: string): string {
  return `${btf.typeName(type)} ${name}`;
}
