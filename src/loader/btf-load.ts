// BPF_BTF_LOAD: hands a BTF blob to the kernel and returns its fd (programs and maps refer to it).
// The first attempt runs without a log, the cheap path; only a refused blob is loaded again with a log,
// grown when the kernel says it did not fit, so the error can show the kernel's own explanation.
import { BpfCommand } from '../bpf/uapi.generated.js';
import { errnoName, native } from './native.js';

/** union bpf_attr up to btf_log_true_size; the kernel zero-fills the rest of its copy. */
export const BTF_LOAD_ATTR_SIZE = 32;
const INITIAL_LOG_SIZE = 64 * 1024;
const MAX_LOG_SIZE = 64 * 1024 * 1024;
const ENOSPC = 28;

export interface BtfHandle {
  readonly fd: number;
  close(): void;
}

export interface BtfLoadAttrFields {
  readonly blobAddress: bigint;
  readonly blobSize: number;
  readonly logAddress: bigint;
  readonly logSize: number;
  readonly logLevel: number;
}

/** The bpf_attr bytes for BPF_BTF_LOAD (btf @0, btf_log_buf @8, btf_size @16, log size @20, level @24). */
export function encodeBtfLoadAttr(fields: BtfLoadAttrFields): Uint8Array {
  const attr = new Uint8Array(BTF_LOAD_ATTR_SIZE);
  const view = new DataView(attr.buffer);
  view.setBigUint64(0, fields.blobAddress, true);
  view.setBigUint64(8, fields.logAddress, true);
  view.setUint32(16, fields.blobSize, true);
  view.setUint32(20, fields.logSize, true);
  view.setUint32(24, fields.logLevel, true);
  // @28 btf_log_true_size is written by the kernel (6.4+) when a log was requested.
  return attr;
}

/** The kernel refused a blob; `log` is its BTF verifier's full explanation. */
export class BtfLoadError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly log: string;
  constructor(errno: number, log: string) {
    const code = errnoName(errno);
    const lines = log.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
    // The kernel logs the header fields first and the offending type last: the last line says why.
    const reason = lines.length > 0 ? `: ${lines[lines.length - 1]}` : '';
    super(`BTF load failed (${code})${reason}`);
    this.name = 'BtfLoadError';
    this.errno = errno;
    this.code = code;
    this.log = log;
  }
}

function decodeLog(buffer: Uint8Array): string {
  const end = buffer.indexOf(0);
  return new TextDecoder().decode(end < 0 ? buffer : buffer.subarray(0, end));
}

function handle(fd: number): BtfHandle {
  let open = true;
  return {
    fd,
    close() {
      if (!open) return;
      open = false;
      native().close(fd);
    },
  };
}

export function loadBtf(blob: Uint8Array): BtfHandle {
  const addon = native();
  const blobAddress = addon.addressOf(blob);
  const quiet = encodeBtfLoadAttr({ blobAddress, blobSize: blob.byteLength, logAddress: 0n, logSize: 0, logLevel: 0 });
  const fd = addon.bpf(BpfCommand.BTF_LOAD, quiet);
  if (fd >= 0) return handle(fd);

  let logSize = INITIAL_LOG_SIZE;
  for (;;) {
    const logBuffer = new Uint8Array(logSize);
    const attr = encodeBtfLoadAttr({
      blobAddress, blobSize: blob.byteLength, logAddress: addon.addressOf(logBuffer), logSize, logLevel: 1,
    });
    const result = addon.bpf(BpfCommand.BTF_LOAD, attr);
    if (result >= 0) return handle(result);
    const trueSize = new DataView(attr.buffer).getUint32(28, true);
    if (-result === ENOSPC && logSize < MAX_LOG_SIZE) {
      logSize = Math.min(MAX_LOG_SIZE, Math.max(trueSize + 1, logSize * 4));
      continue;
    }
    throw new BtfLoadError(-result, decodeLog(logBuffer));
  }
}
