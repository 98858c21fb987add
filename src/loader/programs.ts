// Loading programs: load without a log, and only on failure reload with one, growing the buffer
// until the whole log fits, so that a rejection arrives as a VerifierError with the complete log.
import { AttachType, BpfCommand, ProgramType } from '../bpf/uapi.generated.js';
import { cString, sanitizeObjectName } from './attr/layout.js';
import { decodeProgramInfo, packObjInfo, PROG_INFO_SIZE, type ProgramInfo, readInfoLength } from './attr/obj-info.js';
import { packProgLoad, type ProgLoadAttr, readLogTrueSize } from './attr/prog-load.js';
import { packEnableStats, StatsType } from './attr/enable-stats.js';
import { packTestRun, readTestRunOutput } from './attr/test-run.js';
import { native } from './native.js';
import { bpf, bpfOrThrow, closeFd } from './syscall.js';
import { splitLog, VerifierError } from './verifier-error.js';

export interface ProgramBtf {
  readonly fd: number;
  readonly funcInfo?: Uint8Array;
  readonly funcInfoRecordSize?: number;
  readonly funcInfoCount?: number;
  readonly lineInfo?: Uint8Array;
  readonly lineInfoRecordSize?: number;
  readonly lineInfoCount?: number;
}

export interface ProgramSpec {
  readonly name: string;
  readonly type: ProgramType;
  /** Linked instructions (map fds patched in), 8 bytes per slot. */
  readonly bytes: Uint8Array;
  readonly license?: string;
  readonly expectedAttachType?: AttachType;
  readonly attachBtfId?: number;
  readonly attachProgFd?: number;
  readonly flags?: number;
  readonly btf?: ProgramBtf;
  /** Ask for a verifier log even on success (1 = branches, 2 = every instruction, 4 = stats). */
  readonly logLevel?: number;
  /** First log buffer size in bytes; it grows on ENOSPC. */
  readonly logSize?: number;
}

export interface TestRunOptions {
  /** Context passed to the program (raw_tp: the u64 argument array). */
  readonly ctx?: Uint8Array;
  /** Room for the context the program leaves behind (not for raw_tp). */
  readonly ctxOutSize?: number;
  /** Packet data for skb/xdp programs. */
  readonly dataIn?: Uint8Array;
  readonly dataOutSize?: number;
  /** Run this many times (not for raw_tp); duration is then the mean. */
  readonly repeat?: number;
  readonly flags?: number;
  readonly cpu?: number;
}

export interface TestRunResult {
  readonly retval: number;
  readonly durationNs: number;
  readonly ctxOut?: Uint8Array;
  readonly dataOut?: Uint8Array;
}

const EAGAIN = 11;
const ENOSPC = 28;
const DEFAULT_LOG_SIZE = 64 * 1024;
/** The kernel's own cap is UINT32_MAX >> 2; a log this size is already unreadable. */
const MAX_LOG_SIZE = 256 * 1024 * 1024;
const MAX_LOG_ATTEMPTS = 8;
const MAX_EAGAIN_RETRIES = 5;

/** The pieces of a PROG_LOAD that stay fixed across retries, kept referenced while in use. */
interface LoadBuffers {
  readonly instructions: Uint8Array;
  readonly license: Uint8Array;
  readonly funcInfo?: Uint8Array;
  readonly lineInfo?: Uint8Array;
}

function baseAttr(spec: ProgramSpec, name: string, buffers: LoadBuffers): ProgLoadAttr {
  const addressOf = native().addressOf;
  const btf = spec.btf;
  return {
    programType: spec.type,
    instructionCount: spec.bytes.length / 8,
    instructions: addressOf(buffers.instructions),
    license: addressOf(buffers.license),
    flags: spec.flags,
    name,
    expectedAttachType: spec.expectedAttachType,
    attachBtfId: spec.attachBtfId,
    attachProgFd: spec.attachProgFd,
    btfFd: btf?.fd,
    funcInfo: buffers.funcInfo ? addressOf(buffers.funcInfo) : undefined,
    funcInfoRecordSize: btf?.funcInfoRecordSize,
    funcInfoCount: btf?.funcInfoCount,
    lineInfo: buffers.lineInfo ? addressOf(buffers.lineInfo) : undefined,
    lineInfoRecordSize: btf?.lineInfoRecordSize,
    lineInfoCount: btf?.lineInfoCount,
  };
}

/** PROG_LOAD, retrying the kernel's transient EAGAIN. */
function loadOnce(attr: ProgLoadAttr): { result: number; packed: Uint8Array } {
  let packed = packProgLoad(attr);
  let result = bpf(BpfCommand.PROG_LOAD, packed);
  for (let retry = 0; result === -EAGAIN && retry < MAX_EAGAIN_RETRIES; retry++) {
    packed = packProgLoad(attr);
    result = bpf(BpfCommand.PROG_LOAD, packed);
  }
  return { result, packed };
}

interface LoggedLoad {
  readonly result: number;
  readonly logText: string;
  readonly truncated: boolean;
}

/** Loads with a log at `level`, growing the buffer while the kernel says ENOSPC. */
function loadWithLog(attr: ProgLoadAttr, level: number, initialSize: number): LoggedLoad {
  let size = Math.max(128, initialSize);
  for (let attempt = 1; ; attempt++) {
    const log = new Uint8Array(size);
    const { result, packed } = loadOnce({ ...attr, logLevel: level, logSize: size, logBuffer: native().addressOf(log) });
    const canGrow = result === -ENOSPC && size < MAX_LOG_SIZE && attempt < MAX_LOG_ATTEMPTS;
    if (!canGrow) {
      const end = log.indexOf(0);
      const logText = new TextDecoder().decode(end >= 0 ? log.subarray(0, end) : log);
      return { result, logText, truncated: result === -ENOSPC };
    }
    // 6.4+ reports the size it needed (including the NUL); older kernels leave 0 and we guess.
    const needed = readLogTrueSize(packed);
    size = Math.min(MAX_LOG_SIZE, needed > size ? needed : size * 4);
  }
}

export function loadProgram(spec: ProgramSpec): BpfProgram {
  if (spec.bytes.length === 0 || spec.bytes.length % 8 !== 0) {
    throw new RangeError(`program ${spec.name}: ${spec.bytes.length} bytes is not a whole number of instructions`);
  }
  const name = sanitizeObjectName(spec.name);
  const buffers: LoadBuffers = {
    instructions: spec.bytes,
    license: cString(spec.license ?? 'GPL'),
    funcInfo: spec.btf?.funcInfo,
    lineInfo: spec.btf?.lineInfo,
  };
  const attr = baseAttr(spec, name, buffers);
  const initialLogSize = spec.logSize ?? DEFAULT_LOG_SIZE;

  if (spec.logLevel) {
    const logged = loadWithLog(attr, spec.logLevel, initialLogSize);
    if (logged.result < 0) throw new VerifierError({ programName: name, errno: -logged.result, logText: logged.logText, truncated: logged.truncated });
    return new BpfProgram(logged.result, name, spec.type, spec.bytes.length / 8, splitLog(logged.logText));
  }

  const { result } = loadOnce(attr);
  if (result >= 0) return new BpfProgram(result, name, spec.type, spec.bytes.length / 8, []);
  // Verification is deterministic, so a logged reload fails the same way and tells us why.
  const logged = loadWithLog(attr, 1, initialLogSize);
  if (logged.result >= 0) return new BpfProgram(logged.result, name, spec.type, spec.bytes.length / 8, splitLog(logged.logText));
  throw new VerifierError({ programName: name, errno: -result, logText: logged.logText, truncated: logged.truncated });
}

export class BpfProgram {
  readonly fd: number;
  readonly name: string;
  readonly type: ProgramType;
  readonly instructionCount: number;
  /** The verifier log when one was requested (or needed); empty otherwise. */
  readonly verifierLog: readonly string[];
  private closed = false;

  constructor(fd: number, name: string, type: ProgramType, instructionCount: number, verifierLog: readonly string[]) {
    this.fd = fd;
    this.name = name;
    this.type = type;
    this.instructionCount = instructionCount;
    this.verifierLog = verifierLog;
  }

  info(): ProgramInfo {
    const info = new Uint8Array(PROG_INFO_SIZE);
    const attr = packObjInfo({ fd: this.fd, info: native().addressOf(info), infoLength: info.length });
    bpfOrThrow(BpfCommand.OBJ_GET_INFO_BY_FD, attr, this.name);
    return decodeProgramInfo(info, readInfoLength(attr));
  }

  /** Runs the program once (or `repeat` times) in the kernel via BPF_PROG_TEST_RUN. */
  testRun(options: TestRunOptions = {}): TestRunResult {
    const addressOf = native().addressOf;
    const region = (bytes: Uint8Array | undefined) => (bytes ? { address: addressOf(bytes), size: bytes.length } : undefined);
    const dataOut = options.dataOutSize ? new Uint8Array(options.dataOutSize) : undefined;
    const ctxOut = options.ctxOutSize ? new Uint8Array(options.ctxOutSize) : undefined;
    const attr = packTestRun({
      programFd: this.fd,
      dataIn: region(options.dataIn),
      dataOut: region(dataOut),
      ctxIn: region(options.ctx),
      ctxOut: region(ctxOut),
      repeat: options.repeat,
      flags: options.flags,
      cpu: options.cpu,
    });
    bpfOrThrow(BpfCommand.PROG_TEST_RUN, attr, this.name);
    const output = readTestRunOutput(attr);
    return {
      retval: output.retval,
      durationNs: output.durationNs,
      ...(dataOut ? { dataOut: dataOut.subarray(0, Math.min(output.dataSizeOut, dataOut.length)) } : {}),
      ...(ctxOut ? { ctxOut: ctxOut.subarray(0, Math.min(output.ctxSizeOut, ctxOut.length)) } : {}),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFd(this.fd);
  }
}

export interface StatsHandle {
  close(): void;
}

/** Turns on run_cnt/run_time_ns accounting for all programs until the handle is closed. */
export function enableStats(): StatsHandle {
  const fd = bpfOrThrow(BpfCommand.ENABLE_STATS, packEnableStats(StatsType.RUN_TIME));
  let open = true;
  return {
    close() {
      if (open) closeFd(fd);
      open = false;
    },
  };
}
