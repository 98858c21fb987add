// The inverse of encoding: bytes back to Instructions. Jump offsets stay numeric (there are no
// labels in bytes); lddw becomes one Instruction with imm64 built from both slots.
import { AssemblyError } from './errors.js';
import type { Instruction } from './instruction.js';
import { readDst, readImm, readOffset, readOpcode, readSrc, SLOT_BYTES, viewOf } from './encode.js';
import { Opcode } from './opcodes.js';

export interface DecodedInstruction {
  /** Index of the instruction's first slot. */
  readonly slot: number;
  readonly instruction: Instruction;
}

/** Each instruction with the slot it starts at. Throws AssemblyError on a partial slot or a truncated lddw. */
export function decodeSlots(bytes: Uint8Array): DecodedInstruction[] {
  if (bytes.byteLength % SLOT_BYTES !== 0) {
    throw new AssemblyError(`program is ${bytes.byteLength} bytes, not a whole number of 8-byte slots`);
  }
  const view = viewOf(bytes);
  const slotCount = bytes.byteLength / SLOT_BYTES;
  const decoded: DecodedInstruction[] = [];
  for (let slot = 0; slot < slotCount; slot++) {
    const opcode = readOpcode(view, slot);
    const dst = readDst(view, slot);
    const src = readSrc(view, slot);
    const offset = readOffset(view, slot);
    const imm = readImm(view, slot);
    if (opcode === Opcode.LDDW) {
      if (slot + 1 >= slotCount) throw new AssemblyError(`lddw at slot ${slot} is missing its second slot`);
      const high = readImm(view, slot + 1);
      const imm64 = (BigInt(high >>> 0) << 32n) | BigInt(imm >>> 0);
      decoded.push({ slot, instruction: { opcode, dst, src, offset, imm, imm64 } });
      slot += 1;
    } else {
      decoded.push({ slot, instruction: { opcode, dst, src, offset, imm } });
    }
  }
  return decoded;
}

export function decode(bytes: Uint8Array): Instruction[] {
  return decodeSlots(bytes).map((entry) => entry.instruction);
}
