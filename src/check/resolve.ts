// Probe resolution, the step before typing: each attach point as written becomes concrete
// attachments (wildcards expanded, targets found on the host) with the context a body reads, and the
// provider record that knows what that context offers. It runs once per attach point; the checker's
// passes consume the result. Attach points that match nothing, or cannot be attached, are reported
// as the missing_probes setting says and left out; a probe left with none is reported or removed.
import { DiagnosticCollector, type Diagnostic } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { ProbeBlock, Program } from '../parser/ast.js';
import { someNode } from '../parser/ast-search.js';
import type { CompileConfig } from '../model/config.js';
import type { Host } from '../model/host.js';
import type { ProviderRecord, ProviderTable, ResolvedAttachment, ResolveEnvironment } from '../model/provider.js';

export interface ProbeResolution extends ResolvedAttachment {
  readonly provider: ProviderRecord;
}

export interface ResolvedProgram {
  /** Per probe block, in the program's order: its attachments ([] when none resolved). */
  readonly blocks: readonly (readonly ProbeResolution[])[];
  readonly diagnostics: readonly Diagnostic[];
}

type ResolveConfig = Pick<CompileConfig, 'targetPid' | 'childPid' | 'unsafe' | 'missingProbes'>;

const setMissingProbesHint = "If this is expected, set the 'missing_probes' config variable to 'warn'.";

export function resolveProbes(program: Program, providers: ProviderTable, host: Host, config: ResolveConfig): ResolvedProgram {
  const diagnostics = new DiagnosticCollector();
  const blocks = program.probes.map((block) => {
    let unmatched = 0;
    const environment = resolveEnvironment(block, diagnostics, host, config, () => unmatched++);
    const resolved = block.attachPoints.flatMap((point) => {
      const provider = providers.forProvider(point.provider);
      if (!provider) throw new Error(`internal error: no provider record for ${point.provider}`);
      return provider.resolve(point, environment).map((one) => ({ ...one, provider }));
    });
    // As bpftrace prunes a probe whose every attach point matched nothing (not one whose attach failed).
    if (resolved.length === 0 && unmatched > 0) {
      if (config.missingProbes === 'error') diagnostics.error(block.span, `Probe has no valid attach points. ${setMissingProbesHint}`);
      else if (config.missingProbes === 'warn') diagnostics.warning(block.span, 'Probe has no valid attach points. It is being removed which may cause issues with program behavior.');
    }
    return resolved;
  });
  return { blocks, diagnostics: diagnostics.all() };
}

function resolveEnvironment(block: ProbeBlock, diagnostics: DiagnosticCollector, host: Host, config: ResolveConfig, countUnmatched: () => void): ResolveEnvironment {
  const policy = config.missingProbes;
  const report = (span: SourceSpan, message: string, hint?: string) => {
    if (policy === 'error') diagnostics.error(span, message, hint);
    else if (policy === 'warn') diagnostics.warning(span, message);
  };
  return {
    diagnostics, host,
    ...(config.targetPid === undefined ? {} : { targetPid: config.targetPid }),
    ...(config.childPid === undefined ? {} : { childPid: config.childPid }),
    unsafe: config.unsafe,
    perMatchPrograms: namesProbe(block),
    noMatches(span, provider, what, hint) {
      countUnmatched();
      report(span, `No matches for ${provider} ${what}.${policy === 'warn' ? ' Skipping.' : ''}`, hint);
    },
    cannotAttach(span, reason, probe) {
      report(span, reason);
      report(span, `Unable to attach probe: ${probe}. ${policy === 'warn' ? 'Skipping.' : setMissingProbesHint}`);
    },
  };
}

/** `probe` in the body or predicate: each match needs its own program (its own constant name). */
function namesProbe(block: ProbeBlock): boolean {
  return someNode([block.predicate, block.body], (node) => (node.kind === 'identifier' || node.kind === 'call') && node.name === 'probe');
}
