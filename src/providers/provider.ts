// The one small interface every provider implements: resolve an attach point as written into concrete
// attachments (wildcards expanded, targets found) with the context a program body reads, and attach a
// loaded program to one of those targets. Resolution runs in the checker and only reads files
// (tracefs, sysfs, BTF, ELF); attaching runs in the session.
import type { ProbeAttachment, ProbeTarget, ProbeContext } from '../model/probe.js';
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { Attachment, ProgramHandle } from '../loader/attach.js';
import type { AttachPoint, ProviderName } from '../parser/attach-point-ast.js';

export interface ResolvedAttachment {
  readonly attachment: ProbeAttachment;
  readonly context: ProbeContext;
}

export interface ResolveEnvironment {
  readonly diagnostics: DiagnosticCollector;
  /** `-p PID`: uprobes without a binary probe its executable, and fire only in it. */
  readonly targetPid?: number;
  /** `-c CMD`: uprobes and usdt fire only in the child. */
  readonly childPid?: number;
}

/** Receives each kernel attachment as soon as it exists, so that a later failure still closes it. */
export type Own = (attachment: Attachment) => void;

export interface Provider<Point extends AttachPoint, Target extends ProbeTarget> {
  /** Expands one attach point; reports a diagnostic at its span and returns [] when it cannot. */
  resolve(point: Point, environment: ResolveEnvironment): ResolvedAttachment[];
  attach(program: ProgramHandle, name: string, target: Target, own: Own): void;
}

/** An attach point of one provider. */
export type PointOf<Name extends ProviderName> = Extract<AttachPoint, { provider: Name }>;
/** A probe target of one kind. */
export type TargetOf<Kind extends ProbeTarget['kind']> = Extract<ProbeTarget, { kind: Kind }>;

/** A probe kind the runtime cannot attach here, said in words (no errno soup). */
export class AttachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachError';
  }
}
