// BPF_PROG_TEST_RUN attr: inputs, and the outputs the kernel writes back into the same attr.
import { type Address, viewOf, writeU32, writeU64, zeroedStruct } from './layout.js';

/** Run the program on the CPU in `cpu` (raw_tp only). */
export const TEST_RUN_ON_CPU = 1;

export interface TestRunAttr {
  readonly programFd: number;
  readonly dataIn?: { readonly address: Address; readonly size: number };
  readonly dataOut?: { readonly address: Address; readonly size: number };
  readonly ctxIn?: { readonly address: Address; readonly size: number };
  readonly ctxOut?: { readonly address: Address; readonly size: number };
  readonly repeat?: number;
  readonly flags?: number;
  readonly cpu?: number;
  readonly batchSize?: number;
}

const TEST_RUN_ATTR_SIZE = 80;

export function packTestRun(attr: TestRunAttr): Uint8Array {
  const { bytes, view } = zeroedStruct(TEST_RUN_ATTR_SIZE);
  writeU32(view, 0, attr.programFd);
  writeU32(view, 8, attr.dataIn?.size ?? 0);
  writeU32(view, 12, attr.dataOut?.size ?? 0);
  writeU64(view, 16, attr.dataIn?.address ?? 0n);
  writeU64(view, 24, attr.dataOut?.address ?? 0n);
  writeU32(view, 32, attr.repeat ?? 0);
  writeU32(view, 40, attr.ctxIn?.size ?? 0);
  writeU32(view, 44, attr.ctxOut?.size ?? 0);
  writeU64(view, 48, attr.ctxIn?.address ?? 0n);
  writeU64(view, 56, attr.ctxOut?.address ?? 0n);
  writeU32(view, 64, attr.flags ?? 0);
  writeU32(view, 68, attr.cpu ?? 0);
  writeU32(view, 72, attr.batchSize ?? 0);
  return bytes;
}

export interface TestRunOutput {
  readonly retval: number;
  readonly durationNs: number;
  readonly dataSizeOut: number;
  readonly ctxSizeOut: number;
}

export function readTestRunOutput(attr: Uint8Array): TestRunOutput {
  const view = viewOf(attr);
  return {
    retval: view.getUint32(4, true),
    durationNs: view.getUint32(36, true),
    dataSizeOut: view.getUint32(12, true),
    ctxSizeOut: view.getUint32(44, true),
  };
}
