// What `-l` can list, per provider: each provider record says what this machine offers, or why it
// offers none (kretprobe lists kprobe's functions as `kretprobe:…`). This module only picks the
// record and the providers a search without a provider consults.
import type { Host } from '../../model/host.js';
import type { ProviderListing } from '../../model/provider.js';
import type { ProviderName } from '../../parser/attach-point-ast.js';
import { defaultProviders } from '../../providers/index.js';

/** How each provider is written: `-l` patterns and programs name providers as scripts do. */
export const providerSyntax = defaultProviders.syntax;

/** Providers a search without a provider consults, in the order notes about them are printed. */
export const listedByDefault: readonly ProviderName[] = defaultProviders.records.flatMap((record) => record.listedByDefault);

/** Whether `provider`'s probes take parameters after the name: a search matches the name alone. */
export function isParameterized(provider: ProviderName): boolean {
  return defaultProviders.forProvider(provider)?.parameterized ?? false;
}

/** The probes `provider` offers on `host`, each printed under that provider's long name. */
export function listProvider(provider: ProviderName, host: Host, search?: string): ProviderListing {
  const record = defaultProviders.forProvider(provider);
  if (!record) throw new Error(`unknown provider ${JSON.stringify(provider)}`);
  return record.list(provider, host, search);
}
