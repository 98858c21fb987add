// Runs every compiled test file (dist/test/**/*.test.js) in its own uvu process and sums the results.
// A file that fails to import, throws outside a test, or exits non-zero without a summary counts as a
// failure, so nothing can pass by not running. Last line: "N passed, N failed, N skipped".
// Usage: node scripts/test.mjs [filter substring...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = 'dist/test';
const filters = process.argv.slice(2);

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

/** A test file still running after this long is killed and counts as failed (a hang must not eat CI). */
const fileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 300_000);

function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    const timer = setTimeout(() => {
      output += `\n(killed after ${fileTimeoutMs / 1000} s without finishing)\n`;
      child.kill('SIGKILL');
    }, fileTimeoutMs);
    child.on('close', () => clearTimeout(timer));
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

function summary(output) {
  const number = (label) => {
    const all = [...output.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const total = number('Total');
  const passed = number('Passed');
  const skipped = number('Skipped');
  if (total === undefined || passed === undefined) return undefined;
  return { passed, skipped: skipped ?? 0, failed: total - passed - (skipped ?? 0) };
}

const files = findTests(root).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
let passed = 0, failed = 0, skipped = 0;
const started = Date.now();
for (const file of files) {
  const t0 = Date.now();
  const result = await runFile(file);
  const counts = summary(result.output);
  const name = relative(root, file);
  if (!counts) {
    failed += 1;
    console.log(`FAIL ${name}: exited ${result.signal ?? result.code} without a test summary\n${result.output}`);
    continue;
  }
  if (counts.failed > 0 || result.code !== 0) {
    console.log(result.output.trimEnd());
    if (counts.failed === 0) counts.failed = 1;
  }
  passed += counts.passed; failed += counts.failed; skipped += counts.skipped;
  const skippedText = counts.skipped ? `, ${counts.skipped} skipped` : '';
  console.log(`${counts.failed ? 'FAIL' : 'ok  '} ${name}: ${counts.passed} passed${counts.failed ? `, ${counts.failed} failed` : ''}${skippedText} (${Date.now() - t0} ms)`);
  for (const line of result.output.split('\n')) if (line.startsWith('SKIP ')) console.log(`     ${line}`);
}
console.log(`\n${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
