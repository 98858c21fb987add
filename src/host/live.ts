// The running machine as a Host: each question is answered once per host instance and kept (a
// compile asks about the same tracepoints, BTF and binaries many times), so a fresh host sees a
// changed machine and nothing outlives the compile that made it.
import { existsSync, readlinkSync, statSync } from 'node:fs';
import { BtfError, openVmlinuxBtf, type BtfReader } from '../btf/index.js';
import { ElfFile, expandTargetPattern, resolveTarget, type TargetResolution } from '../elf/index.js';
import { onlineCpus, possibleCpuCount } from '../loader/cpus.js';
import { listTracepoints, readTracepointFormat } from '../loader/tracefs.js';
import type { DynamicPmu, Host, TracepointName, TrampolineSupport } from '../model/host.js';
import type { TracepointField } from '../model/probe.js';
import { kallsymsText, KernelSymbols } from '../symbols/index.js';
import { dynamicPmu, hasHardwarePmu, hasUprobeMulti, kprobeEventsFile, trampolineSupport } from './kernel-support.js';
import { ownPidNamespace } from './pid-namespace.js';

export function liveHost(): Host {
  const kept = new Map<string, unknown>();
  /** The answer under `key`, computed on first use; a thrown error is kept and thrown again. */
  const once = <T>(key: string, compute: () => T): T => {
    if (!kept.has(key)) {
      try {
        kept.set(key, { value: compute() });
      } catch (error) {
        kept.set(key, { error });
      }
    }
    const answer = kept.get(key) as { value: T } | { error: unknown };
    if ('error' in answer) throw answer.error;
    return answer.value;
  };
  const kallsyms = () => once('kallsyms', kallsymsText);
  return {
    tracepoints: () => once('tracepoints', (): readonly TracepointName[] => listTracepoints()),
    tracepointFields: (category, name) => once(`format:${category}:${name}`, (): readonly TracepointField[] => readTracepointFormat(category, name).fields),
    kernelBtf: () => once('btf', (): BtfReader | undefined => {
      try {
        return openVmlinuxBtf();
      } catch (error) {
        if (error instanceof BtfError) return undefined;
        throw error;
      }
    }),
    kernelFunctions: () => once('kernel-functions', () => textSymbols(kallsyms())),
    kernelSymbolAddress: (name) => once('kernel-symbols', () => new KernelSymbols(kallsyms())).addressOf(name),
    possibleCpuCount: () => once('possible-cpus', possibleCpuCount),
    onlineCpus: () => once('online-cpus', onlineCpus),
    userTarget: (target, pid) => once(`target:${target}:${pid ?? ''}`, (): TargetResolution => resolveTarget(target, pid === undefined ? {} : { pid })),
    userTargets: (pattern, pid) => once(`targets:${pattern}:${pid ?? ''}`, () => expandTargetPattern(pattern, pid === undefined ? {} : { pid })),
    cgroupId: (path) => {
      try {
        return statSync(path, { bigint: true }).ino;
      } catch {
        return undefined;
      }
    },
    processExecutable: (pid) => once(`exe:${pid}`, () => {
      const path = readlinkSync(`/proc/${pid}/exe`);
      // A process in another mount namespace (a container) runs a file we reach through its root.
      return existsSync(path) ? path : `/proc/${pid}/root${path}`;
    }),
    openElf: (path) => ElfFile.open(path),
    dynamicPmu: (name) => once(`pmu:${name}`, (): DynamicPmu | undefined => dynamicPmu(name)),
    kprobeEventsFile: () => once('kprobe-events', kprobeEventsFile),
    hasHardwarePmu: () => once('hardware-pmu', () => hasHardwarePmu()),
    // One answer per host: whether trampolines load does not depend on which function is tried.
    trampolineSupport: (btfId) => once('trampolines', (): TrampolineSupport => trampolineSupport(btfId)),
    pidNamespace: () => once('pid-namespace', () => ownPidNamespace()),
    uprobeMulti: () => once('uprobe-multi', hasUprobeMulti),
  };
}

/** Text symbols of the kernel proper (no module), sorted: the functions kprobes may name. */
function textSymbols(kallsyms: string): readonly string[] {
  const names = new Set<string>();
  for (const line of kallsyms.split('\n')) {
    const [, type, name, module] = line.split(/\s+/);
    if ((type === 't' || type === 'T') && name && module === undefined) names.add(name);
  }
  return [...names].sort();
}
