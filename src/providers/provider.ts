// What provider records share: narrowing an attach point or target union to one provider's, and
// the error for a probe kind the runtime cannot attach here (declared with the record interface).
import type { ProbeTarget } from '../model/probe.js';
import type { AttachPoint, ProviderName } from '../parser/attach-point-ast.js';

/** An attach point of one provider. */
export type PointOf<Name extends ProviderName> = Extract<AttachPoint, { provider: Name }>;
/** A probe target of one kind. */
export type TargetOf<Kind extends ProbeTarget['kind']> = Extract<ProbeTarget, { kind: Kind }>;

export { AttachError } from '../model/provider.js';
