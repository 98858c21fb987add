// How a provider is written, as the parser reads it: its spellings (long and short, case-sensitive:
// `u` uprobe, `U` usdt), the usage quoted in diagnostics, and how the fields after the provider become
// its attach point's own fields. Each provider record (src/providers/) declares its entries; the top
// (compile(), the CLI, the tests' helper) hands the parser a table of them (ParseOptions.providers).
import type { AttachPointFields, ProviderName } from '../parser/attach-point-ast.js';

/** What a provider's `read` sees of one attach point, and how it refuses one. */
export interface AttachPointReader<Name extends ProviderName = ProviderName> {
  /** The long name (`tracepoint` for `t:`), as messages say it. */
  readonly provider: Name;
  /** The provider as written: `t`, `tracepoint`, `BEGIN`, … */
  readonly spelling: string;
  /** The whole attach point as written. */
  readonly raw: string;
  readonly usage: string;
  /** The fields after the provider, split at `:` outside quotes, quotes removed; none is empty. */
  readonly texts: readonly string[];
  /** An unquoted `*` or `?` appears in some field. */
  readonly wildcard: boolean;
  /** Refuses the attach point: `message` at the whole of it, or at field `field` (an index into `texts`). */
  fail(message: string, field?: number, hint?: string): undefined;
  /** Refuses it as `PROVIDER probe 'RAW' does not have the form USAGE`. */
  wrongShape(): undefined;
}

export interface ProviderSyntax<Name extends ProviderName = ProviderName> {
  readonly name: Name;
  readonly spellings: readonly string[];
  /** The attach point's form, e.g. `tracepoint:category:event`, quoted when one is malformed. */
  readonly usage: string;
  /** Its first field is a file: a `/` anywhere in it continues the path (`uprobe:bin/app:f`). */
  readonly fileTarget?: boolean;
  /** The provider's own fields of the attach point, or undefined after `fields.fail(…)`. */
  read(fields: AttachPointReader<Name>): AttachPointFields[Name] | undefined;
}

/** Every provider's syntax, found by spelling: what the parser is given. */
export interface ProviderSyntaxTable {
  readonly entries: readonly ProviderSyntax[];
  /** The provider a spelling stands for. */
  named(spelling: string): ProviderSyntax | undefined;
  /** Spellings of the providers whose first field is a file. */
  readonly fileTargetSpellings: ReadonlySet<string>;
}

export function providerSyntaxTable(entries: readonly ProviderSyntax[]): ProviderSyntaxTable {
  const bySpelling = new Map<string, ProviderSyntax>();
  const fileTargetSpellings = new Set<string>();
  for (const entry of entries) {
    for (const spelling of entry.spellings) {
      if (bySpelling.has(spelling)) throw new Error(`two providers are spelled ${spelling}`);
      bySpelling.set(spelling, entry);
      if (entry.fileTarget) fileTargetSpellings.add(spelling);
    }
  }
  return { entries, named: (spelling) => bySpelling.get(spelling), fileTargetSpellings };
}
