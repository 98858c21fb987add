// The front-end property: every input, however hostile, ends in a compiled script or in diagnostics
// whose spans point into the input, and nothing throws. Input number i of a run is rebuilt from
// (run seed, i) alone: a generated program, a mutated one (generated or from examples/), or a soup
// of tokens.
import { readdirSync, readFileSync } from 'node:fs';
import { compile } from '../../src/compile.js';
import { renderDiagnostics } from '../../src/diagnostics/index.js';
import type { SourceSpan } from '../../src/diagnostics/span.js';
import { mutateProgram, tokenSoup } from './mutate.js';
import { generateProgram } from './program-generator.js';
import { createRandom, inputSeed } from './random.js';

export const fuzzFileName = 'fuzz.bt';

let examples: string[] | undefined;

/** examples/*.tsbpf, read once per process. */
function exampleSources(): string[] {
  if (!examples) {
    const directory = new URL('../../../examples/', import.meta.url);
    examples = readdirSync(directory).filter((name) => name.endsWith('.tsbpf')).sort().map((name) => readFileSync(new URL(name, directory), 'utf8'));
  }
  return examples;
}

export function frontEndInput(runSeed: number, index: number): string {
  const random = createRandom(inputSeed(runSeed, index));
  const kind = random.weighted<'generated' | 'mutated-generated' | 'mutated-example' | 'soup'>([
    [1, 'generated'], [5, 'mutated-generated'], [3, 'mutated-example'], [1, 'soup'],
  ]);
  if (kind === 'soup') return tokenSoup(random);
  let source = kind === 'mutated-example' ? random.pick(exampleSources()) : generateProgram(random.integer(0, 2 ** 31));
  if (kind === 'generated') return source;
  for (let count = random.integer(1, 4); count > 0; count--) source = mutateProgram(random, source);
  return source;
}

export interface FrontEndOutcome {
  /** Why the outcome breaks the property; undefined when it holds. */
  readonly problem?: string;
  /** The input compiled to a script (otherwise it ended in diagnostics). */
  readonly compiled: boolean;
}

export function checkFrontEnd(source: string): FrontEndOutcome {
  let compiled = false;
  const problem = frontEndProblem(source, () => {
    compiled = true;
  });
  return problem === undefined ? { compiled } : { problem, compiled };
}

/** Why an outcome breaks the property, or undefined when it holds. */
export function frontEndProblem(source: string, onScript: () => void = () => {}): string | undefined {
  let result: ReturnType<typeof compile>;
  try {
    result = compile(source, { fileName: fuzzFileName });
  } catch (error) {
    return `compile() threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  for (const diagnostic of result.diagnostics) {
    const problem = spanProblem(diagnostic.span, source);
    if (problem) return `diagnostic "${diagnostic.message}": ${problem}`;
    if (diagnostic.message.trim() === '') return 'a diagnostic with an empty message';
    if (/internal/i.test(diagnostic.message)) return `an internal error as a diagnostic: ${diagnostic.message}`;
  }
  try {
    renderDiagnostics(result.diagnostics, () => source);
  } catch (error) {
    return `rendering the diagnostics threw: ${String(error)}`;
  }
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (!result.script) return errors.length > 0 ? undefined : 'no script and no error';
  if (errors.length > 0) return 'a script despite errors';
  // A script without probes (only comments, say) compiles; the CLI refuses to run it.
  if (result.script.programs.length > 0) onScript();
  for (const program of result.script.programs) {
    if (program.assembled.slotCount === 0) return `program ${program.name} is empty`;
    for (const [slot, span] of program.assembled.spans.entries()) {
      if (span === undefined) continue;
      const problem = spanProblem(span, source);
      if (problem) return `program ${program.name} instruction ${slot}: ${problem}`;
    }
  }
  return undefined;
}

/** A span inside the input whose line and column agree with its offset. */
export function spanProblem(span: SourceSpan, source: string): string | undefined {
  if (span.file !== fuzzFileName) return `span in file ${span.file}`;
  if (![span.offset, span.length, span.line, span.column].every(Number.isInteger)) return `non-integer span ${JSON.stringify(span)}`;
  if (span.offset < 0 || span.length < 0 || span.offset + span.length > source.length) {
    return `span ${span.offset}+${span.length} outside a source of ${source.length} characters`;
  }
  const before = source.slice(0, span.offset);
  const line = before.split('\n').length;
  const column = span.offset - (before.lastIndexOf('\n') + 1) + 1;
  if (line !== span.line || column !== span.column) return `span at offset ${span.offset} says ${span.line}:${span.column}, the text says ${line}:${column}`;
  return undefined;
}
