// The provider table: one record per provider (src/providers/<name>.ts), each answering for its
// attach points, contexts and targets. compile(), the session and `-l` hand it to the stages.
import type { ProbeTarget } from '../model/probe.js';
import type { ProviderRecord, ProviderTable } from '../model/provider.js';
import type { ProviderName } from '../parser/attach-point-ast.js';
import { fentryProvider } from './fentry.js';
import { hardwareProvider } from './hardware.js';
import { kprobeProvider } from './kprobe.js';
import { rawTracepointProvider } from './rawtracepoint.js';
import { softwareProvider } from './software.js';
import { specialProvider } from './special.js';
import { timerProvider } from './timer.js';
import { tracepointProvider } from './tracepoint.js';
import { unsupportedProvider } from './unsupported.js';
import { uprobeProvider } from './uprobe.js';
import { usdtProvider } from './usdt.js';

/** A table over `records`; each provider name and target kind belongs to exactly one record. */
function providerTable(records: readonly ProviderRecord[]): ProviderTable {
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
    forProvider: (name) => byProvider.get(name),
    forTarget(kind) {
      const record = byTarget.get(kind);
      if (!record) throw new Error(`no provider record attaches ${kind} targets`);
      return record;
    },
  };
}

// Widened once here: each record narrows its own attach points and targets (method parameters are
// checked bivariantly, so a record is assignable to the general interface).
export const defaultProviders: ProviderTable = providerTable([
  specialProvider, tracepointProvider, rawTracepointProvider, softwareProvider, hardwareProvider, timerProvider,
  uprobeProvider, usdtProvider, kprobeProvider, fentryProvider, unsupportedProvider,
] as readonly ProviderRecord[]);
