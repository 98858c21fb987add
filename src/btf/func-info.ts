// The per-program BTF records that PROG_LOAD takes next to the bytecode: func_info marks where each
// function (main program, bpf2bpf callee, bpf_loop callback) starts and names its BTF FUNC; line_info
// ties instructions to source lines, which the verifier then prints in its log.
import { BtfError } from './format.js';
import type { TypeId } from './types.js';

/** sizeof(struct bpf_func_info) {insn_off, type_id}. */
export const FUNC_INFO_RECORD_SIZE = 8;
/** sizeof(struct bpf_line_info) {insn_off, file_name_off, line_off, line_col}. */
export const LINE_INFO_RECORD_SIZE = 16;

export interface FuncInfoRecord {
  /** Where the function starts, in 8-byte instruction slots (not bytes). */
  readonly instructionOffset: number;
  /** The BTF FUNC type describing it. */
  readonly typeId: TypeId;
}

export interface LineInfoRecord {
  readonly instructionOffset: number;
  /** String offsets in the program's BTF (BtfWriter.string). */
  readonly fileNameOffset: number;
  readonly lineTextOffset: number;
  /** 1-based line; the kernel keeps 22 bits. */
  readonly line: number;
  /** 1-based column; the kernel keeps 10 bits, so longer columns are clamped. */
  readonly column: number;
}

/** What loadProgram's `btf` option takes besides the BTF fd. */
export interface FuncInfoSection {
  readonly funcInfo: Uint8Array;
  readonly funcInfoRecordSize: number;
  readonly funcInfoCount: number;
}

export interface LineInfoSection {
  readonly lineInfo: Uint8Array;
  readonly lineInfoRecordSize: number;
  readonly lineInfoCount: number;
}

/** The kernel wants func_info sorted by offset, the first at 0, and no two at one offset. */
export function encodeFuncInfo(records: readonly FuncInfoRecord[]): FuncInfoSection {
  const sorted = [...records].sort((a, b) => a.instructionOffset - b.instructionOffset);
  if (sorted.length > 0 && sorted[0]!.instructionOffset !== 0) {
    throw new BtfError(`func_info must start at instruction 0, not ${sorted[0]!.instructionOffset}`);
  }
  const bytes = new Uint8Array(sorted.length * FUNC_INFO_RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  sorted.forEach((record, index) => {
    if (index > 0 && sorted[index - 1]!.instructionOffset === record.instructionOffset) {
      throw new BtfError(`two functions start at instruction ${record.instructionOffset}`);
    }
    view.setUint32(index * FUNC_INFO_RECORD_SIZE, record.instructionOffset, true);
    view.setUint32(index * FUNC_INFO_RECORD_SIZE + 4, record.typeId, true);
  });
  return { funcInfo: bytes, funcInfoRecordSize: FUNC_INFO_RECORD_SIZE, funcInfoCount: sorted.length };
}

export function encodeLineInfo(records: readonly LineInfoRecord[]): LineInfoSection {
  const sorted = [...records].sort((a, b) => a.instructionOffset - b.instructionOffset);
  const bytes = new Uint8Array(sorted.length * LINE_INFO_RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  sorted.forEach((record, index) => {
    const at = index * LINE_INFO_RECORD_SIZE;
    const line = Math.min(record.line, 0x3fffff);
    const column = Math.min(record.column, 0x3ff);
    view.setUint32(at, record.instructionOffset, true);
    view.setUint32(at + 4, record.fileNameOffset, true);
    view.setUint32(at + 8, record.lineTextOffset, true);
    view.setUint32(at + 12, ((line << 10) | column) >>> 0, true);
  });
  return { lineInfo: bytes, lineInfoRecordSize: LINE_INFO_RECORD_SIZE, lineInfoCount: sorted.length };
}
