// BPF_PROG_LOAD attr. The log fields drive the verifier-log retry; log_true_size (6.4+) is read back.
import { type Address, BPF_ATTR_SIZE, OBJECT_NAME_CAPACITY, viewOf, writeFixedString, writeU32, writeU64, zeroedStruct } from './layout.js';

export interface ProgLoadAttr {
  readonly programType: number;
  /** Instruction slots (8 bytes each). */
  readonly instructionCount: number;
  readonly instructions: Address;
  /** NUL-terminated license string. */
  readonly license: Address;
  readonly logLevel?: number;
  readonly logSize?: number;
  readonly logBuffer?: Address;
  readonly kernelVersion?: number;
  readonly flags?: number;
  readonly name?: string;
  readonly ifindex?: number;
  readonly expectedAttachType?: number;
  readonly btfFd?: number;
  readonly funcInfoRecordSize?: number;
  readonly funcInfo?: Address;
  readonly funcInfoCount?: number;
  readonly lineInfoRecordSize?: number;
  readonly lineInfo?: Address;
  readonly lineInfoCount?: number;
  readonly attachBtfId?: number;
  readonly attachProgFd?: number;
  readonly fdArray?: Address;
}

const LOG_TRUE_SIZE_OFFSET = 140;

export function packProgLoad(attr: ProgLoadAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(BPF_ATTR_SIZE);
  writeU32(view, 0, attr.programType);
  writeU32(view, 4, attr.instructionCount);
  writeU64(view, 8, attr.instructions);
  writeU64(view, 16, attr.license);
  writeU32(view, 24, attr.logLevel ?? 0);
  writeU32(view, 28, attr.logSize ?? 0);
  writeU64(view, 32, attr.logBuffer ?? 0n);
  writeU32(view, 40, attr.kernelVersion ?? 0);
  writeU32(view, 44, attr.flags ?? 0);
  if (attr.name) writeFixedString(view, 48, OBJECT_NAME_CAPACITY, attr.name);
  writeU32(view, 64, attr.ifindex ?? 0);
  writeU32(view, 68, attr.expectedAttachType ?? 0);
  writeU32(view, 72, attr.btfFd ?? 0);
  writeU32(view, 76, attr.funcInfoRecordSize ?? 0);
  writeU64(view, 80, attr.funcInfo ?? 0n);
  writeU32(view, 88, attr.funcInfoCount ?? 0);
  writeU32(view, 92, attr.lineInfoRecordSize ?? 0);
  writeU64(view, 96, attr.lineInfo ?? 0n);
  writeU32(view, 104, attr.lineInfoCount ?? 0);
  writeU32(view, 108, attr.attachBtfId ?? 0);
  writeU32(view, 112, attr.attachProgFd ?? 0);
  writeU64(view, 120, attr.fdArray ?? 0n);
  return bytes;
}

/**
 * The log size the verifier needed (6.4+): set after a load with a log, also on ENOSPC. 0 on older
 * kernels, which leave the field untouched.
 */
export function readLogTrueSize(attr: Uint8Array): number {
  return viewOf(attr).getUint32(LOG_TRUE_SIZE_OFFSET, true);
}
