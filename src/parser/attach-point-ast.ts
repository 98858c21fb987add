/**
 * Attach points: `tracepoint:syscalls:sys_enter_openat`, `uprobe:libc:malloc+8`, `BEGIN`, ... Each
 * keeps its raw text and a structured form, discriminated by `provider` (always the long name, so
 * `t:` and `tracepoint:` read the same). Field values are as written, quotes removed; wildcards are
 * kept in the strings and flagged by `wildcard`.
 */
import type { SourceSpan } from '../diagnostics/span.js';

/**
 * Each provider's own fields, by its long name: declared by its record (src/providers/<name>.ts)
 * through declaration merging, e.g.
 * `declare module '../parser/attach-point-ast.js' { interface AttachPointFields { software: { event: string } } }`.
 */
export interface AttachPointFields {}

/** The providers' long names: `tracepoint`, `kprobe`, `BEGIN`'s `begin`, … */
export type ProviderName = keyof AttachPointFields;

interface AttachPointCommon {
  readonly kind: 'attachPoint';
  readonly span: SourceSpan;
  /** Exactly as written, e.g. `t:syscalls:sys_enter_*`. */
  readonly raw: string;
  /** The provider as written: `t`, `tracepoint`, `BEGIN`, ... */
  readonly providerSpelling: string;
  /** The fields after the provider, split at `:` outside quotes, quotes removed. */
  readonly fields: readonly string[];
  /** An unquoted `*` or `?` appears in some field: the probe matcher must expand it. */
  readonly wildcard: boolean;
}

/**
 * One member per provider, so that `Extract<AttachPoint, { provider: 'hardware' }>` and a switch
 * on `provider` both narrow to exactly one shape.
 */
export type AttachPoint = {
  [Name in ProviderName]: AttachPointCommon & { readonly provider: Name } & Readonly<AttachPointFields[Name]>;
}[ProviderName];
