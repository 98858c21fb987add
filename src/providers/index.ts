// The provider table: one record per provider (src/providers/<name>.ts), each answering for its
// attach points, contexts and targets. compile(), the session and `-l` hand it to the stages, and
// its syntax to the parser. Every record exported by a module of this folder is in it (the modules
// are listed at build time in modules.generated.ts): adding a provider is its file and its test.
import type { ProbeTarget } from '../model/probe.js';
import type { ProviderRecord, ProviderTable } from '../model/provider.js';
import { providerSyntaxTable } from '../model/provider-syntax.js';
import type { ProviderName } from '../parser/attach-point-ast.js';
import { modules } from './modules.generated.js';

/** A table over `records`; each provider name and target kind belongs to exactly one record. */
function providerTable(unordered: readonly ProviderRecord[]): ProviderTable {
  const records = [...unordered].sort((left, right) => (left.listRank ?? Infinity) - (right.listRank ?? Infinity));
  const byProvider = new Map<ProviderName, ProviderRecord>();
  const byTarget = new Map<ProbeTarget['kind'], ProviderRecord>();
  for (const record of records) {
    for (const name of record.providers) {
      if (byProvider.has(name)) throw new Error(`two provider records answer for ${name}`);
      if (!record.syntax.some((entry) => entry.name === name)) throw new Error(`the record for ${name} does not say how it is written`);
      byProvider.set(name, record);
    }
    for (const kind of record.targets) {
      if (byTarget.has(kind)) throw new Error(`two provider records attach ${kind} targets`);
      byTarget.set(kind, record);
    }
  }
  return {
    records,
    syntax: providerSyntaxTable(records.flatMap((record) => record.syntax)),
    forProvider: (name) => byProvider.get(name),
    forTarget(kind) {
      const record = byTarget.get(kind);
      if (!record) throw new Error(`no provider record attaches ${kind} targets`);
      return record;
    },
  };
}

/**
 * The provider modules, named in the published declarations so that they reach every record file:
 * each declares its attach point's fields and its targets there (declaration merging).
 */
export type ProviderModules = typeof modules;

function isRecord(value: unknown): value is ProviderRecord {
  return typeof value === 'object' && value !== null && Array.isArray((value as ProviderRecord).providers)
    && typeof (value as ProviderRecord).resolve === 'function' && typeof (value as ProviderRecord).attach === 'function';
}

// Widened once here: each record narrows its own attach points and targets (method parameters are
// checked bivariantly, so a record is assignable to the general interface).
// A record re-exported by another module is still one record.
export const defaultProviders: ProviderTable = providerTable([...new Set(modules.flatMap((module) => Object.values(module)).filter(isRecord))]);
