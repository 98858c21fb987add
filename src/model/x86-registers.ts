// x86-64 general registers and their offsets in the kernel's `struct pt_regs`
// (arch/x86/include/asm/ptrace.h), which a uprobe program's context points to.

export type X86Register =
  | 'r15' | 'r14' | 'r13' | 'r12' | 'rbp' | 'rbx' | 'r11' | 'r10' | 'r9' | 'r8'
  | 'rax' | 'rcx' | 'rdx' | 'rsi' | 'rdi' | 'rip' | 'rsp';

export const ptRegsOffsets: Readonly<Record<X86Register, number>> = {
  r15: 0, r14: 8, r13: 16, r12: 24, rbp: 32, rbx: 40, r11: 48, r10: 56, r9: 64, r8: 72,
  rax: 80, rcx: 88, rdx: 96, rsi: 104, rdi: 112,
  // 120 is orig_ax
  rip: 128,
  // 136 cs, 144 flags
  rsp: 152,
};

/** Registers by bpftrace's names for reg() (its arch table for x86_64): offsets in `struct pt_regs`. */
export const ptRegsByName: ReadonlyMap<string, number> = new Map([
  ['r15', 0], ['r14', 8], ['r13', 16], ['r12', 24], ['bp', 32], ['bx', 40], ['r11', 48], ['r10', 56],
  ['r9', 64], ['r8', 72], ['ax', 80], ['cx', 88], ['dx', 96], ['si', 104], ['di', 112], ['orig_rax', 120],
  ['ip', 128], ['pc', 128], ['cs', 136], ['flags', 144], ['sp', 152], ['ss', 160],
]);
