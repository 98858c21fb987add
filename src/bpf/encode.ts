// Slot-level encoding shared by the assembler and the decoder. A slot is 8 bytes:
// opcode u8 | regs u8 | offset s16 | imm s32, in host byte order; the register nibbles follow the
// host's bitfield order (dst in the low nibble on little-endian hosts).
import { AssemblyError } from './errors.js';
import type { Instruction } from './instruction.js';
import { Opcode } from './opcodes.js';

export const SLOT_BYTES = 8;

export const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function writeSlot(view: DataView, slot: number, opcode: number, dst: number, src: number, offset: number, imm: number): void {
  const at = slot * SLOT_BYTES;
  view.setUint8(at, opcode);
  view.setUint8(at + 1, hostLittleEndian ? (src << 4) | dst : (dst << 4) | src);
  view.setInt16(at + 2, offset, hostLittleEndian);
  view.setInt32(at + 4, imm, hostLittleEndian);
}

export function readOpcode(view: DataView, slot: number): number {
  return view.getUint8(slot * SLOT_BYTES);
}
export function readDst(view: DataView, slot: number): number {
  const regs = view.getUint8(slot * SLOT_BYTES + 1);
  return hostLittleEndian ? regs & 0x0f : regs >> 4;
}
export function readSrc(view: DataView, slot: number): number {
  const regs = view.getUint8(slot * SLOT_BYTES + 1);
  return hostLittleEndian ? regs >> 4 : regs & 0x0f;
}
export function readOffset(view: DataView, slot: number): number {
  return view.getInt16(slot * SLOT_BYTES + 2, hostLittleEndian);
}
export function readImm(view: DataView, slot: number): number {
  return view.getInt32(slot * SLOT_BYTES + 4, hostLittleEndian);
}
export function writeImm(view: DataView, slot: number, imm: number): void {
  view.setInt32(slot * SLOT_BYTES + 4, imm, hostLittleEndian);
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The high 32 bits of an lddw immediate (the second slot's imm), as a signed int32. */
export function highImm(instruction: Instruction): number {
  if (instruction.imm64 === undefined) return 0;
  return Number(BigInt.asIntN(32, instruction.imm64 >> 32n));
}
/** The low 32 bits of an lddw immediate, as a signed int32. */
export function lowImm(instruction: Instruction): number {
  if (instruction.imm64 === undefined) return instruction.imm | 0;
  return Number(BigInt.asIntN(32, instruction.imm64));
}

/** True when each wire field fits its bit width (bit tricks: they also reject fractions, NaN and non-numbers). */
export function fieldsFit(opcode: number, dst: number, src: number, offset: number, imm: number): boolean {
  return (opcode & 0xff) === opcode && (dst & 0x0f) === dst && dst <= 10 && (src & 0x0f) === src && src <= 10
    && (offset << 16) >> 16 === offset && (imm | 0) === imm;
}

/** Throws unless every wire field of `instruction` fits its bit width. */
export function checkFields(instruction: Instruction, index: number): void {
  const { opcode, dst, src, offset, imm } = instruction;
  if (fieldsFit(opcode, dst, src, offset, imm)) return;
  const problem =
    (opcode & 0xff) !== opcode ? `opcode ${opcode} is not a byte`
    : (dst & 0x0f) !== dst || dst > 10 ? `dst register ${dst} is not r0..r10`
    : (src & 0x0f) !== src || src > 10 ? `src ${src} is not a register r0..r10 or pseudo source`
    : (offset << 16) >> 16 !== offset ? `offset ${offset} does not fit in 16 bits`
    : `immediate ${imm} does not fit in a signed 32-bit field`;
  throw new AssemblyError(`instruction ${index}: ${problem}`, instruction.span);
}

/**
 * Encode instructions whose jumps already carry numeric offsets (no labels, no map names).
 * Use assemble() for symbolic programs.
 */
export function encode(instructions: readonly Instruction[]): Uint8Array {
  let slots = 0;
  for (const instruction of instructions) slots += instruction.opcode === Opcode.LDDW ? 2 : 1;
  const bytes = new Uint8Array(slots * SLOT_BYTES);
  const view = viewOf(bytes);
  let slot = 0;
  for (let index = 0; index < instructions.length; index++) {
    const instruction = instructions[index]!;
    checkFields(instruction, index);
    if (instruction.target !== undefined || instruction.map !== undefined) {
      throw new AssemblyError('encode() takes resolved instructions; use assemble() for labels and map names', instruction.span);
    }
    if (instruction.opcode === Opcode.LDDW) {
      writeSlot(view, slot, instruction.opcode, instruction.dst, instruction.src, instruction.offset, lowImm(instruction));
      writeSlot(view, slot + 1, 0, 0, 0, 0, highImm(instruction));
      slot += 2;
    } else {
      writeSlot(view, slot, instruction.opcode, instruction.dst, instruction.src, instruction.offset, instruction.imm);
      slot += 1;
    }
  }
  return bytes;
}
