// Two passes over raw slots: the first places labels (lddw counts as two slots), the second encodes
// and resolves each target as `target - pc - 1`. Map fds are unknown until load, so map loads are
// recorded and patched later by linkMaps().
import type { SourceSpan } from '../diagnostics/span.js';
import { AssemblyError } from './errors.js';
import { checkFields, fieldsFit, highImm, lowImm, SLOT_BYTES, viewOf, writeImm, writeSlot } from './encode.js';
import { isLabel, type AsmItem, type Instruction } from './instruction.js';
import { classOf, InstructionClass, JumpCode, Opcode, operationOf, PseudoCall, PseudoLoad } from './opcodes.js';

export { AssemblyError } from './errors.js';

export interface MapReference {
  /** The first slot of the lddw whose low imm receives the map's fd. */
  readonly slot: number;
  readonly name: string;
}

export interface AssembledProgram {
  /** 8 bytes per slot, host byte order (little-endian here). */
  readonly bytes: Uint8Array;
  readonly slotCount: number;
  /** The source span of each slot (the second slot of lddw repeats the first). */
  readonly spans: readonly (SourceSpan | undefined)[];
  /** lddw slots whose imm needs a map fd. */
  readonly mapReferences: readonly MapReference[];
  /** label → slot */
  readonly labels: ReadonlyMap<string, number>;
}

/** Which field a label reference is written to, if the instruction can have one at all. */
function targetField(instruction: Instruction): 'offset' | 'imm' | undefined {
  const { opcode } = instruction;
  if (opcode === Opcode.LDDW) return instruction.src === PseudoLoad.FUNC ? 'imm' : undefined;
  const cls = classOf(opcode);
  if (cls !== InstructionClass.JMP && cls !== InstructionClass.JMP32) return undefined;
  const operation = operationOf(opcode);
  if (operation === JumpCode.CALL) return instruction.src === PseudoCall.LOCAL ? 'imm' : undefined;
  if (operation === JumpCode.EXIT) return undefined;
  if (opcode === Opcode.JA32) return 'imm';
  return 'offset';
}

function placeLabels(items: readonly AsmItem[]): { labels: Map<string, number>; slotCount: number } {
  const labels = new Map<string, number>();
  let slotCount = 0;
  for (const item of items) {
    if (isLabel(item)) {
      if (typeof item.label !== 'string') throw new AssemblyError(`item ${String(item)} is neither an instruction nor a label`);
      if (labels.has(item.label)) throw new AssemblyError(`duplicate label '${item.label}'`);
      labels.set(item.label, slotCount);
    } else {
      slotCount += item.opcode === Opcode.LDDW ? 2 : 1;
    }
  }
  return { labels, slotCount };
}

/** The distance `destination - pc - 1` to the instruction's label; throws if it has none or it is out of reach. */
function resolveTarget(instruction: Instruction, pc: number, labels: ReadonlyMap<string, number>, slotCount: number): number {
  const name = instruction.target!;
  const field = targetField(instruction);
  if (field === undefined) {
    throw new AssemblyError(`instruction at slot ${pc} (opcode 0x${instruction.opcode.toString(16)}) cannot refer to label '${name}'`, instruction.span);
  }
  const destination = labels.get(name);
  if (destination === undefined) throw new AssemblyError(`unresolved label '${name}'`, instruction.span);
  if (destination >= slotCount) {
    throw new AssemblyError(`label '${name}' is at the end of the program: there is no instruction to jump to`, instruction.span);
  }
  const distance = destination - pc - 1;
  if (field === 'offset' && (distance < -0x8000 || distance > 0x7fff)) {
    throw new AssemblyError(`jump to '${name}' is ${distance} slots away, beyond the 16-bit offset's reach (-32768..32767); use gotol`, instruction.span);
  }
  return distance;
}

/** Encode a symbolic program. Throws AssemblyError on bad labels, fields or map references. */
export function assemble(items: readonly AsmItem[]): AssembledProgram {
  const { labels, slotCount } = placeLabels(items);
  const bytes = new Uint8Array(slotCount * SLOT_BYTES);
  const view = viewOf(bytes);
  const spans: (SourceSpan | undefined)[] = new Array(slotCount);
  const mapReferences: MapReference[] = [];
  let slot = 0;
  let index = 0;
  for (const item of items) {
    if (isLabel(item)) continue;
    const instruction = item;
    // Each field is read once: items come in many shapes, so every property load is megamorphic.
    const { opcode, dst, src, imm64, target, map, span } = instruction;
    let { offset, imm } = instruction;
    if (!fieldsFit(opcode, dst, src, offset, imm)) checkFields(instruction, index);
    if (opcode === Opcode.LDDW && imm64 !== undefined) imm = lowImm(instruction);
    if (target !== undefined) {
      const distance = resolveTarget(instruction, slot, labels, slotCount);
      if (targetField(instruction) === 'offset') offset = distance;
      else imm = distance;
    }
    if (opcode === Opcode.LDDW) {
      let high = imm64 === undefined ? 0 : highImm(instruction);
      if (map !== undefined) {
        const { name, valueOffset } = map;
        if (src !== PseudoLoad.MAP_FD && src !== PseudoLoad.MAP_VALUE) {
          throw new AssemblyError(`map '${name}' referenced by an lddw whose src is ${src}, not MAP_FD or MAP_VALUE`, span);
        }
        if (typeof name !== 'string' || name === '') throw new AssemblyError('map reference without a name', span);
        imm = 0;
        if (src === PseudoLoad.MAP_VALUE && valueOffset !== undefined) high = valueOffset | 0;
        mapReferences.push({ slot, name });
      }
      writeSlot(view, slot, opcode, dst, src, offset, imm);
      writeSlot(view, slot + 1, 0, 0, 0, 0, high);
      spans[slot] = span;
      spans[slot + 1] = span;
      slot += 2;
    } else {
      if (map !== undefined) {
        throw new AssemblyError(`map '${map.name}' referenced by a non-lddw instruction (opcode 0x${opcode.toString(16)})`, span);
      }
      writeSlot(view, slot, opcode, dst, src, offset, imm);
      spans[slot] = span;
      slot += 1;
    }
    index += 1;
  }
  return { bytes, slotCount, spans, mapReferences, labels };
}

/**
 * A copy of the program's bytes with each map reference's imm set to `fdOf(name)`.
 * A name fdOf does not know (undefined or not a valid fd) is an AssemblyError.
 */
export function linkMaps(program: AssembledProgram, fdOf: (name: string) => number | undefined): Uint8Array {
  const bytes = program.bytes.slice();
  const view = viewOf(bytes);
  for (const reference of program.mapReferences) {
    const fd = fdOf(reference.name);
    if (fd === undefined || !Number.isInteger(fd) || fd < 0 || fd > 0x7fff_ffff) {
      throw new AssemblyError(`unknown map '${reference.name}' (no file descriptor for it)`, program.spans[reference.slot]);
    }
    writeImm(view, reference.slot, fd);
  }
  return bytes;
}
