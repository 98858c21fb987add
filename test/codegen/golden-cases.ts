// The core one-liners whose disassembly is kept in test/codegen/golden/*.txt (checked by
// test/codegen/golden.test.ts, rewritten only by `node scripts/update-goldens.mjs`).
import { fileURLToPath } from 'node:url';
import { disassembleProgram, MapType, ProgramType } from '../../src/bpf/index.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { typeName } from '../../src/model/types.js';
import { compileScript } from '../e2e/harness.js';

export const goldenDirectory = fileURLToPath(new URL('../../../test/codegen/golden/', import.meta.url));

export const goldens: readonly (readonly [name: string, program: string])[] = [
  ['count-by-pid', 'tracepoint:syscalls:sys_enter_getppid { @[pid] = count(); }'],
  ['count', 'tracepoint:syscalls:sys_enter_getppid { @ = count(); }'],
  ['count-by-comm', 'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }'],
  ['hist-of-field', 'tracepoint:syscalls:sys_enter_openat { @h = hist(args.flags); }'],
  ['printf', 'BEGIN { printf("%s has pid %d\\n", comm, pid); }'],
  ['predicate', 'tracepoint:syscalls:sys_enter_getppid /pid == 1234 && comm == "node"/ { @calls = sum(2); }'],
];

function nameOf(table: Readonly<Record<string, number>>, value: number): string {
  return Object.entries(table).find(([, number]) => number === value)?.[0].toLowerCase() ?? String(value);
}

/** The program text reviewers read: source, each program's disassembly, then the maps. */
export function render(source: string, script: CompiledScript): string {
  const lines = [`# ${source}`];
  for (const program of script.programs) {
    lines.push(`## program ${program.name} (${nameOf(ProgramType, program.programType)}), ${program.stackBytes} bytes of stack`);
    lines.push(...disassembleProgram(program.assembled));
  }
  lines.push('## maps');
  for (const map of script.maps) {
    const key = map.keyType ? ` key ${typeName(map.keyType)}` : '';
    const value = map.value ? ` value ${map.value.kind}` : '';
    lines.push(`${map.name}: ${nameOf(MapType, map.mapType)}, ${map.keySize}-byte key, ${map.valueSize}-byte value, ${map.maxEntries} entries${key}${value}`);
  }
  return lines.join('\n') + '\n';
}

/** Every golden: name, file, text (for scripts/update-goldens.mjs). */
export function allGoldens(): { name: string; path: string; text: string }[] {
  return goldens.map(([name, source]) => ({ name, path: `${goldenDirectory}${name}.txt`, text: render(source, compileScript(source)) }));
}
