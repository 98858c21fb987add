// The eBPF opcode byte, field by field (RFC 9669 / Documentation/bpf/standardization/instruction-set.rst).
// opcode = class (low 3 bits) | source or size (bit 3 / bits 3-4) | operation or mode (high bits).

/** Instruction classes: the low 3 bits of the opcode. */
export const InstructionClass = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  JMP32: 0x06,
  ALU64: 0x07,
} as const;
export type InstructionClass = (typeof InstructionClass)[keyof typeof InstructionClass];

/** Operand source for ALU and JMP classes (bit 3): K = the 32-bit immediate, X = the src register. */
export const Source = { K: 0x00, X: 0x08 } as const;
export type Source = (typeof Source)[keyof typeof Source];

/** Byte order for the ALU (32-bit class) END operation; shares bit 3 with Source. */
export const ByteOrder = { TO_LE: 0x00, TO_BE: 0x08 } as const;

/** Arithmetic operations: the high 4 bits of ALU/ALU64 opcodes. */
export const AluCode = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90,
  XOR: 0xa0,
  MOV: 0xb0,
  ARSH: 0xc0,
  END: 0xd0,
} as const;
export type AluCode = (typeof AluCode)[keyof typeof AluCode];

/** Jump operations: the high 4 bits of JMP/JMP32 opcodes. */
export const JumpCode = {
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  CALL: 0x80,
  EXIT: 0x90,
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
  /** may_goto (src = 0), kernel 6.9+. */
  JCOND: 0xe0,
} as const;
export type JumpCode = (typeof JumpCode)[keyof typeof JumpCode];

/** Addressing modes of the load/store classes: the high 3 bits. */
export const Mode = {
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  /** Sign-extending load (LDX only), ISA v4. */
  MEMSX: 0x80,
  ATOMIC: 0xc0,
} as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** Access sizes of the load/store classes: bits 3-4. */
export const Size = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
export type Size = (typeof Size)[keyof typeof Size];

/** The imm of an atomic (STX | ATOMIC) instruction selects the operation. */
export const AtomicCode = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  /** Or'ed into ADD/OR/AND/XOR: the old value is written back to src. */
  FETCH: 0x01,
  XCHG: 0xe0 | 0x01,
  CMPXCHG: 0xf0 | 0x01,
  /** Kernel 6.15+: dst = *(src + off) with acquire semantics. */
  LOAD_ACQUIRE: 0x100,
  /** Kernel 6.15+: *(dst + off) = src with release semantics. */
  STORE_RELEASE: 0x110,
} as const;

/** src_reg of a 64-bit immediate load (lddw): what the kernel substitutes for the immediate. */
export const PseudoLoad = {
  NONE: 0,
  MAP_FD: 1,
  MAP_VALUE: 2,
  BTF_ID: 3,
  FUNC: 4,
  MAP_IDX: 5,
  MAP_IDX_VALUE: 6,
} as const;
export type PseudoLoad = (typeof PseudoLoad)[keyof typeof PseudoLoad];

/** src_reg of a CALL: a helper id, a relative bpf-to-bpf call, or a kernel function's BTF id. */
export const PseudoCall = { HELPER: 0, LOCAL: 1, KFUNC: 2 } as const;
export type PseudoCall = (typeof PseudoCall)[keyof typeof PseudoCall];

/** Off value of ALU64 MOV X that means addr_space_cast (arena pointers). */
export const ADDR_SPACE_CAST_OFFSET = 1;

/** Opcodes that need a name of their own. */
export const Opcode = {
  LDDW: InstructionClass.LD | Mode.IMM | Size.DW, // 0x18
  CALL: InstructionClass.JMP | JumpCode.CALL, // 0x85
  EXIT: InstructionClass.JMP | JumpCode.EXIT, // 0x95
  JA: InstructionClass.JMP | JumpCode.JA, // 0x05
  /** gotol: JMP32 | JA with the offset in imm (ISA v4). */
  JA32: InstructionClass.JMP32 | JumpCode.JA, // 0x06
  MAY_GOTO: InstructionClass.JMP | JumpCode.JCOND, // 0xe5
} as const;

export function classOf(opcode: number): InstructionClass {
  return (opcode & 0x07) as InstructionClass;
}
/** ALU or JMP operation (high nibble). */
export function operationOf(opcode: number): number {
  return opcode & 0xf0;
}
export function sourceOf(opcode: number): Source {
  return (opcode & 0x08) as Source;
}
export function modeOf(opcode: number): Mode {
  return (opcode & 0xe0) as Mode;
}
export function sizeOf(opcode: number): Size {
  return (opcode & 0x18) as Size;
}



