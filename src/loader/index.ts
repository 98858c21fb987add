// The loader: packs bpf()/perf_event_open() structs, creates maps, loads BTF blobs and programs
// (turning rejections into VerifierErrors), probes kernel features, reads ring buffers and attaches.
export { native, check, errnoName, SyscallError, type NativeAddon, type PollHandle } from './native.js';
export { bpf, bpfOrThrow, closeFd, commandName } from './syscall.js';
export { createMap, BpfMap, splitPerCpu, type MapSpec, type MapEntry } from './maps.js';
export { UpdateFlags } from './attr/map-elem.js';
export { loadProgram, BpfProgram, enableStats, type ProgramSpec, type ProgramBtf, type TestRunOptions, type TestRunResult, type StatsHandle } from './programs.js';
export { loadBtf, BtfLoadError, type BtfHandle } from './btf-load.js';
export { VerifierError, splitLog, summarizeLog, failingInstruction } from './verifier-error.js';
export { TEST_RUN_ON_CPU } from './attr/test-run.js';
export type { ProgramInfo, MapInfo } from './attr/obj-info.js';
export { hasHelper, hasMapType, hasRingBuffer, hasPerfEventLink, hasBatchOperations, hasBpfLoop, clearFeatureCache } from './features.js';
export { RingBufferReader, openRingBuffer, type RecordHandler, type RingBufferOptions } from './ringbuf.js';
export { tracefsRoot, tracepointId, readTracepointFormat, parseTracepointFormat, listTracepoints, chooseTracefsRoot, TracefsError } from './tracefs.js';
export { type TracepointField, type TracepointFormat } from '../model/probe.js';
export {
  attachPerfEvent, attachTracepoint, attachRawTracepoint, openPerfEvent,
  type Attachment, type PerfAttachOptions, type PerfEventTarget, type ProgramHandle,
} from './attach.js';
export {
  PerfType, SoftwareEvent, SampleType, PerfIoctl, PERF_FLAG_FD_CLOEXEC, packPerfEventAttr, tracepointEventAttr, softwareEventAttr, probeEventAttr,
  type PerfEventAttr, type PerfEventFlag,
} from './attr/perf-event-attr.js';
export { possibleCpus, possibleCpuCount, onlineCpus, parseCpuList } from './cpus.js';
