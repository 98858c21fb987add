// The compiler as a pipeline, each stage callable alone: parse → check → generate.
import { parse } from './parser/parse.js';
import { check } from './check/checker.js';
import type { CompileConfig } from './check/checked.js';
import { generate } from './codegen/generate.js';
import type { CompiledScript } from './codegen/artifact.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/index.js';

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
  const checked = check(parsed.program, config);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };
  const generated = generate(checked);
  const all = sortDiagnostics([...diagnostics, ...generated.diagnostics]);
  return generated.script && !hasErrors(all) ? { script: generated.script, diagnostics: all } : { diagnostics: all };
}
