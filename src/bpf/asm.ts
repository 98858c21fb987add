// Builders for every instruction the code generator emits. Each returns a plain Instruction (or a
// Label); operands are checked here so a bad one is reported where it was written, not at load.
import type { SourceSpan } from '../diagnostics/span.js';
import { AssemblyError } from './errors.js';
import type { Instruction, Label } from './instruction.js';
import {
  AluCode, AtomicCode, ByteOrder, InstructionClass, JumpCode, Mode, Opcode, PseudoCall, PseudoLoad, Size, Source,
} from './opcodes.js';
import { isRegister, type Register } from './registers.js';
import { helperId, type HelperName } from './uapi.generated.js';

export { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, register, isRegister, type Register } from './registers.js';

export type AluOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'sdiv' | 'or' | 'and' | 'lsh' | 'rsh' | 'neg' | 'mod' | 'smod' | 'xor' | 'arsh';
export type JumpCondition = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sgt' | 'sge' | 'slt' | 'sle' | 'set';
export type MemorySize = 'b' | 'h' | 'w' | 'dw';
export type AtomicOp =
  | 'add' | 'or' | 'and' | 'xor' | 'fetch_add' | 'fetch_or' | 'fetch_and' | 'fetch_xor' | 'xchg' | 'cmpxchg';
/** A register, or an immediate (a JavaScript number). */
export type Operand = Register | number;

/** Operation code and the offset that selects its signed variant (ISA v4 sdiv/smod use off = 1). */
const aluOperations: Readonly<Record<AluOp, { readonly code: number; readonly offset: number }>> = {
  add: { code: AluCode.ADD, offset: 0 },
  sub: { code: AluCode.SUB, offset: 0 },
  mul: { code: AluCode.MUL, offset: 0 },
  div: { code: AluCode.DIV, offset: 0 },
  sdiv: { code: AluCode.DIV, offset: 1 },
  or: { code: AluCode.OR, offset: 0 },
  and: { code: AluCode.AND, offset: 0 },
  lsh: { code: AluCode.LSH, offset: 0 },
  rsh: { code: AluCode.RSH, offset: 0 },
  neg: { code: AluCode.NEG, offset: 0 },
  mod: { code: AluCode.MOD, offset: 0 },
  smod: { code: AluCode.MOD, offset: 1 },
  xor: { code: AluCode.XOR, offset: 0 },
  arsh: { code: AluCode.ARSH, offset: 0 },
};

const jumpCodes: Readonly<Record<JumpCondition, number>> = {
  eq: JumpCode.JEQ,
  ne: JumpCode.JNE,
  gt: JumpCode.JGT,
  ge: JumpCode.JGE,
  lt: JumpCode.JLT,
  le: JumpCode.JLE,
  sgt: JumpCode.JSGT,
  sge: JumpCode.JSGE,
  slt: JumpCode.JSLT,
  sle: JumpCode.JSLE,
  set: JumpCode.JSET,
};

const memorySizes: Readonly<Record<MemorySize, number>> = { b: Size.B, h: Size.H, w: Size.W, dw: Size.DW };

const atomicCodes: Readonly<Record<AtomicOp, number>> = {
  add: AtomicCode.ADD,
  or: AtomicCode.OR,
  and: AtomicCode.AND,
  xor: AtomicCode.XOR,
  fetch_add: AtomicCode.ADD | AtomicCode.FETCH,
  fetch_or: AtomicCode.OR | AtomicCode.FETCH,
  fetch_and: AtomicCode.AND | AtomicCode.FETCH,
  fetch_xor: AtomicCode.XOR | AtomicCode.FETCH,
  xchg: AtomicCode.XCHG,
  cmpxchg: AtomicCode.CMPXCHG,
};

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const UINT32_MAX = 0xffff_ffff;

function make(opcode: number, dst: number, src: number, offset: number, imm: number, span: SourceSpan | undefined): Instruction {
  return span === undefined ? { opcode, dst, src, offset, imm } : { opcode, dst, src, offset, imm, span };
}

function reg(operand: Register, role: string, span: SourceSpan | undefined): number {
  if (!isRegister(operand) || !Number.isInteger(operand.reg) || operand.reg < 0 || operand.reg > 10) {
    throw new AssemblyError(`${role} must be a register r0..r10, got ${describe(operand)}`, span);
  }
  return operand.reg;
}

function describe(value: unknown): string {
  if (isRegister(value)) return `r${value.reg}`;
  return typeof value === 'bigint' ? `${value}n` : String(value);
}

/** A 32-bit immediate. `wide32` accepts 0x80000000..0xffffffff too, for 32-bit classes where the bits are all that matter. */
function imm32(value: number, wide32: boolean, span: SourceSpan | undefined): number {
  const max = wide32 ? UINT32_MAX : INT32_MAX;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > max) {
    const hint = wide32 ? '' : ' (it is sign-extended to 64 bits; use lddw for wider constants)';
    throw new AssemblyError(`immediate ${describe(value)} does not fit in a signed 32-bit field${hint}`, span);
  }
  return value | 0;
}

/**
 * The offset of a load or store through r10. A code generator may use r10 for a *frame* reference
 * that it later moves onto another base (a scratch area far larger than 32 KiB, say), so any int32 is
 * accepted here; the assembler still refuses an instruction whose offset does not fit 16 bits.
 */
function frameOffset(value: number, base: Register, span: SourceSpan | undefined): number {
  if (isRegister(base) && base.reg === 10 && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return value;
  return offset16(value, span);
}

function offset16(value: number, span: SourceSpan | undefined): number {
  if (!Number.isInteger(value) || value < -0x8000 || value > 0x7fff) {
    throw new AssemblyError(`offset ${describe(value)} does not fit in a signed 16-bit field`, span);
  }
  return value;
}

function size(value: MemorySize, allowed: readonly MemorySize[], span: SourceSpan | undefined): number {
  if (!allowed.includes(value)) throw new AssemblyError(`size '${value}' is not one of ${allowed.join(', ')}`, span);
  return memorySizes[value];
}

function labelName(name: string, span: SourceSpan | undefined): string {
  if (typeof name !== 'string' || name === '') throw new AssemblyError('a jump or call target must be a non-empty label', span);
  return name;
}

// ---- ALU ----

function alu(cls: number, op: AluOp, dst: Register, src: Operand | undefined, span: SourceSpan | undefined): Instruction {
  const operation = aluOperations[op];
  if (operation === undefined) throw new AssemblyError(`unknown ALU operation '${op}'`, span);
  const dstReg = reg(dst, 'destination', span);
  if (op === 'neg') return make(cls | operation.code | Source.K, dstReg, 0, 0, 0, span);
  if (src === undefined) throw new AssemblyError(`'${op}' needs a source register or immediate`, span);
  if (isRegister(src)) return make(cls | operation.code | Source.X, dstReg, reg(src, 'source', span), operation.offset, 0, span);
  return make(cls | operation.code | Source.K, dstReg, 0, operation.offset, imm32(src, cls === InstructionClass.ALU, span), span);
}

/** 64-bit arithmetic: dst = dst op src. `neg` ignores src. */
export function alu64(op: AluOp, dst: Register, src?: Operand, span?: SourceSpan): Instruction {
  return alu(InstructionClass.ALU64, op, dst, src, span);
}
/** 32-bit arithmetic (the upper half of dst is zeroed). `neg` ignores src. */
export function alu32(op: AluOp, dst: Register, src?: Operand, span?: SourceSpan): Instruction {
  return alu(InstructionClass.ALU, op, dst, src, span);
}
export function neg64(dst: Register, span?: SourceSpan): Instruction {
  return alu(InstructionClass.ALU64, 'neg', dst, undefined, span);
}
export function neg32(dst: Register, span?: SourceSpan): Instruction {
  return alu(InstructionClass.ALU, 'neg', dst, undefined, span);
}

function mov(cls: number, dst: Register, src: Operand, span: SourceSpan | undefined): Instruction {
  const dstReg = reg(dst, 'destination', span);
  if (isRegister(src)) return make(cls | AluCode.MOV | Source.X, dstReg, reg(src, 'source', span), 0, 0, span);
  return make(cls | AluCode.MOV | Source.K, dstReg, 0, 0, imm32(src, cls === InstructionClass.ALU, span), span);
}
/** dst = src (64-bit; an immediate is sign-extended). */
export function mov64(dst: Register, src: Operand, span?: SourceSpan): Instruction {
  return mov(InstructionClass.ALU64, dst, src, span);
}
/** dst = (u32)src, upper half zeroed. */
export function mov32(dst: Register, src: Operand, span?: SourceSpan): Instruction {
  return mov(InstructionClass.ALU, dst, src, span);
}
/** dst = (s8/s16/s32)src, sign-extended to 64 bits (ISA v4). */
export function movsx(dst: Register, src: Register, fromBits: 8 | 16 | 32, span?: SourceSpan): Instruction {
  if (fromBits !== 8 && fromBits !== 16 && fromBits !== 32) throw new AssemblyError(`movsx extends from 8, 16 or 32 bits, not ${fromBits}`, span);
  return make(InstructionClass.ALU64 | AluCode.MOV | Source.X, reg(dst, 'destination', span), reg(src, 'source', span), fromBits, 0, span);
}
/** w_dst = (s8/s16)w_src, sign-extended to 32 bits, upper half zeroed (ISA v4). */
export function movsx32(dst: Register, src: Register, fromBits: 8 | 16, span?: SourceSpan): Instruction {
  if (fromBits !== 8 && fromBits !== 16) throw new AssemblyError(`movsx32 extends from 8 or 16 bits, not ${fromBits}`, span);
  return make(InstructionClass.ALU | AluCode.MOV | Source.X, reg(dst, 'destination', span), reg(src, 'source', span), fromBits, 0, span);
}

function widthBits(bits: number, span: SourceSpan | undefined): number {
  if (bits !== 16 && bits !== 32 && bits !== 64) throw new AssemblyError(`byte swap width must be 16, 32 or 64, not ${bits}`, span);
  return bits;
}
/** Convert the low `bits` of dst between host order and little/big endian (a no-op or swap), zeroing the rest. */
export function endian(order: 'le' | 'be', dst: Register, bits: 16 | 32 | 64, span?: SourceSpan): Instruction {
  const source = order === 'be' ? ByteOrder.TO_BE : ByteOrder.TO_LE;
  return make(InstructionClass.ALU | AluCode.END | source, reg(dst, 'destination', span), 0, 0, widthBits(bits, span), span);
}
/** Unconditionally reverse the low `bits` of dst (ISA v4). */
export function bswap(dst: Register, bits: 16 | 32 | 64, span?: SourceSpan): Instruction {
  return make(InstructionClass.ALU64 | AluCode.END | Source.K, reg(dst, 'destination', span), 0, 0, widthBits(bits, span), span);
}

// ---- memory ----

const allSizes: readonly MemorySize[] = ['b', 'h', 'w', 'dw'];

/** dst = *(size *)(src + offset). */
export function ldx(sizeName: MemorySize, dst: Register, src: Register, offset: number, span?: SourceSpan): Instruction {
  return make(InstructionClass.LDX | Mode.MEM | size(sizeName, allSizes, span), reg(dst, 'destination', span), reg(src, 'source', span), frameOffset(offset, src, span), 0, span);
}
/** dst = *(s8/s16/s32 *)(src + offset), sign-extended (ISA v4). */
export function ldxsx(sizeName: 'b' | 'h' | 'w', dst: Register, src: Register, offset: number, span?: SourceSpan): Instruction {
  return make(InstructionClass.LDX | Mode.MEMSX | size(sizeName, ['b', 'h', 'w'], span), reg(dst, 'destination', span), reg(src, 'source', span), frameOffset(offset, src, span), 0, span);
}
/** *(size *)(dst + offset) = src. */
export function stx(sizeName: MemorySize, dst: Register, offset: number, src: Register, span?: SourceSpan): Instruction {
  return make(InstructionClass.STX | Mode.MEM | size(sizeName, allSizes, span), reg(dst, 'destination', span), reg(src, 'source', span), frameOffset(offset, dst, span), 0, span);
}
/** *(size *)(dst + offset) = imm (sign-extended for dw). */
export function st(sizeName: MemorySize, dst: Register, offset: number, imm: number, span?: SourceSpan): Instruction {
  return make(InstructionClass.ST | Mode.MEM | size(sizeName, allSizes, span), reg(dst, 'destination', span), 0, frameOffset(offset, dst, span), imm32(imm, sizeName !== 'dw', span), span);
}
/**
 * Atomic read-modify-write on *(size *)(dst + offset) with src. fetch_* and xchg put the old value in
 * src; cmpxchg compares with r0 and puts the old value in r0.
 */
export function atomic(sizeName: 'w' | 'dw', op: AtomicOp, dst: Register, offset: number, src: Register, span?: SourceSpan): Instruction {
  const code = atomicCodes[op];
  if (code === undefined) throw new AssemblyError(`unknown atomic operation '${op}'`, span);
  return make(InstructionClass.STX | Mode.ATOMIC | size(sizeName, ['w', 'dw'], span), reg(dst, 'destination', span), reg(src, 'source', span), offset16(offset, span), code, span);
}
/** dst = load_acquire((size *)(src + offset)) (kernel 6.15+). */
export function loadAcquire(sizeName: MemorySize, dst: Register, src: Register, offset: number, span?: SourceSpan): Instruction {
  return make(InstructionClass.STX | Mode.ATOMIC | size(sizeName, allSizes, span), reg(dst, 'destination', span), reg(src, 'source', span), offset16(offset, span), AtomicCode.LOAD_ACQUIRE, span);
}
/** store_release((size *)(dst + offset), src) (kernel 6.15+). */
export function storeRelease(sizeName: MemorySize, dst: Register, offset: number, src: Register, span?: SourceSpan): Instruction {
  return make(InstructionClass.STX | Mode.ATOMIC | size(sizeName, allSizes, span), reg(dst, 'destination', span), reg(src, 'source', span), offset16(offset, span), AtomicCode.STORE_RELEASE, span);
}

// ---- 64-bit immediate loads (two slots) ----

const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

function wide(opcodeDst: number, src: number, imm64: bigint, span: SourceSpan | undefined, extra?: Partial<Instruction>): Instruction {
  const imm = Number(BigInt.asIntN(32, imm64));
  const base: Instruction = span === undefined
    ? { opcode: Opcode.LDDW, dst: opcodeDst, src, offset: 0, imm, imm64 }
    : { opcode: Opcode.LDDW, dst: opcodeDst, src, offset: 0, imm, imm64, span };
  return extra === undefined ? base : { ...base, ...extra };
}

/** dst = a 64-bit constant. Negative values are stored as their two's complement; imm64 is kept unsigned. */
export function lddw(dst: Register, value: bigint | number, span?: SourceSpan): Instruction {
  const big = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof big !== 'bigint' || big < INT64_MIN || big > UINT64_MAX) {
    throw new AssemblyError(`lddw constant ${describe(value)} is not a 64-bit integer`, span);
  }
  return wide(reg(dst, 'destination', span), PseudoLoad.NONE, BigInt.asUintN(64, big), span);
}
/** dst = the map named `mapName` (its fd is patched in by linkMaps). */
export function ldMapFd(dst: Register, mapName: string, span?: SourceSpan): Instruction {
  return wide(reg(dst, 'destination', span), PseudoLoad.MAP_FD, 0n, span, { map: { name: mapName } });
}
/** dst = address of byte `offset` in the single value of the (array) map `mapName`. */
export function ldMapValue(dst: Register, mapName: string, offset: number, span?: SourceSpan): Instruction {
  if (!Number.isInteger(offset) || offset < 0 || offset > UINT32_MAX) throw new AssemblyError(`map value offset ${offset} is not a u32`, span);
  return wide(reg(dst, 'destination', span), PseudoLoad.MAP_VALUE, BigInt(offset) << 32n, span, { map: { name: mapName, valueOffset: offset } });
}
/** dst = the map with this already-known fd (feature probes, tests). */
export function ldMapByFd(dst: Register, fd: number, span?: SourceSpan): Instruction {
  if (!Number.isInteger(fd) || fd < 0 || fd > INT32_MAX) throw new AssemblyError(`map fd ${fd} is not a file descriptor`, span);
  return wide(reg(dst, 'destination', span), PseudoLoad.MAP_FD, BigInt(fd), span);
}
/** dst = the kernel variable with this BTF id in vmlinux's BTF (a ksym: per-CPU variables, for bpf_per_cpu_ptr). */
export function ldBtfId(dst: Register, btfId: number, span?: SourceSpan): Instruction {
  if (!Number.isInteger(btfId) || btfId <= 0 || btfId > INT32_MAX) throw new AssemblyError(`BTF id ${btfId} is not a type id`, span);
  return wide(reg(dst, 'destination', span), PseudoLoad.BTF_ID, BigInt(btfId), span);
}
/** dst = a pointer to the subprogram at `target` (for bpf_loop and other callbacks). */
export function ldFunc(dst: Register, target: string, span?: SourceSpan): Instruction {
  return wide(reg(dst, 'destination', span), PseudoLoad.FUNC, 0n, span, { target: labelName(target, span) });
}

// ---- jumps and calls ----

function conditional(cls: number, cond: JumpCondition, dst: Register, src: Operand, target: string, span: SourceSpan | undefined): Instruction {
  const code = jumpCodes[cond];
  if (code === undefined) throw new AssemblyError(`unknown jump condition '${cond}'`, span);
  const dstReg = reg(dst, 'compared register', span);
  const base = isRegister(src)
    ? make(cls | code | Source.X, dstReg, reg(src, 'source', span), 0, 0, span)
    : make(cls | code | Source.K, dstReg, 0, 0, imm32(src, cls === InstructionClass.JMP32, span), span);
  return { ...base, target: labelName(target, span) };
}
/** if (dst cond src) goto target, comparing 64 bits. */
export function jmp(cond: JumpCondition, dst: Register, src: Operand, target: string, span?: SourceSpan): Instruction {
  return conditional(InstructionClass.JMP, cond, dst, src, target, span);
}
/** if (w_dst cond w_src) goto target, comparing the low 32 bits. */
export function jmp32(cond: JumpCondition, dst: Register, src: Operand, target: string, span?: SourceSpan): Instruction {
  return conditional(InstructionClass.JMP32, cond, dst, src, target, span);
}
/** goto target (16-bit reach). */
export function ja(target: string, span?: SourceSpan): Instruction {
  return { ...make(Opcode.JA, 0, 0, 0, 0, span), target: labelName(target, span) };
}
/** goto target with a 32-bit reach (JMP32 | JA, offset in imm; ISA v4). */
export function gotol(target: string, span?: SourceSpan): Instruction {
  return { ...make(Opcode.JA32, 0, 0, 0, 0, span), target: labelName(target, span) };
}
/** may_goto target: falls through until the kernel's loop budget runs out, then jumps (kernel 6.9+). */
export function mayGoto(target: string, span?: SourceSpan): Instruction {
  return { ...make(Opcode.MAY_GOTO, 0, 0, 0, 0, span), target: labelName(target, span) };
}
/** Call a helper by id or by name without `bpf_` (`call('map_lookup_elem')`). */
export function call(helper: number | HelperName, span?: SourceSpan): Instruction {
  const id = typeof helper === 'string' ? helperId[helper] : helper;
  if (id === undefined) throw new AssemblyError(`unknown helper '${helper}'`, span);
  return make(Opcode.CALL, 0, PseudoCall.HELPER, 0, imm32(id, false, span), span);
}
/** Call the bpf-to-bpf subprogram at `target`. */
export function callLocal(target: string, span?: SourceSpan): Instruction {
  return { ...make(Opcode.CALL, 0, PseudoCall.LOCAL, 0, 0, span), target: labelName(target, span) };
}
/** Call a kernel function by its BTF id (`btfFdIndex` selects a module BTF from fd_array; 0 = vmlinux). */
export function callKfunc(btfId: number, span?: SourceSpan, btfFdIndex = 0): Instruction {
  return make(Opcode.CALL, 0, PseudoCall.KFUNC, offset16(btfFdIndex, span), imm32(btfId, false, span), span);
}
export function exit(span?: SourceSpan): Instruction {
  return make(Opcode.EXIT, 0, 0, 0, 0, span);
}
export function label(name: string): Label {
  if (typeof name !== 'string' || name === '') throw new AssemblyError('a label needs a non-empty name');
  return { label: name };
}
/** A copy of `instruction` carrying a comment (shown by debugging dumps). */
export function withComment(instruction: Instruction, comment: string): Instruction {
  return { ...instruction, comment };
}
