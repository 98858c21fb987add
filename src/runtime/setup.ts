// The kernel objects of a session, created in dependency order (maps, then programs that refer to
// them, then attachments), each handed to the ResourceStack the moment it exists so that a failure
// at any step releases exactly what was made before it.
import { linkMaps } from '../bpf/assembler.js';
import { MapType, type AttachType, type ProgramType } from '../bpf/uapi.generated.js';
import type { CompiledProgram, CompiledScript, MapDescription } from '../model/artifact.js';
import { possibleCpuCount, possibleCpus } from '../loader/cpus.js';
import { createMap, type BpfMap } from '../loader/maps.js';
import { native } from '../loader/native.js';
import { loadProgram, type BpfProgram } from '../loader/programs.js';
import type { ResourceStack } from './lifecycle.js';
import type { Host } from '../model/host.js';
import type { ProviderRecord, ProviderTable } from '../model/provider.js';
import type { ProbeAttachment } from '../model/probe.js';
import { loadFunctionBtf } from './program-btf.js';

export interface LoadedProgram {
  readonly compiled: CompiledProgram;
  readonly program: BpfProgram;
}

export interface AttachedPrograms {
  readonly beginPrograms: readonly BpfProgram[];
  readonly endPrograms: readonly BpfProgram[];
  /** Every attach point, BEGIN/END included, as bpftrace counts probes. */
  readonly probeCount: number;
}

const ringBufferBytesPerCpu = 256 * 1024;

/** 256 KiB per CPU, rounded up to a power of two (the kernel wants a power-of-2 number of pages). */
function defaultRingBufferBytes(cpuCount = possibleCpuCount(), pageSize = native().pageSize()): number {
  return roundUpToPowerOfTwo(Math.max(ringBufferBytesPerCpu * cpuCount, pageSize));
}

function roundUpToPowerOfTwo(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}

export function createSessionMaps(compiled: CompiledScript, resources: ResourceStack, ringBufferBytes?: number): Map<string, BpfMap> {
  const maps = new Map<string, BpfMap>();
  for (const description of compiled.maps) {
    if (maps.has(description.name)) throw new Error(`the compiled script describes map '${description.name}' twice`);
    const maxEntries = description.name === compiled.ringBufferMap ? (ringBufferBytes ?? defaultRingBufferBytes())
      : description.entryPerCpu ? Math.max(...possibleCpus()) + 1 : description.maxEntries;
    const map = resources.own(`map ${description.name}`, createMap(mapSpec(description, maxEntries)));
    maps.set(description.name, map);
    if (description.contents) {
      description.contents.forEach((value, index) => map.update(u32(index), value));
      map.freeze();
    }
  }
  return maps;
}

function mapSpec(description: MapDescription, maxEntries: number) {
  return {
    name: description.name,
    type: description.mapType as MapType,
    keySize: description.keySize,
    valueSize: description.valueSize,
    maxEntries,
    flags: description.flags,
  };
}

/** Links map fds into each program and loads it; a VerifierError propagates unchanged. */
export function loadSessionPrograms(compiled: CompiledScript, maps: ReadonlyMap<string, BpfMap>, resources: ResourceStack): LoadedProgram[] {
  const loaded: LoadedProgram[] = [];
  for (const program of compiled.programs) {
    const bytes = linkMaps(program.assembled, (name) => maps.get(name)?.fd);
    // bpf_loop callbacks need BTF func_info; the BTF object may be closed once the program holds it.
    const btf = program.functions.length > 0 ? loadFunctionBtf(program) : undefined;
    let bpfProgram: BpfProgram;
    try {
      bpfProgram = loadProgram({
        name: program.name,
        type: program.programType as ProgramType,
        bytes,
        license: compiled.license ?? 'GPL',
        ...(program.expectedAttachType !== undefined ? { expectedAttachType: program.expectedAttachType as AttachType } : {}),
        ...(program.attachBtfId !== undefined ? { attachBtfId: program.attachBtfId } : {}),
        ...(btf ? { btf: btf.programBtf } : {}),
      });
    } finally {
      btf?.handle.close();
    }
    resources.own(`program ${program.name}`, bpfProgram);
    loaded.push({ compiled: program, program: bpfProgram });
  }
  for (const { compiled: program, program: bpfProgram } of loaded) {
    if (!program.tailCall) continue;
    const array = maps.get(program.tailCall.arrayMap);
    if (!array || array.spec.type !== MapType.PROG_ARRAY) throw new Error(`program ${program.name}: tail-call map '${program.tailCall.arrayMap}' is not a program array`);
    for (const index of program.tailCall.indices) array.update(u32(index), u32(bpfProgram.fd));
  }
  return loaded;
}

/**
 * Attaches every program that is not BEGIN/END through its target's provider, and collects those
 * to run, in script order.
 */
/** The BEGIN and END programs, which are run with BPF_PROG_TEST_RUN rather than attached. */
export function specialPrograms(programs: readonly LoadedProgram[]): { readonly beginPrograms: BpfProgram[]; readonly endPrograms: BpfProgram[] } {
  const beginPrograms: BpfProgram[] = [];
  const endPrograms: BpfProgram[] = [];
  for (const { compiled, program } of programs) {
    for (const { target } of compiled.attachments) {
      if (target.kind === 'begin') beginPrograms.push(program);
      else if (target.kind === 'end') endPrograms.push(program);
    }
  }
  return { beginPrograms, endPrograms };
}

/**
 * Attaches every probe but BEGIN and END, as bpftrace does: in declaration order, then the providers'
 * that attach in reverse (see ProviderRecord.attachesInReverse), last first. Returns the probe count
 * the banner shows.
 */
export function attachLoadedPrograms(programs: readonly LoadedProgram[], resources: ResourceStack, providers: ProviderTable, host: Host): number {
  const pending: { readonly program: BpfProgram; readonly attachment: ProbeAttachment; readonly provider: ProviderRecord }[] = [];
  let probeCount = 0;
  for (const { compiled, program } of programs) {
    for (const attachment of compiled.attachments) {
      const kind = attachment.target.kind;
      const provider = kind !== 'begin' && kind !== 'end' ? providers.forTarget(kind) : undefined;
      if (provider) pending.push({ program, attachment, provider });
      // The banner counts the script's probes: a syscall dispatcher stands in for those it reaches,
      // a uprobe_multi link for each of its functions.
      if (!compiled.routesSyscalls) probeCount += provider?.countProbes?.(attachment.target) ?? 1;
    }
    probeCount += compiled.reachedBy?.length ?? 0;
  }
  const forward = pending.filter((one) => !one.provider.attachesInReverse);
  const reversed = pending.filter((one) => one.provider.attachesInReverse).reverse();
  for (const { program, attachment, provider } of [...forward, ...reversed]) {
    provider.attach(program, attachment.name, attachment.target, (attached) => resources.own(attached.target, attached), host);
  }
  return probeCount;
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}
