// The compiler as a pipeline, each stage callable alone: parse → check (attach points resolved on
// the host, through the provider table) → generate.
import { parse } from './parser/parse.js';
import { check } from './check/checker.js';
import { scriptConfig } from './check/script-config.js';
import type { CompileConfig } from './model/config.js';
import type { Host } from './model/host.js';
import type { ProviderTable } from './model/provider.js';
import { liveHost } from './host/live.js';
import { defaultProviders } from './providers/index.js';
import { generate } from './codegen/generate.js';
import type { CompiledScript } from './model/artifact.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/index.js';
import { functionTable } from './functions/index.js';

export interface CompileOptions extends Partial<CompileConfig> {
  /** Name shown in diagnostics: a path, or `stdin`. */
  readonly fileName?: string;
  /** The machine to compile for; default: a fresh liveHost() (this one, read once per compile). */
  readonly host?: Host;
  /** The providers attach points resolve through; default: tsbpf's own. */
  readonly providers?: ProviderTable;
  /** Settings from the caller's environment (the CLI's BPFTRACE_* variables): the script's `config = {…}` overrides them. */
  readonly environment?: Partial<CompileConfig>;
}

export interface CompileResult {
  /** Present when there are no errors. */
  readonly script?: CompiledScript;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Compiles source to programs, map specs and record descriptions. It reads the host (tracefs, BTF,
 * kallsyms, binaries, feature probes) but creates nothing in the kernel.
 */
export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const { fileName = 'stdin', host = liveHost(), providers = defaultProviders, environment = {}, ...config } = options;
  const parsed = parse(source, fileName, { providers: providers.syntax, positional: config.positional ?? [] });
  if (!parsed.program || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const fromScript = scriptConfig(parsed.program);
  const checked = check(parsed.program, { ...environment, ...fromScript.config, ...withoutUndefined(config) }, { host, providers, functions: functionTable });
  const diagnostics = [...parsed.diagnostics, ...fromScript.diagnostics, ...checked.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };
  const generated = generate(checked, functionTable);
  const all = sortDiagnostics([...diagnostics, ...generated.diagnostics]);
  return generated.script && !hasErrors(all) ? { script: generated.script, diagnostics: all } : { diagnostics: all };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
