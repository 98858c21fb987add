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
