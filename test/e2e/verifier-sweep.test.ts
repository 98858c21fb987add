// Verifier acceptance: every example in examples/ and every program of the end-to-end cases is
// compiled and loaded into the real verifier (maps created, programs loaded, nothing attached).
// An example may use a provider or function that does not exist yet: it must then fail with clean
// diagnostics, never an internal error, an exception or a verifier rejection.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { hasErrors, renderDiagnostics } from '../../src/diagnostics/index.js';
import { ResourceStack } from '../../src/runtime/lifecycle.js';
import { createSessionMaps, loadSessionPrograms } from '../../src/runtime/setup.js';
import type { Case } from './case.js';
import { aggregationCases } from './cases/aggregations.js';
import { builtinCases } from './cases/builtins.js';
import { controlCases } from './cases/control.js';
import { largeValueCases } from './cases/large-values.js';
import { mapCases } from './cases/maps.js';
import { operatorCases } from './cases/operators.js';
import { tracepointCases } from './cases/tracepoints.js';
import { compileScript } from './harness.js';

/** The examples that compile and load today; the others wait for features (their diagnostics are printed). */
const loadingExamples = [
  'bashreadline', 'bcc-hello-buffer', 'bcc-hello-map', 'bcc-hello-printf', 'bcc-hello-tail', 'bcc-hello', 'bcc-opens', 'biolatency', 'bitesize', 'capable', 'cpuwalk', 'execsnoop', 'gethostlatency', 'killsnoop', 'mdflush', 'naptime', 'oomkill', 'opensnoop',
  'pidpersec', 'runqlat', 'setuids', 'signals', 'statsnoop', 'syncsnoop', 'syscount', 'tcpconnect', 'vfsstat',
];

const examplesDirectory = new URL('../../../examples/', import.meta.url);

/** Creates the maps and loads every program into the verifier, then closes everything. */
function load(script: CompiledScript): void {
  const resources = new ResourceStack();
  try {
    loadSessionPrograms(script, createSessionMaps(script, resources), resources);
  } finally {
    const failures = resources.closeAll();
    if (failures.length) throw failures[0];
  }
}

test('every example loads into the verifier or fails with clean diagnostics', () => {
  const names = readdirSync(examplesDirectory).filter((name) => name.endsWith('.tsbpf')).sort();
  assert.ok(names.length > 0, 'examples/ has no .tsbpf files');
  const loaded: string[] = [];
  const waiting: string[] = [];
  for (const name of names) {
    const source = readFileSync(new URL(name, examplesDirectory), 'utf8');
    const result = compile(source, { fileName: `examples/${name}` });
    if (!result.script) {
      const rendered = renderDiagnostics(result.diagnostics, () => source);
      assert.ok(hasErrors(result.diagnostics), `${name} produced no script and no error`);
      assert.not.match(rendered, /internal/i, `${name}: ${rendered}`);
      waiting.push(`${name}:\n${rendered.trimEnd().replace(/^/gm, '    ')}`);
      continue;
    }
    load(result.script);
    loaded.push(name.replace(/\.tsbpf$/, ''));
  }
  console.log(`examples that load: ${loaded.join(', ')}`);
  console.log(`examples waiting for features (${waiting.length}):\n${waiting.join('\n')}`);
  assert.equal(loaded, loadingExamples);
});

const groups: readonly (readonly [string, readonly Case[]])[] = [
  ['builtins', builtinCases], ['aggregations', aggregationCases], ['maps', mapCases],
  ['operators', operatorCases], ['control', controlCases], ['tracepoints', tracepointCases], ['large-values', largeValueCases],
];

for (const [group, cases] of groups) {
  test(`every ${group} test program loads`, () => {
    for (const one of cases) {
      try {
        load(compileScript(one.program, one.positional ? { positional: one.positional } : {}));
      } catch (error) {
        throw new Error(`${one.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
}

test.run();
