// What this kernel supports, probed once per process and cached. Probes ask the kernel directly
// (load a tiny program, create a tiny map) rather than trusting version numbers or bpftool, whose
// helper list has false positives on this kernel.
import { assemble } from '../bpf/assembler.js';
import { call, exit, mov64, R0 } from '../bpf/asm.js';
import { AttachType, BpfCommand, helperId, MapType, ProgramType } from '../bpf/uapi.generated.js';
import { cString } from './attr/layout.js';
import { packLinkCreate } from './attr/link-create.js';
import { packMapBatch } from './attr/map-elem.js';
import { packMapCreate } from './attr/map-create.js';
import { packProgLoad } from './attr/prog-load.js';
import { native } from './native.js';
import { bpf, closeFd } from './syscall.js';

const EBADF = 9;
const ENOENT = 2;

const cache = new Map<string, boolean>();

function cached(key: string, probe: () => boolean): boolean {
  let answer = cache.get(key);
  if (answer === undefined) {
    answer = probe();
    cache.set(key, answer);
  }
  return answer;
}

/** Loads `bytes` as `programType` with a small log; returns the fd or -errno, and the log text. */
function probeLoad(programType: number, bytes: Uint8Array): { result: number; log: string } {
  const license = cString('GPL');
  const log = new Uint8Array(4096);
  const addressOf = native().addressOf;
  const result = bpf(BpfCommand.PROG_LOAD, packProgLoad({
    programType, instructionCount: bytes.length / 8, instructions: addressOf(bytes), license: addressOf(license),
    logLevel: 1, logSize: log.length, logBuffer: addressOf(log),
  }));
  const end = log.indexOf(0);
  return { result, log: new TextDecoder().decode(log.subarray(0, end >= 0 ? end : log.length)) };
}

/** Verifier messages that mean "this program type cannot call this helper", as opposed to bad arguments. */
const helperRefusals = [
  /invalid func /,
  /unknown func /,
  /program of this type cannot use helper/,
  /not supported for program type/,
  /helper call might sleep in a non-sleepable prog/,
  /helper call is not allowed in probe/,
  /cannot call GPL-restricted function/,
];

/**
 * Whether `programType` programs may call helper `id`. The probe program calls it with unset
 * argument registers: a kernel that knows and allows the helper gets as far as checking those
 * arguments (and usually rejects them), one that does not stops earlier with a recognizable message.
 */
export function hasHelper(programType: number, id: number): boolean {
  return cached(`helper:${programType}:${id}`, () => {
    const { result, log } = probeLoad(programType, assemble([call(id), mov64(R0, 0), exit()]).bytes);
    if (result >= 0) {
      closeFd(result);
      return true;
    }
    if (log === '') return false;
    return !helperRefusals.some((refusal) => refusal.test(log));
  });
}

function probeMapSizes(mapType: number): { keySize: number; valueSize: number; maxEntries: number; flags?: number } {
  const page = native().pageSize();
  switch (mapType) {
    case MapType.RINGBUF:
    case MapType.USER_RINGBUF:
      return { keySize: 0, valueSize: 0, maxEntries: page };
    case MapType.QUEUE:
    case MapType.STACK:
    case MapType.BLOOM_FILTER:
      return { keySize: 0, valueSize: 4, maxEntries: 1 };
    case MapType.PERF_EVENT_ARRAY:
    case MapType.PROG_ARRAY:
    case MapType.CGROUP_ARRAY:
      return { keySize: 4, valueSize: 4, maxEntries: 1 };
    case MapType.LPM_TRIE:
      return { keySize: 8, valueSize: 8, maxEntries: 1, flags: 1 /* BPF_F_NO_PREALLOC */ };
    default:
      return { keySize: 4, valueSize: 8, maxEntries: 1 };
  }
}

/**
 * Whether maps of `mapType` can be created. Covers the plain types tsbpf uses; types that need BTF
 * or an inner map (local storage, map-in-map, struct_ops) report false here.
 */
export function hasMapType(mapType: number): boolean {
  return cached(`map:${mapType}`, () => {
    const fd = bpf(BpfCommand.MAP_CREATE, packMapCreate({ mapType, ...probeMapSizes(mapType) }));
    if (fd < 0) return false;
    closeFd(fd);
    return true;
  });
}

export function hasRingBuffer(): boolean {
  return hasMapType(MapType.RINGBUF) && hasHelper(ProgramType.TRACEPOINT, helperId.ringbuf_output);
}

/**
 * BPF links for perf events (5.15+), the only way to pass a bpf_cookie. A kernel that knows the
 * attach type gets as far as looking up the (invalid) target fd and says EBADF.
 */
export function hasPerfEventLink(): boolean {
  return cached('perf-link', () => {
    const { result: programFd } = probeLoad(ProgramType.TRACEPOINT, assemble([mov64(R0, 0), exit()]).bytes);
    if (programFd < 0) return false;
    try {
      const result = bpf(BpfCommand.LINK_CREATE, packLinkCreate({ programFd, targetFd: -1, attachType: AttachType.PERF_EVENT }));
      if (result >= 0) closeFd(result);
      return result === -EBADF;
    } finally {
      closeFd(programFd);
    }
  });
}

/** BPF_MAP_LOOKUP_BATCH on hash maps (5.6+): an empty map answers ENOENT when supported. */
export function hasBatchOperations(): boolean {
  return cached('batch', () => {
    const mapFd = bpf(BpfCommand.MAP_CREATE, packMapCreate({ mapType: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 1 }));
    if (mapFd < 0) return false;
    try {
      const buffers = new Uint8Array(32);
      const addressOf = native().addressOf;
      const result = bpf(BpfCommand.MAP_LOOKUP_BATCH, packMapBatch({
        mapFd, inBatch: 0n, outBatch: addressOf(buffers), keys: addressOf(buffers.subarray(8)), values: addressOf(buffers.subarray(16)), count: 1,
      }));
      return result === -ENOENT || result >= 0;
    } finally {
      closeFd(mapFd);
    }
  });
}

/** bpf_loop (5.17+); its callback also needs BTF func_info, which the code generator provides. */
export function hasBpfLoop(programType: number = ProgramType.RAW_TRACEPOINT): boolean {
  return hasHelper(programType, helperId.loop);
}

/** Forgets cached answers (for tests that compare a fresh probe). */
export function clearFeatureCache(): void {
  cache.clear();
}
