// Disassembly in the kernel verifier's syntax (`5: (15) if r0 == 0x0 goto pc+3`), so our dumps read
// like the verifier log and bpftool output users already know. Pseudo-loads follow bpftool
// (`map[fd:5]`, `map[fd:5][0]+8`, `subprog[+3]`) since we know fds where bpftool knows ids.
import type { AssembledProgram } from './assembler.js';
import { decodeSlots } from './decode.js';
import type { Instruction } from './instruction.js';
import {
  ADDR_SPACE_CAST_OFFSET, AluCode, AtomicCode, ByteOrder, classOf, InstructionClass, JumpCode, Mode, modeOf, Opcode,
  operationOf, PseudoCall, PseudoLoad, Size, sizeOf, Source, sourceOf,
} from './opcodes.js';
import { helperName } from './uapi.generated.js';

export interface DisassembleOptions {
  /** A name for the map behind an fd in an lddw (shown as `map[fd:5 name:counts]`). */
  mapName?(fd: number): string | undefined;
  /** A name for the map loaded at this slot, for programs not yet linked (their fds are all 0). */
  mapNameAtSlot?(slot: number): string | undefined;
  /** A name for a kfunc's BTF id (otherwise `kernel-function`). */
  kfuncName?(btfId: number): string | undefined;
}

const aluSymbols: Readonly<Record<number, string>> = {
  [AluCode.ADD]: '+=', [AluCode.SUB]: '-=', [AluCode.MUL]: '*=', [AluCode.DIV]: '/=', [AluCode.OR]: '|=',
  [AluCode.AND]: '&=', [AluCode.LSH]: '<<=', [AluCode.RSH]: '>>=', [AluCode.NEG]: 'neg', [AluCode.MOD]: '%=',
  [AluCode.XOR]: '^=', [AluCode.MOV]: '=', [AluCode.ARSH]: 's>>=', [AluCode.END]: 'endian',
};
const jumpSymbols: Readonly<Record<number, string>> = {
  [JumpCode.JA]: 'jmp', [JumpCode.JEQ]: '==', [JumpCode.JGT]: '>', [JumpCode.JGE]: '>=', [JumpCode.JSET]: '&',
  [JumpCode.JNE]: '!=', [JumpCode.JSGT]: 's>', [JumpCode.JSGE]: 's>=', [JumpCode.CALL]: 'call',
  [JumpCode.EXIT]: 'exit', [JumpCode.JLT]: '<', [JumpCode.JLE]: '<=', [JumpCode.JSLT]: 's<', [JumpCode.JSLE]: 's<=',
};
const atomicNames: Readonly<Record<number, string>> = {
  [AtomicCode.ADD]: 'add', [AtomicCode.OR]: 'or', [AtomicCode.AND]: 'and', [AtomicCode.XOR]: 'xor',
};
const classNames = ['ld', 'ldx', 'st', 'stx', 'alu', 'jmp', 'jmp32', 'alu64'] as const;

function unsignedType(size: number): string {
  switch (size) {
    case Size.W: return 'u32';
    case Size.H: return 'u16';
    case Size.B: return 'u8';
    default: return 'u64';
  }
}
function signedType(size: number): string {
  switch (size) {
    case Size.W: return 's32';
    case Size.H: return 's16';
    case Size.B: return 's8';
    default: return '(null)'; // MEMSX has no 64-bit form; the kernel prints a NULL string here
  }
}

/** C's %+d. */
function signed(value: number): string {
  return value < 0 ? `${value}` : `+${value}`;
}
function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
function memory(type: string, base: number, offset: number): string {
  return `(${type} *)(r${base} ${signed(offset)})`;
}

function aluText(instruction: Instruction): string {
  const { opcode, dst, src, offset, imm } = instruction;
  const wide = classOf(opcode) === InstructionClass.ALU64;
  const r = wide ? 'r' : 'w';
  const operation = operationOf(opcode);
  if (operation === AluCode.END) {
    if (wide) return `r${dst} = bswap${imm} r${dst}`;
    return `r${dst} = ${sourceOf(opcode) === ByteOrder.TO_BE ? 'be' : 'le'}${imm} r${dst}`;
  }
  if (operation === AluCode.NEG) return `${r}${dst} = -${r}${dst}`;
  if (opcode === (InstructionClass.ALU64 | AluCode.MOV | Source.X) && offset === ADDR_SPACE_CAST_OFFSET) {
    return `r${dst} = addr_space_cast(r${src}, ${imm >>> 16}, ${imm & 0xffff})`;
  }
  const signedDivision = (operation === AluCode.DIV || operation === AluCode.MOD) && offset === 1;
  const symbol = signedDivision ? (operation === AluCode.DIV ? 's/=' : 's%=') : aluSymbols[operation] ?? '(null)';
  if (sourceOf(opcode) === Source.X) {
    const extension = operation === AluCode.MOV && (offset === 8 || offset === 16 || offset === 32) ? `(s${offset})` : '';
    return `${r}${dst} ${symbol} ${extension}${r}${src}`;
  }
  return `${r}${dst} ${symbol} ${imm}`;
}

function storeText(instruction: Instruction): string {
  const { opcode, dst, src, offset, imm } = instruction;
  const size = sizeOf(opcode);
  const type = unsignedType(size);
  const mode = modeOf(opcode);
  if (mode === Mode.MEM) return `*${memory(type, dst, offset)} = r${src}`;
  if (mode !== Mode.ATOMIC) return `BUG_${byte(opcode)}`;
  const bits = size === Size.DW ? '64' : '';
  const operation = imm & ~AtomicCode.FETCH;
  const known = atomicNames[operation] !== undefined;
  if (known && (imm & AtomicCode.FETCH) === 0) return `lock *${memory(type, dst, offset)} ${aluSymbols[operation]} r${src}`;
  if (known) return `r${src} = atomic${bits}_fetch_${atomicNames[operation]}(${memory(type, dst, offset)}, r${src})`;
  if (imm === AtomicCode.CMPXCHG) return `r0 = atomic${bits}_cmpxchg(${memory(type, dst, offset)}, r0, r${src})`;
  if (imm === AtomicCode.XCHG) return `r${src} = atomic${bits}_xchg(${memory(type, dst, offset)}, r${src})`;
  if (imm === AtomicCode.LOAD_ACQUIRE) return `r${dst} = load_acquire(${memory(type, src, offset)})`;
  if (imm === AtomicCode.STORE_RELEASE) return `store_release(${memory(type, dst, offset)}, r${src})`;
  return `BUG_${byte(opcode)}`;
}

function wideLoadText(instruction: Instruction, slot: number, options: DisassembleOptions): string {
  const { dst, src } = instruction;
  const imm64 = instruction.imm64 ?? BigInt(instruction.imm >>> 0);
  const low = Number(imm64 & 0xffff_ffffn);
  const high = Number(imm64 >> 32n);
  const mapLabel = (): string => {
    const name = options.mapNameAtSlot?.(slot) ?? options.mapName?.(low);
    return name === undefined ? `map[fd:${low}]` : `map[fd:${low} name:${name}]`;
  };
  switch (src) {
    case PseudoLoad.MAP_FD: return `r${dst} = ${mapLabel()}`;
    case PseudoLoad.MAP_VALUE: return `r${dst} = ${mapLabel()}[0]+${high}`;
    case PseudoLoad.FUNC: return `r${dst} = subprog[${signed(instruction.imm)}]`;
    case PseudoLoad.MAP_IDX: return `r${dst} = map[idx:${low}]`;
    case PseudoLoad.MAP_IDX_VALUE: return `r${dst} = map[idx:${low}][0]+${high}`;
    default: return `r${dst} = ${hex(imm64)}`;
  }
}

function loadText(instruction: Instruction, slot: number, options: DisassembleOptions): string {
  const { opcode, src, imm } = instruction;
  const mode = modeOf(opcode);
  const type = unsignedType(sizeOf(opcode));
  if (mode === Mode.ABS) return `r0 = *(${type} *)skb[${imm}]`;
  if (mode === Mode.IND) return `r0 = *(${type} *)skb[r${src} + ${imm}]`;
  if (opcode === Opcode.LDDW) return wideLoadText(instruction, slot, options);
  return `BUG_ld_${byte(opcode)}`;
}

function jumpText(instruction: Instruction, options: DisassembleOptions): string {
  const { opcode, dst, src, offset, imm } = instruction;
  const operation = operationOf(opcode);
  const r = classOf(opcode) === InstructionClass.JMP32 ? 'w' : 'r';
  if (operation === JumpCode.CALL) {
    if (src === PseudoCall.LOCAL) return `call pc${signed(imm)}`;
    if (src === PseudoCall.KFUNC) return `call ${options.kfuncName?.(imm) ?? 'kernel-function'}#${imm}`;
    const name = src === PseudoCall.HELPER ? helperName(imm) : undefined;
    return `call ${name === undefined ? 'unknown' : `bpf_${name}`}#${imm}`;
  }
  if (opcode === Opcode.JA) return `goto pc${signed(offset)}`;
  if (opcode === Opcode.MAY_GOTO && src === 0) return `may_goto pc${signed(offset)}`;
  if (opcode === Opcode.JA32) return `gotol pc${signed(imm)}`;
  if (opcode === Opcode.EXIT) return 'exit';
  const symbol = jumpSymbols[operation] ?? '(null)';
  if (sourceOf(opcode) === Source.X) return `if ${r}${dst} ${symbol} ${r}${src} goto pc${signed(offset)}`;
  return `if ${r}${dst} ${symbol} ${hex(imm >>> 0)} goto pc${signed(offset)}`;
}

function byte(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** The text after `(op) ` for one instruction starting at `slot`. */
export function instructionText(instruction: Instruction, slot = 0, options: DisassembleOptions = {}): string {
  const { opcode, dst, offset, imm } = instruction;
  const cls = classOf(opcode);
  switch (cls) {
    case InstructionClass.ALU:
    case InstructionClass.ALU64:
      return aluText(instruction);
    case InstructionClass.STX:
      return storeText(instruction);
    case InstructionClass.ST: {
      const mode = modeOf(opcode);
      if (mode === Mode.MEM) return `*${memory(unsignedType(sizeOf(opcode)), dst, offset)} = ${imm}`;
      if (mode === Mode.ATOMIC) return 'nospec'; // kernel-internal speculation barrier
      return `BUG_st_${byte(opcode)}`;
    }
    case InstructionClass.LDX: {
      const mode = modeOf(opcode);
      if (mode === Mode.MEM) return `r${dst} = *${memory(unsignedType(sizeOf(opcode)), instruction.src, offset)}`;
      if (mode === Mode.MEMSX) return `r${dst} = *${memory(signedType(sizeOf(opcode)), instruction.src, offset)}`;
      return `BUG_ldx_${byte(opcode)}`;
    }
    case InstructionClass.LD:
      return loadText(instruction, slot, options);
    case InstructionClass.JMP:
    case InstructionClass.JMP32:
      return jumpText(instruction, options);
    default: {
      const never: never = cls;
      return classNames[never as number] ?? 'BUG';
    }
  }
}

/** One line per instruction, `index: (opcode) text`, indexed by slot as the verifier does. */
export function disassemble(bytes: Uint8Array, options: DisassembleOptions = {}): string[] {
  return decodeSlots(bytes).map(({ slot, instruction }) => `${slot}: (${byte(instruction.opcode)}) ${instructionText(instruction, slot, options)}`);
}

/** Disassemble an assembled (possibly unlinked) program, naming its maps from its references. */
export function disassembleProgram(program: AssembledProgram, bytes: Uint8Array = program.bytes, options: DisassembleOptions = {}): string[] {
  const mapsBySlot = new Map(program.mapReferences.map((reference) => [reference.slot, reference.name]));
  return disassemble(bytes, { ...options, mapNameAtSlot: (slot) => mapsBySlot.get(slot) ?? options.mapNameAtSlot?.(slot) });
}
