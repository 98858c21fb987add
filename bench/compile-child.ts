// One example compiled in a fresh process, printed as one JSON line: the import of the compiler, the
// first compile() (cold: parser construction, the host's reads of kernel data and JIT warm-up included),
// and the median of later ones on the same host. CPU time is kept next to wall time: on a busy machine the wall clock
// also counts waiting for a core.
// Usage: node dist/bench/compile-child.js FILE [warm runs]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: compile-child.js FILE [warm runs]');
const warmRuns = Number(process.argv[3] ?? 10);
const source = readFileSync(path, 'utf8');

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
function timed<T>(action: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const value = action();
  return { value, wallMs: performance.now() - start, cpuMs: cpuMs(process.cpuUsage(cpuStart)) };
}
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const importStart = performance.now();
const { compile } = await import('../src/compile.js');
const { liveHost } = await import('../src/host/live.js');
const importMs = performance.now() - importStart;

// One host for every run, as an embedder that compiles repeatedly keeps one: the cold compile reads
// tracefs, BTF and kallsyms through it, the warm ones find the answers kept.
const options = { fileName: basename(path), positional: ['1'], host: liveHost() };
const cold = timed(() => compile(source, options));
const warm = Array.from({ length: warmRuns }, () => timed(() => compile(source, options)));
const errors = cold.value.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;

process.stdout.write(
  `${JSON.stringify({
    importMs,
    coldMs: cold.wallMs,
    coldCpuMs: cold.cpuMs,
    warmMedianMs: median(warm.map((run) => run.wallMs)),
    warmMedianCpuMs: median(warm.map((run) => run.cpuMs)),
    warmMinMs: Math.min(...warm.map((run) => run.wallMs)),
    compiled: cold.value.script !== undefined,
    errors,
    programs: cold.value.script?.programs.length ?? 0,
    instructions: cold.value.script?.programs.reduce((sum, program) => sum + program.assembled.slotCount, 0) ?? 0,
  })}\n`,
);
