// The compiler as a pipeline, each stage callable alone: parse → check → generate.
import { parse } from './parser/parse.js';
import type { Program } from './parser/ast.js';
import { check } from './check/checker.js';
import type { CompileConfig } from './model/config.js';
import { generate } from './codegen/generate.js';
import type { CompiledScript } from './model/artifact.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/index.js';
import { functionTable } from './functions/index.js';
import { possibleCpuCount } from './loader/cpus.js';

export interface CompileOptions extends Partial<CompileConfig> {
  /** Name shown in diagnostics: a path, or `stdin`. */
  readonly fileName?: string;
}

export interface CompileResult {
  /** Present when there are no errors. */
  readonly script?: CompiledScript;
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles source to programs, map specs and record descriptions without touching the kernel. */
export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const { fileName = 'stdin', ...config } = options;
  const parsed = parse(source, fileName);
  if (!parsed.program || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const checked = check(parsed.program, functionTable, { ...configFromMachine(), ...configFromEnvironment(), ...configFromScript(parsed.program), ...withoutUndefined(config) });
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };
  const generated = generate(checked, functionTable);
  const all = sortDiagnostics([...diagnostics, ...generated.diagnostics]);
  return generated.script && !hasErrors(all) ? { script: generated.script, diagnostics: all } : { diagnostics: all };
}

/** `config = { max_strlen = 128; max_map_keys = 1000 }` in the script. */
function configFromScript(program: Program): Partial<CompileConfig> {
  const config: { maxStringLength?: number; maxMapKeys?: number } = {};
  for (const block of program.configs) {
    for (const entry of block.entries) {
      if (entry.value.kind !== 'integer') continue;
      const key = entry.key.toLowerCase().replace(/^bpftrace_/, '');
      if (key === 'max_strlen' || key === 'strlen') config.maxStringLength = Number(entry.value.value);
      if (key === 'max_map_keys') config.maxMapKeys = Number(entry.value.value);
    }
  }
  return config;
}

/** What the script may ask of this machine: its CPU count (until a Host interface provides it). */
function configFromMachine(): Partial<CompileConfig> {
  try {
    return { cpuCount: possibleCpuCount() };
  } catch {
    // No /sys (a build machine, a container): compiling still works, only ncpus cannot.
    return {};
  }
}

/** bpftrace's environment variables (BPFTRACE_MAX_STRLEN, BPFTRACE_MAP_KEYS_MAX, …). */
function configFromEnvironment(): Partial<CompileConfig> {
  const config: { maxStringLength?: number; maxMapKeys?: number } = {};
  const number = (name: string) => {
    const text = process.env[name];
    return text && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const strlen = number('BPFTRACE_MAX_STRLEN') ?? number('BPFTRACE_STRLEN');
  if (strlen !== undefined) config.maxStringLength = strlen;
  const keys = number('BPFTRACE_MAX_MAP_KEYS') ?? number('BPFTRACE_MAP_KEYS_MAX');
  if (keys !== undefined) config.maxMapKeys = keys;
  return config;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
