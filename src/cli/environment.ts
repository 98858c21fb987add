// bpftrace's environment variables, read by the command only: the library takes them as options.
import { missingProbesValue } from '../check/script-config.js';
import type { CompileConfig } from '../model/config.js';

/** BPFTRACE_MAX_STRLEN (or BPFTRACE_STRLEN), BPFTRACE_STR_TRUNC_TRAILER, BPFTRACE_MAX_MAP_KEYS (or BPFTRACE_MAP_KEYS_MAX), BPFTRACE_MISSING_PROBES. */
export function configFromEnvironment(environment: Readonly<Record<string, string | undefined>>): Partial<CompileConfig> {
  const config: { -readonly [Key in 'maxStringLength' | 'stringTrailer' | 'maxMapKeys' | 'missingProbes']?: CompileConfig[Key] } = {};
  const number = (name: string) => {
    const text = environment[name];
    return text && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const strlen = number('BPFTRACE_MAX_STRLEN') ?? number('BPFTRACE_STRLEN');
  if (strlen !== undefined) config.maxStringLength = strlen;
  const trailer = environment.BPFTRACE_STR_TRUNC_TRAILER;
  if (trailer !== undefined) config.stringTrailer = trailer;
  const keys = number('BPFTRACE_MAX_MAP_KEYS') ?? number('BPFTRACE_MAP_KEYS_MAX');
  if (keys !== undefined) config.maxMapKeys = keys;
  const missingProbes = missingProbesValue(environment.BPFTRACE_MISSING_PROBES);
  if (missingProbes !== undefined) config.missingProbes = missingProbes;
  return config;
}
