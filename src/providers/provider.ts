// Narrowing the attach point and target unions to one provider's: what each record is typed over.
import type { ProbeTarget } from '../model/probe.js';
import type { AttachPoint, ProviderName } from '../parser/attach-point-ast.js';

/** An attach point of one provider. */
export type PointOf<Name extends ProviderName> = Extract<AttachPoint, { provider: Name }>;
/** A probe target of one kind. */
export type TargetOf<Kind extends ProbeTarget['kind']> = Extract<ProbeTarget, { kind: Kind }>;
