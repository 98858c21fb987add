// Finding and reading the programs a tracer attached, the same way for both tools: every fd of the
// tracer's process is asked BPF_TASK_FD_QUERY (what bpftool perf does), which names the program id
// and tracepoint behind a perf-event fd. Then the program is opened by id and its bpf_prog_info read.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { BpfCommand } from '../src/bpf/uapi.generated.js';
import { decodeProgramInfo, packObjInfo, PROG_INFO_SIZE, readInfoLength, type ProgramInfo } from '../src/loader/attr/obj-info.js';
import { writeU32, writeU64, zeroedStruct } from '../src/loader/attr/layout.js';
import { native } from '../src/loader/native.js';
import { bpf, bpfOrThrow, closeFd } from '../src/loader/syscall.js';

/** enum bpf_task_fd_type */
const FdType = { RAW_TRACEPOINT: 0, TRACEPOINT: 1 } as const;

export interface AttachedProgram {
  readonly programId: number;
  /** The tracepoint's name as the kernel reports it, e.g. `sys_enter`. */
  readonly tracepoint: string;
}

/** Tracepoint programs attached through fds that process `pid` holds (deduplicated by program id). */
export function attachedTracepointPrograms(pid: number): AttachedProgram[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const found = new Map<number, AttachedProgram>();
  for (const entry of fds) {
    const query = queryTaskFd(pid, Number(entry));
    if (!query) continue;
    if (query.fdType !== FdType.TRACEPOINT && query.fdType !== FdType.RAW_TRACEPOINT) continue;
    if (!found.has(query.programId)) found.set(query.programId, { programId: query.programId, tracepoint: query.name });
  }
  return [...found.values()];
}

/** Tracepoint attachments (perf-event or raw_tp fds with a program) that process `pid` holds, not deduplicated. */
export function countAttachedTracepoints(pid: number): number {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 0;
  }
  let count = 0;
  for (const entry of fds) {
    const query = queryTaskFd(pid, Number(entry));
    if (query && (query.fdType === FdType.TRACEPOINT || query.fdType === FdType.RAW_TRACEPOINT)) count++;
  }
  return count;
}

function queryTaskFd(pid: number, fd: number): { programId: number; fdType: number; name: string } | undefined {
  const nameBuffer = new Uint8Array(256);
  const { bytes, view } = zeroedStruct(48);
  writeU32(view, 0, pid);
  writeU32(view, 4, fd);
  writeU32(view, 12, nameBuffer.length);
  writeU64(view, 16, native().addressOf(nameBuffer));
  // Most fds are not perf events; the kernel answers those with an error, which just means "not one".
  if (bpf(BpfCommand.TASK_FD_QUERY, bytes) < 0) return undefined;
  const nameEnd = nameBuffer.indexOf(0);
  return {
    programId: view.getUint32(24, true),
    fdType: view.getUint32(28, true),
    name: new TextDecoder().decode(nameBuffer.subarray(0, nameEnd < 0 ? nameBuffer.length : nameEnd)),
  };
}

/** A program opened by id: holding the fd keeps it readable even if its owner exits. */
export class ProgramById {
  private closed = false;

  private constructor(
    readonly id: number,
    private readonly fd: number,
  ) {}

  static open(id: number): ProgramById {
    const { bytes, view } = zeroedStruct(16);
    writeU32(view, 0, id);
    return new ProgramById(id, bpfOrThrow(BpfCommand.PROG_GET_FD_BY_ID, bytes, `program ${id}`));
  }

  info(): ProgramInfo {
    const info = new Uint8Array(PROG_INFO_SIZE);
    const attr = packObjInfo({ fd: this.fd, info: native().addressOf(info), infoLength: info.length });
    bpfOrThrow(BpfCommand.OBJ_GET_INFO_BY_FD, attr, `program ${this.id}`);
    return decodeProgramInfo(info, readInfoLength(attr));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFd(this.fd);
  }
}

/** run_time_ns and run_cnt at one moment. */
export interface RunCounters {
  readonly runTimeNs: bigint;
  readonly runCount: bigint;
}

export function runCounters(info: ProgramInfo): RunCounters {
  return { runTimeNs: info.runTimeNs, runCount: info.runCnt };
}

const execFileAsync = promisify(execFile);

/** The kernel's rewritten program as bpftool prints it (for reading, not parsing). */
export async function dumpXlated(programId: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync('bpftool', ['prog', 'dump', 'xlated', 'id', String(programId)], { maxBuffer: 1 << 22 });
    return stdout;
  } catch (error) {
    return `(bpftool prog dump xlated failed: ${error instanceof Error ? error.message : String(error)})`;
  }
}
