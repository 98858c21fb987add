import type { SourceSpan } from '../diagnostics/span.js';

/**
 * One eBPF instruction as plain data. The fields are the wire fields; `target` and `map` are
 * symbolic references the assembler resolves, so code generators never count slots themselves.
 */
export interface Instruction {
  /** The wire opcode byte. */
  readonly opcode: number;
  /** Destination register, 0..10. */
  readonly dst: number;
  /** Source register 0..10, or a pseudo source (lddw: 1 MAP_FD, 2 MAP_VALUE, 4 FUNC; call: 1 bpf2bpf, 2 kfunc). */
  readonly src: number;
  /** Signed 16-bit offset. */
  readonly offset: number;
  /** Signed 32-bit immediate (for lddw: the low 32 bits). */
  readonly imm: number;
  /** lddw only: the full 64-bit immediate; lddw occupies two 8-byte slots. */
  readonly imm64?: bigint;
  /** Jumps, bpf2bpf calls, lddw PSEUDO_FUNC: a label, resolved by assemble(). */
  readonly target?: string;
  /** lddw MAP_FD/MAP_VALUE by map name; the fd is patched in by linkMaps(). */
  readonly map?: { readonly name: string; readonly valueOffset?: number };
  /** The script text that produced this instruction. */
  readonly span?: SourceSpan;
  readonly comment?: string;
}

/** A jump target: marks the slot of the next instruction. */
export interface Label {
  readonly label: string;
}

export type AsmItem = Instruction | Label;

export function isLabel(item: AsmItem): item is Label {
  return (item as Instruction).opcode === undefined;
}
