// Probe resolution, the step before typing: each attach point as written becomes concrete
// attachments (wildcards expanded, targets found on the host) with the context a body reads, and the
// provider record that knows what that context offers. It runs once per attach point; the checker's
// passes consume the result.
import { DiagnosticCollector, type Diagnostic } from '../diagnostics/index.js';
import type { Program } from '../parser/ast.js';
import type { CompileConfig } from '../model/config.js';
import type { Host } from '../model/host.js';
import type { ProviderRecord, ProviderTable, ResolvedAttachment } from '../model/provider.js';

export interface ProbeResolution extends ResolvedAttachment {
  readonly provider: ProviderRecord;
}

export interface ResolvedProgram {
  /** Per probe block, in the program's order: its attachments ([] when none resolved). */
  readonly blocks: readonly (readonly ProbeResolution[])[];
  readonly diagnostics: readonly Diagnostic[];
}

export function resolveProbes(program: Program, providers: ProviderTable, host: Host, config: Pick<CompileConfig, 'targetPid' | 'childPid'>): ResolvedProgram {
  const diagnostics = new DiagnosticCollector();
  const environment = {
    diagnostics, host,
    ...(config.targetPid === undefined ? {} : { targetPid: config.targetPid }),
    ...(config.childPid === undefined ? {} : { childPid: config.childPid }),
  };
  const blocks = program.probes.map((block) => block.attachPoints.flatMap((point) => {
    const provider = providers.forProvider(point.provider);
    if (!provider) throw new Error(`internal error: no provider record for ${point.provider}`);
    return provider.resolve(point, environment).map((resolved) => ({ ...resolved, provider }));
  }));
  return { blocks, diagnostics: diagnostics.all() };
}
