// scripts/test.mjs counts what really happened: planted test files (a pass, a failure, a reported
// skip, a bare skip, a hand-made SKIP line, a file with no tests) run under the runner with --root,
// and its last line and exit code must say exactly that.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const runner = join(projectRoot, 'scripts/test.mjs');
const uvu = new URL('node_modules/uvu/dist/index.mjs', `file://${projectRoot}`).href;
const skipHelper = new URL('./skip.js', import.meta.url).href;

const passing = `import { test } from '${uvu}';\ntest('adds', () => { if (1 + 1 !== 2) throw new Error('no'); });\ntest('also', () => {});\ntest.run();\n`;
const failing = `import { test } from '${uvu}';\ntest('good', () => {});\ntest('bad', () => { throw new Error('planted failure'); });\ntest.run();\n`;
const reportedSkip = `import { test } from '${uvu}';\nimport { needs, tool, feature } from '${skipHelper}';\n`
  + `needs(test, 'uses a missing tool', tool('tsbpf-planted-missing-tool'), () => { throw new Error('must not run'); });\n`
  + `needs(test, 'uses a present feature', feature('planted present feature', true), () => {});\n`
  + `needs(test, 'fails although its tool is present', tool('sh'), () => { throw new Error('present but broken'); });\n`
  + `test.run();\n`;
const skipThenFail = `import { test } from '${uvu}';\nimport { needs, feature } from '${skipHelper}';\n`
  + `needs(test, 'skipped', feature('planted absent feature', false), () => {});\n`
  + `test('fails', () => { throw new Error('planted'); });\ntest.run();\n`;
const bareSkip = `import { test } from '${uvu}';\ntest.skip('no reason given', () => {});\ntest('fine', () => {});\ntest.run();\n`;
const handMadeSkip = `import { test } from '${uvu}';\ntest('early return', () => { console.log('SKIP nothing to see'); return; });\ntest.run();\n`;
const empty = `import { test } from '${uvu}';\ntest.run();\n`;
const throwsOutside = `import { test } from '${uvu}';\nthrow new Error('broken import');\n`;

interface RunnerResult { readonly status: number | null; readonly stdout: string; readonly lastLine: string }

function runPlanted(files: Record<string, string>, environment: Record<string, string> = {}): RunnerResult {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-runner-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
    const env = { ...process.env, ...environment };
    if (!('UPDATE_GOLDENS' in environment)) delete env.UPDATE_GOLDENS;
    const result = spawnSync(process.execPath, [runner, '--root', directory], { cwd: projectRoot, encoding: 'utf8', env });
    const lines = result.stdout.trimEnd().split('\n');
    return { status: result.status, stdout: result.stdout, lastLine: lines[lines.length - 1]! };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

test('passes are counted and the run succeeds', () => {
  const result = runPlanted({ 'a.test.js': passing });
  assert.is(result.lastLine, '2 passed, 0 failed, 0 skipped');
  assert.is(result.status, 0);
});

test('a planted failure is counted and fails the run', () => {
  const result = runPlanted({ 'a.test.js': passing, 'b.test.js': failing });
  assert.is(result.lastLine, '3 passed, 1 failed, 0 skipped');
  assert.is(result.status, 1);
  assert.match(result.stdout, 'planted failure');
});

test('a reported skip is counted apart and listed with its reason; a present tool that fails is a failure', () => {
  const result = runPlanted({ 'a.test.js': passing, 's.test.js': reportedSkip });
  assert.is(result.lastLine, '3 passed, 1 failed, 1 skipped');
  assert.is(result.status, 1);
  assert.match(result.stdout, 'Skipped (1):\n  s.test.js: uses a missing tool (absent: the tsbpf-planted-missing-tool command)\n');
  assert.match(result.stdout, 'present but broken');
});

test('a skip does not cancel a failure in the same file (uvu\'s Total excludes skips)', () => {
  const result = runPlanted({ 'a.test.js': skipThenFail });
  assert.is(result.lastLine, '0 passed, 1 failed, 1 skipped');
  assert.is(result.status, 1);
});

test('a skip with no reason fails the run', () => {
  const result = runPlanted({ 'a.test.js': bareSkip });
  assert.is(result.lastLine, '1 passed, 1 failed, 1 skipped');
  assert.is(result.status, 1);
  assert.match(result.stdout, 'uvu skipped 1 test(s) but 0 skip(s) name an absent feature');
});

test('a hand-made SKIP line (an early return that uvu counts as a pass) fails the run', () => {
  const result = runPlanted({ 'a.test.js': handMadeSkip });
  assert.is(result.lastLine, '1 passed, 1 failed, 0 skipped');
  assert.is(result.status, 1);
});

test('a file with no tests fails the run', () => {
  const result = runPlanted({ 'a.test.js': passing, 'empty.test.js': empty });
  assert.is(result.lastLine, '2 passed, 1 failed, 0 skipped');
  assert.is(result.status, 1);
  assert.match(result.stdout, 'FAIL empty.test.js: the file has no tests');
});

test('a file that throws before its tests run fails the run', () => {
  const result = runPlanted({ 'a.test.js': throwsOutside });
  assert.is(result.lastLine, '0 passed, 1 failed, 0 skipped');
  assert.is(result.status, 1);
  assert.match(result.stdout, 'broken import');
});

test('UPDATE_GOLDENS in the environment refuses the run before any test', () => {
  const result = runPlanted({ 'a.test.js': passing }, { UPDATE_GOLDENS: '1' });
  assert.is(result.status, 1);
  assert.is(result.lastLine, '0 passed, 1 failed, 0 skipped');
  assert.match(result.stdout, 'UPDATE_GOLDENS is set');
  assert.not.match(result.stdout, 'a.test.js');
});

test.run();
