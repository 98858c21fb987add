// Golden disassembly of core one-liners (test/codegen/golden-cases.ts), kept in
// test/codegen/golden/*.txt so that every change to the generated code shows up in review as a diff.
// A test run only compares; regenerate explicitly with `node scripts/update-goldens.mjs` (after
// `npx tsc`) and review the diff. Each program is also loaded into the verifier, so a golden is never
// a program the kernel rejects.
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CompiledScript } from '../../src/model/artifact.js';
import { ResourceStack } from '../../src/runtime/lifecycle.js';
import { createSessionMaps, loadSessionPrograms } from '../../src/runtime/setup.js';
import { compileScript } from '../e2e/harness.js';
import { goldenDirectory, goldens, render } from './golden-cases.js';

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
    assert.ok(existsSync(path), `missing golden ${path}: run node scripts/update-goldens.mjs`);
    assert.fixture(text, readFileSync(path, 'utf8'));
  });
}

test.run();
