// Probe resolution for the checker: attach points as written → concrete attachments and the context a
// program body may read. Each provider lives in src/providers/; this is the checker's door to them.
// The checker walks the program twice (learning map types, then reporting), so each attach point's
// resolution (ELF and BTF reads, tracefs lookups) is kept and its diagnostics replayed.
import type { AttachPoint } from '../parser/ast.js';
import { DiagnosticCollector, type Diagnostic } from '../diagnostics/index.js';
import { resolveAttachPoint as resolveWithProviders, type ResolvedAttachment } from '../providers/index.js';
import type { CompileConfig } from '../model/config.js';

export type { ResolvedAttachment };
export { builtinInContext, canShareProgram, functionNameOf, namedArguments } from '../providers/index.js';

type ProcessOptions = Pick<CompileConfig, 'targetPid' | 'childPid'>;

interface Resolution {
  readonly targetPid: number | undefined;
  readonly childPid: number | undefined;
  readonly attachments: ResolvedAttachment[];
  readonly diagnostics: readonly Diagnostic[];
}

const resolutions = new WeakMap<AttachPoint, Resolution>();

/** Expands one attach point; reports a diagnostic and returns [] when it cannot be resolved. */
export function resolveAttachPoint(point: AttachPoint, diagnostics: DiagnosticCollector, config?: ProcessOptions): ResolvedAttachment[] {
  const known = resolutions.get(point);
  if (known && known.targetPid === config?.targetPid && known.childPid === config?.childPid) {
    diagnostics.addAll(known.diagnostics);
    return known.attachments;
  }
  const own = new DiagnosticCollector();
  const attachments = resolveWithProviders(point, {
    diagnostics: own,
    ...(config?.targetPid === undefined ? {} : { targetPid: config.targetPid }),
    ...(config?.childPid === undefined ? {} : { childPid: config.childPid }),
  });
  resolutions.set(point, { targetPid: config?.targetPid, childPid: config?.childPid, attachments, diagnostics: own.all() });
  diagnostics.addAll(own.all());
  return attachments;
}
