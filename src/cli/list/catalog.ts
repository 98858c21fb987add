// What `-l` can list, per provider: the probes this machine offers, or why it offers none. Each
// provider's source is a function of its own module; this table only says which one answers for
// which provider, under which printed name (kretprobe lists kprobe's functions as `kretprobe:…`).
import type { ProviderName } from '../../parser/attach-point-ast.js';
import { fentryProbes, kprobeProbes } from './kernel-functions.js';
import { hardwareProbes, softwareProbes, specialProbes, timerProbes } from './events.js';
import { rawTracepointProbes, tracepointProbes } from './tracepoints.js';

export interface ListedProbe {
  /** What -l prints, e.g. `tracepoint:syscalls:sys_enter_openat`, `software:cpu-clock:`, `BEGIN`. */
  readonly line: string;
  /** -lv: the probe's arguments as declarations (`const char * filename`); read only when asked. */
  readonly arguments?: () => readonly string[];
}

export type ProviderListing =
  | { readonly kind: 'probes'; readonly probes: readonly ListedProbe[] }
  /** The kernel cannot attach these here: said on stderr, nothing listed. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** tsbpf cannot enumerate these (yet). */
  | { readonly kind: 'unlisted'; readonly reason: string };

/** Providers a search without a provider consults, in the order notes about them are printed. */
export const listedByDefault: readonly ProviderName[] = [
  'begin', 'end', 'tracepoint', 'rawtracepoint', 'software', 'hardware', 'interval', 'profile', 'kprobe', 'fentry',
];

/** The probes `provider` offers here, each printed under that provider's long name. */
export function listProvider(provider: ProviderName): ProviderListing {
  switch (provider) {
    case 'begin':
      return specialProbes('BEGIN');
    case 'end':
      return specialProbes('END');
    case 'tracepoint':
      return tracepointProbes();
    case 'rawtracepoint':
      return rawTracepointProbes();
    case 'software':
      return softwareProbes();
    case 'hardware':
      return hardwareProbes();
    case 'interval':
    case 'profile':
      return timerProbes(provider);
    case 'kprobe':
    case 'kretprobe':
      return kprobeProbes(provider);
    case 'fentry':
    case 'fexit':
      return fentryProbes(provider);
    case 'uprobe':
    case 'uretprobe':
    case 'usdt':
      return { kind: 'unlisted', reason: `listing ${provider} probes needs a binary's symbol table, which tsbpf cannot read yet` };
    case 'watchpoint':
    case 'asyncwatchpoint':
      return { kind: 'unlisted', reason: `${provider} probes name an address; there is nothing to list` };
    case 'iter':
      return { kind: 'unlisted', reason: 'iter probes are not supported by tsbpf yet' };
    default:
      return unreachable(provider);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown provider ${JSON.stringify(value)}`);
}
