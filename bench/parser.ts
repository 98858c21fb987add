/**
 * Front-end benchmark: how long building the parser takes (with and without Chevrotain's grammar
 * checks) and how long a 2,000-line script takes to parse, cold and warm.
 * Run after `tsc`: node dist/bench/parser.js [lines]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const targetLines = Number(process.argv[2] ?? 2000);
const warmRuns = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The example scripts, repeated whole (shebangs dropped) until the text has at least `lines` lines. */
function bigScript(lines: number): string {
  const directory = join(fileURLToPath(new URL('../../', import.meta.url)), 'examples');
  const examples = readdirSync(directory)
    .filter((name) => name.endsWith('.tsbpf'))
    .sort()
    .map((name) => readFileSync(join(directory, name), 'utf8').replace(/^#!.*\n/, ''));
  const parts: string[] = [];
  let count = 0;
  for (let index = 0; count < lines; index += 1) {
    const part = examples[index % examples.length]!;
    parts.push(part);
    count += part.split('\n').length;
  }
  return parts.join('\n');
}

// The providers' syntax, as compile() gives it to the parser (loaded before the parser's import is timed).
const { defaultProviders } = await import('../src/providers/index.js');
const parseOptions = { providers: defaultProviders.syntax };

const importStart = performance.now();
const { createParser } = await import('../src/parser/parse.js');
const importMs = performance.now() - importStart;

const buildCpuStart = process.cpuUsage();
const buildStart = performance.now();
const parser = createParser();
const firstBuildMs = performance.now() - buildStart;
const firstBuildCpuMs = (process.cpuUsage(buildCpuStart).user + process.cpuUsage(buildCpuStart).system) / 1000;

const rebuilds: number[] = [];
for (let run = 0; run < 5; run += 1) {
  const start = performance.now();
  createParser();
  rebuilds.push(performance.now() - start);
}
const validated: number[] = [];
for (let run = 0; run < 3; run += 1) {
  const start = performance.now();
  createParser({ validateGrammar: true });
  validated.push(performance.now() - start);
}

const source = bigScript(targetLines);
// CPU time is reported next to wall time: on a busy machine the wall clock also counts waiting.
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const coldCpuStart = process.cpuUsage();
const coldStart = performance.now();
const first = parser.parse(source, 'big.bt', parseOptions);
const coldMs = performance.now() - coldStart;
const coldCpuMs = cpuMs(process.cpuUsage(coldCpuStart));
if (first.program === undefined) {
  console.error(first.diagnostics.slice(0, 3));
  throw new Error('the benchmark script does not parse');
}
const warm: number[] = [];
const warmCpu: number[] = [];
for (let run = 0; run < warmRuns; run += 1) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  parser.parse(source, 'big.bt', parseOptions);
  warm.push(performance.now() - start);
  warmCpu.push(cpuMs(process.cpuUsage(cpuStart)));
}

const lineCount = source.split('\n').length;
const report = {
  script: { lines: lineCount, characters: source.length, probes: first.program.probes.length },
  moduleImportMs: Number(importMs.toFixed(1)),
  parserConstructionMs: {
    firstInProcessNoValidation: Number(firstBuildMs.toFixed(1)),
    firstInProcessNoValidationCpu: Number(firstBuildCpuMs.toFixed(1)),
    laterNoValidationMedian: Number(median(rebuilds).toFixed(1)),
    laterWithValidationMedian: Number(median(validated).toFixed(1)),
  },
  parseMs: {
    coldFirstParse: Number(coldMs.toFixed(1)),
    coldFirstParseCpu: Number(coldCpuMs.toFixed(1)),
    warmMedian: Number(median(warm).toFixed(1)),
    warmMedianCpu: Number(median(warmCpu).toFixed(1)),
    warmMin: Number(Math.min(...warm).toFixed(1)),
  },
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `${lineCount}-line script: ${coldMs.toFixed(1)} ms cold, ${median(warm).toFixed(1)} ms warm (median of ${warmRuns}); ` +
    `parser built in ${firstBuildMs.toFixed(1)} ms cold (later builds ${median(rebuilds).toFixed(1)} ms, ` +
    `${median(validated).toFixed(1)} ms with grammar validation)`,
);
