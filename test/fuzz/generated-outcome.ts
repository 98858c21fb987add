// What happens to one generated program: compiled and loaded into the real verifier (maps created,
// programs loaded, nothing attached, everything closed again), or where it failed and why.
import { compile } from '../../src/compile.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { renderDiagnostics } from '../../src/diagnostics/index.js';
import { VerifierError } from '../../src/loader/verifier-error.js';
import { ResourceStack } from '../../src/runtime/lifecycle.js';
import { createSessionMaps, loadSessionPrograms } from '../../src/runtime/setup.js';

export type GeneratedOutcome =
  | { readonly kind: 'loaded'; readonly script: CompiledScript }
  /** The code generator refused it with a documented limit (stack and scratch space, string search size). */
  | { readonly kind: 'limit'; readonly text: string }
  /** A compiler bug: `text` is the exception, the diagnostics, or the verifier's summary. */
  | { readonly kind: 'failure'; readonly stage: 'compile' | 'load'; readonly text: string; readonly log?: readonly string[] };

/** Diagnostics that state a limit of the generated code rather than a mistake in the program. */
const limitMessages = [/more bytes of BPF stack/, /is more than the BPF verifier accepts/];

export function generatedOutcome(source: string): GeneratedOutcome {
  let result: ReturnType<typeof compile>;
  try {
    result = compile(source, { fileName: 'generated.bt' });
  } catch (error) {
    return { kind: 'failure', stage: 'compile', text: `compile() threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  }
  if (!result.script) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    const text = renderDiagnostics(errors, () => source);
    if (errors.length > 0 && errors.every((error) => limitMessages.some((limit) => limit.test(error.message)))) return { kind: 'limit', text };
    return { kind: 'failure', stage: 'compile', text };
  }
  const error = loadIntoVerifier(result.script);
  if (!error) return { kind: 'loaded', script: result.script };
  if (error instanceof VerifierError) {
    return { kind: 'failure', stage: 'load', text: `${error.programName}: ${error.code}: ${error.summary.join(' | ')}`, log: error.log };
  }
  return { kind: 'failure', stage: 'load', text: error instanceof Error ? error.message : String(error) };
}

/** Creates the maps and loads every program, then closes everything; the error, if any. */
export function loadIntoVerifier(script: CompiledScript): unknown {
  const resources = new ResourceStack();
  try {
    loadSessionPrograms(script, createSessionMaps(script, resources, 4096), resources);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    resources.closeAll();
  }
}
