// Golden disassembly of core one-liners, kept in test/codegen/golden/*.txt so that every change to
// the generated code shows up in review as a diff. Regenerate with
//   UPDATE_GOLDENS=1 node scripts/test.mjs codegen/
// Each program is also loaded into the verifier, so a golden is never a program the kernel rejects.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { disassembleProgram, MapType, ProgramType } from '../../src/bpf/index.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { typeName } from '../../src/model/types.js';
import { ResourceStack } from '../../src/runtime/lifecycle.js';
import { createSessionMaps, loadSessionPrograms } from '../../src/runtime/setup.js';
import { compileScript } from '../e2e/harness.js';

const goldenDirectory = fileURLToPath(new URL('../../../test/codegen/golden/', import.meta.url));
const updating = process.env.UPDATE_GOLDENS === '1';

const goldens: readonly (readonly [name: string, program: string])[] = [
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
function render(source: string, script: CompiledScript): string {
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

function load(script: CompiledScript): void {
  const resources = new ResourceStack();
  try {
    loadSessionPrograms(script, createSessionMaps(script, resources), resources);
  } finally {
    resources.closeAll();
  }
}

for (const [name, source] of goldens) {
  test(`golden: ${name}`, () => {
    const script = compileScript(source);
    load(script);
    const text = render(source, script);
    const path = `${goldenDirectory}${name}.txt`;
    if (updating) {
      mkdirSync(goldenDirectory, { recursive: true });
      writeFileSync(path, text);
      console.log(`updated ${path}`);
      return;
    }
    assert.ok(existsSync(path), `missing golden ${path}: run UPDATE_GOLDENS=1 node scripts/test.mjs codegen/`);
    assert.fixture(text, readFileSync(path, 'utf8'));
  });
}

test.run();
