// Kernel functions as probes: kprobes (from tracefs's available_filter_functions) and fentry/fexit
// (from BTF). Both depend on kernel features that are often missing (CONFIG_KPROBES off, no BPF
// trampolines), so each first asks the kernel whether it can attach them at all and, when not, says
// why instead of listing probes that would fail.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../bpf/assembler.js';
import { exit, mov64 } from '../../bpf/asm.js';
import { R0 } from '../../bpf/registers.js';
import { AttachType, ProgramType } from '../../bpf/uapi.generated.js';
import type { BtfReader } from '../../btf/index.js';
import { SyscallError } from '../../loader/native.js';
import { loadProgram } from '../../loader/programs.js';
import { tracefsRoot, TracefsError } from '../../loader/tracefs.js';
import { VerifierError } from '../../loader/verifier-error.js';
import type { ListedProbe, ProviderListing } from './catalog.js';
import { declaration, kernelBtf } from './kernel-btf.js';

const kprobePmu = '/sys/bus/event_source/devices/kprobe/type';

export function kprobeProbes(provider: 'kprobe' | 'kretprobe'): ProviderListing {
  let tracefs: string;
  try {
    tracefs = tracefsRoot();
  } catch (error) {
    if (error instanceof TracefsError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
  if (!existsSync(kprobePmu) && !existsSync(join(tracefs, 'kprobe_events'))) {
    return { kind: 'unavailable', reason: `${provider} probes are unavailable on this kernel: it has no kprobe PMU and no kprobe_events (CONFIG_KPROBES is off)` };
  }
  const path = join(tracefs, 'available_filter_functions');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { kind: 'unavailable', reason: `${provider} probes cannot be listed: reading ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const lines = new Set<string>();
  for (const entry of text.split('\n')) {
    // `function [module]`; `.part.N` clones cannot be probed by name.
    const match = /^(\S+)(?:\s+\[(\S+)\])?/.exec(entry);
    if (!match || match[1]!.includes('.part.')) continue;
    lines.add(match[2] ? `${provider}:${match[2]}:${match[1]}` : `${provider}:${match[1]}`);
  }
  return { kind: 'probes', probes: [...lines].map((line) => ({ line })) };
}

let trampolineAnswer: string | undefined | null = null;

export function fentryProbes(provider: 'fentry' | 'fexit'): ProviderListing {
  const named = provider === 'fentry' ? 'fentry (kfunc)' : 'fexit (kretfunc)';
  const btf = kernelBtf();
  if (!btf) return { kind: 'unavailable', reason: `${named} probes need the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel does not expose` };
  if (trampolineAnswer === null) trampolineAnswer = trampolineUnavailableReason(btf);
  if (trampolineAnswer !== undefined) return { kind: 'unavailable', reason: `${named} probes are unavailable on this kernel: ${trampolineAnswer}` };
  const probes: ListedProbe[] = [];
  for (const func of btf.types('func')) {
    probes.push({ line: `${provider}:${func.name}`, arguments: () => functionArguments(btf, func.id, provider === 'fexit') });
  }
  return { kind: 'probes', probes };
}

function functionArguments(btf: BtfReader, funcId: number, withReturnValue: boolean): readonly string[] {
  const prototype = btf.funcPrototype(funcId);
  if (!prototype) return [];
  const list = prototype.params.map((param, index) => declaration(btf, param.type, param.name || `arg${index}`));
  if (withReturnValue) list.push(declaration(btf, prototype.returnType, 'retval'));
  return list;
}

/** Candidates to attach the probe program to; any traceable function will do. */
const probeTargets = ['bpf_fentry_test1', 'vfs_read', 'do_sys_openat2'];

/**
 * Loads an empty fentry program. Kernels without BPF trampolines (or with them forbidden) refuse it
 * with EPERM before the verifier runs; undefined means fentry works here.
 */
function trampolineUnavailableReason(btf: BtfReader): string | undefined {
  const target = probeTargets.map((name) => btf.findType(name, 'func')).find((type) => type !== undefined);
  if (!target) return 'none of its functions could be found in BTF to test a fentry program';
  try {
    loadProgram({
      name: 'tsbpf_fentry',
      type: ProgramType.TRACING,
      expectedAttachType: AttachType.TRACE_FENTRY,
      attachBtfId: target.id,
      bytes: assemble([mov64(R0, 0), exit()]).bytes,
    }).close();
    return undefined;
  } catch (error) {
    if (error instanceof VerifierError) {
      const detail = error.code === 'EPERM' && error.log.length === 0 ? ' (no BPF trampolines)' : error.summary.length > 0 ? `: ${error.summary.join(' ')}` : '';
      return `loading a fentry program fails with ${error.code}${detail}`;
    }
    if (error instanceof SyscallError) return `loading a fentry program fails with ${error.code}`;
    throw error;
  }
}
