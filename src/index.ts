// tsbpf as a library: compile without the kernel, or run a script and consume its events.
import { compile, type CompileOptions, type CompileResult } from './compile.js';
import { renderDiagnostics } from './diagnostics/index.js';
import type { CompiledScript } from './model/artifact.js';
import { startSession as startRuntime, type Session, type SessionOptions } from './runtime/session.js';
import { defaultProviders } from './providers/index.js';
import { functionTable } from './functions/index.js';
// Output functions declare their events (SessionEvent's kinds), and provider records their attach
// points' fields and targets (ProbeTarget's kinds), in their own files: this keeps them in the
// published declarations, which would otherwise drop the value-only imports above.
import './functions/index.js';
import './providers/index.js';

export { compile, type CompileOptions, type CompileResult };
export { type Session, type SessionOptions };
export type { Host } from './model/host.js';
export { liveHost } from './host/live.js';
export type { CompiledScript, CompiledProgram, MapDescription, ActionDescription } from './model/artifact.js';
export type { ProbeAttachment, ProbeTarget } from './model/probe.js';
export type { Diagnostic } from './diagnostics/index.js';
export type { SessionEvent } from './runtime/records.js';
export type { SessionOutput, TextSink } from './runtime/output-sink.js';
export type { MapDump, MapEntry, MapValue, Value } from './runtime/output/values.js';
export { AttachError } from './model/provider.js';
export { renderDiagnostics };

/** A script that did not compile: `message` is the rendered diagnostics (file:line:col, caret). */
export class CompileError extends Error {
  constructor(readonly diagnostics: CompileResult['diagnostics'], source: string) {
    super(renderDiagnostics(diagnostics, () => source));
    this.name = 'CompileError';
  }
}

/** Loads, attaches and runs a compiled script with tsbpf's providers; its output records decode with the standard functions. */
export function startSession(compiled: CompiledScript, options: SessionOptions = {}): Session {
  return startRuntime(compiled, functionTable, { providers: defaultProviders, ...options });
}

export interface RunOptions extends CompileOptions, SessionOptions {}

/** Compiles and starts `source`; throws CompileError for a script with errors. */
export function run(source: string, options: RunOptions = {}): Session {
  const result = compile(source, options);
  if (!result.script) throw new CompileError(result.diagnostics, source);
  return startSession(result.script, options);
}
