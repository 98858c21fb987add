// A `-l` search pattern: `provider:glob` (any provider spelling: `t:syscalls:*`), a glob over whole
// probe lines (`*openat*`), a bare provider (`tracepoint`, `BEGIN`), or a glob over providers
// (`*:sched:*`). Matching is shell-style: `*`, `?` and `[...]`, where `*` also crosses colons.
import { globToRegExp, isGlob } from '../../btf/glob.js';
import type { ProviderName } from '../../parser/attach-point-ast.js';
import { isParameterized, listedByDefault, providerSyntax } from './catalog.js';

export interface ProbeSearch {
  readonly providers: readonly ProviderName[];
  /** Whether to say on stderr why a consulted provider lists nothing. */
  readonly explainMissing: boolean;
  /** What the pattern says after `provider:` when it names one provider (a uprobe's binary is there). */
  readonly target?: string;
  /** `line` is one of `provider`'s probe lines. */
  matches(line: string, provider: ProviderName): boolean;
}

export class SearchError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'SearchError';
  }
}

/** Providers whose probes belong to a binary the search names. */
const binaryProviders: ReadonlySet<ProviderName> = new Set(['uprobe', 'uretprobe', 'usdt']);

export const everything: ProbeSearch = { providers: listedByDefault, explainMissing: true, matches: () => true };

export function parseSearch(pattern: string): ProbeSearch {
  const colon = pattern.indexOf(':');
  if (colon < 0) {
    const provider = providerSyntax.named(pattern)?.name;
    if (provider) return { providers: [provider], explainMissing: true, matches: () => true };
    const whole = globToRegExp(pattern);
    return { providers: listedByDefault, explainMissing: isGlob(pattern), matches: (line) => whole.test(line) };
  }
  const head = pattern.slice(0, colon);
  const rest = pattern.slice(colon + 1);
  const provider = providerSyntax.named(head)?.name;
  if (provider) return providerSearch(provider, rest);
  if (isGlob(head)) {
    const providerGlob = globToRegExp(head);
    const whole = globToRegExp(pattern);
    return {
      providers: listedByDefault.filter((name) => providerGlob.test(name)),
      explainMissing: true,
      matches: (line) => whole.test(line),
    };
  }
  // `sched:*` is most often a tracepoint category written without its provider.
  const hint = rest.includes(':') ? undefined : `did you mean 'tracepoint:${pattern}'?`;
  throw new SearchError(`unknown probe type '${head}' in '${pattern}'`, hint);
}

function providerSearch(provider: ProviderName, rest: string): ProbeSearch {
  const prefix = `${provider}:`;
  if (isParameterized(provider)) {
    // Only the event or unit is listed; a count or period after it does not narrow the search.
    const name = globToRegExp(rest.split(':')[0] ?? '');
    return { providers: [provider], explainMissing: true, matches: (line) => name.test(line.slice(prefix.length).split(':')[0] ?? '') };
  }
  if (binaryProviders.has(provider)) {
    // The binary was found from the target as written (`libc`, a glob): lines hold its full path, so
    // only what follows the target (`read*`, `provider:probe`) is matched, after the path.
    const glob = globToRegExp(rest.split(':').slice(1).join(':') || '*');
    return { providers: [provider], explainMissing: true, target: rest, matches: (line) => glob.test(line.slice(prefix.length).split(':').slice(1).join(':')) };
  }
  const glob = globToRegExp(rest);
  return { providers: [provider], explainMissing: true, target: rest, matches: (line) => glob.test(line.slice(prefix.length)) };
}
