// A wide corpus of programs and a fingerprint of what the compiler makes of each: every program's
// bytes, type and attachments, every map spec, every record description, and the rendered
// diagnostics of programs that do not compile. Refactorings of the compiler must leave every
// fingerprint as it was (test/codegen/bytecode-identity.test.ts compares with the stored snapshot).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type CompileOptions } from '../../src/compile.js';
import { renderDiagnostics } from '../../src/diagnostics/index.js';
import type { Host } from '../../src/model/host.js';
import { generateProgram } from '../fuzz/program-generator.js';
import { frontEndInput } from '../fuzz/front-end.js';
import type { Case } from '../e2e/case.js';

export interface CorpusEntry {
  readonly name: string;
  readonly source: string;
  readonly positional?: readonly string[];
}

const examplesDirectory = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** Programs embed the test process's pid (`/pid == N/`, `pid % 1000 == N`): fixed numbers keep fingerprints stable. */
function stablePid(source: string): string {
  // Whole numbers only: a pid's digits inside another number, or `== 42` inside `== 4242`, stay.
  return source.replace(new RegExp(`\\b${process.pid}\\b`, 'g'), '4242').replace(/pid % 1000 == \d+/g, 'pid % 1000 == 242');
}

export async function corpus(generatedCount: number): Promise<CorpusEntry[]> {
  const entries: CorpusEntry[] = [];
  for (const file of readdirSync(examplesDirectory).filter((name) => name.endsWith('.tsbpf')).sort()) {
    entries.push({ name: `example ${file}`, source: readFileSync(examplesDirectory + file, 'utf8') });
  }
  const caseModules = ['aggregations', 'builtins', 'control', 'large-values', 'loops', 'maps', 'operators', 'tracepoints'];
  for (const module of caseModules) {
    const exported = (await import(`../e2e/cases/${module}.js`)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exported)) {
      if (!Array.isArray(value)) continue;
      for (const one of value as Case[]) {
        if (typeof one?.program !== 'string') continue;
        entries.push({ name: `case ${module}.${exportName}: ${one.name}`, source: stablePid(one.program), ...(one.positional ? { positional: one.positional } : {}) });
      }
    }
  }
  for (let seed = 1; seed <= generatedCount; seed++) entries.push({ name: `generated ${seed}`, source: generateProgram(seed) });
  // Mutated and garbled programs: most do not compile, so their diagnostics are fingerprinted too.
  for (let index = 0; index < generatedCount; index++) entries.push({ name: `front-end ${index}`, source: frontEndInput(20261207, index) });
  return entries;
}

function hash(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}

function json(value: unknown): string {
  return JSON.stringify(value, (key, item: unknown) => {
    if (key === 'span') return undefined;
    if (typeof item === 'bigint') return `${item}n`;
    if (item instanceof Uint8Array) return Buffer.from(item).toString('hex');
    if (item instanceof Map) return [...item.entries()];
    // A pointer names the struct it points to: kernel structs reach each other in cycles.
    if (key === 'to' && (item as { kind?: string } | undefined)?.kind === 'record') return (item as { name: string }).name;
    return item;
  });
}

/** One line per entry: the fingerprint of its compilation (on `host` when given: a fixture or recording host). */
export function fingerprint(entry: CorpusEntry, host?: Host): string {
  const options: CompileOptions = { fileName: 'corpus.bt', ...(entry.positional ? { positional: entry.positional } : {}), ...(host ? { host } : {}) };
  const result = compile(entry.source, options);
  if (!result.script) return `errors ${hash(renderDiagnostics(result.diagnostics, () => entry.source))}`;
  const { script } = result;
  const programs = script.programs.map((program) => [
    program.name, program.programType, program.expectedAttachType, program.attachBtfId, hash(program.assembled.bytes),
    json(program.attachments), json(program.reachedBy ?? []), json(program.functions), json(program.tailCall ?? null), program.routesSyscalls ?? false, program.stackBytes,
  ]);
  const maps = script.maps.map((map) => [map.name, map.role, map.scriptName, map.mapType, map.keySize, map.valueSize, map.maxEntries, map.flags, map.perCpu, map.stackSpace, json(map.keyType ?? null), json(map.value ?? null)]);
  return [
    `programs ${hash(json(programs))}`,
    `maps ${hash(json(maps))}`,
    `actions ${hash(json(script.actions))}`,
    `warnings ${hash(renderDiagnostics(result.diagnostics, () => entry.source))}`,
  ].join(' ');
}
