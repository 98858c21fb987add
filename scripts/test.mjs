// Runs every compiled test file (dist/test/**/*.test.js) in its own uvu process and sums the results.
// Usage: node scripts/test.mjs [--root DIR] [filter substring...]
//
// uvu 0.5.6 prints, per process, "Total: T" = the tests it ran (test.skip is NOT in T; with a
// test.only, T counts the .only tests), "Passed: P" = those that passed, and "Skipped: S" =
// test.skip calls plus the tests a test.only left out. So failed = T - P, and skips are added apart.
//
// The run fails (exit 1, and the file counts as failed) when a file:
//  - does not finish with a uvu summary (import error, throw outside a test, crash, hang);
//  - exits non-zero, or reports an impossible count (negative, P > T, non-integer);
//  - has no tests at all (T + S = 0);
//  - skips a test without a reason: every skip must come from test/support/skip.ts, which prints a
//    marker line with the test's name and the absent feature, and the markers must number exactly S;
//  - prints a hand-made "SKIP …" line (the old way, which uvu counted as a pass).
// It refuses to run at all with UPDATE_GOLDENS set: goldens are rewritten only by
// `node scripts/update-goldens.mjs`, never by a test run.
// The summary line is printed, then every skip with its reason, and the last line is always
// "N passed, N failed, N skipped".
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const argv = process.argv.slice(2);
let root = 'dist/test';
const filters = [];
for (let index = 0; index < argv.length; index++) {
  if (argv[index] === '--root') root = argv[++index];
  else if (argv[index].startsWith('--root=')) root = argv[index].slice('--root='.length);
  else filters.push(argv[index]);
}

if (process.env.UPDATE_GOLDENS !== undefined) {
  console.log('UPDATE_GOLDENS is set: a test run must not rewrite the goldens it checks.');
  console.log('Regenerate them with `node scripts/update-goldens.mjs`, review the diff, then run the tests without it.');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

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
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let output = '';
    const timer = setTimeout(() => {
      output += `\n(killed after ${fileTimeoutMs / 1000} s without finishing)\n`;
      child.kill('SIGKILL');
    }, fileTimeoutMs);
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

const marker = 'TSBPF-SKIP ';

/** uvu's summary and the skip markers of one file's output; `problems` lists what is impossible. */
function readOutput(output) {
  const number = (label) => {
    const all = [...output.matchAll(new RegExp(`^\\s*${label}:\\s+(-?[\\d.]+)`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const total = number('Total');
  const passed = number('Passed');
  const skippedByUvu = number('Skipped');
  const skips = [];
  const problems = [];
  for (const line of output.split('\n')) {
    const at = line.indexOf(marker);
    if (at >= 0) {
      try {
        const { test, reason } = JSON.parse(line.slice(at + marker.length));
        if (typeof test !== 'string' || typeof reason !== 'string' || !reason) throw new Error('no reason');
        skips.push({ test, reason });
      } catch {
        problems.push(`unreadable skip marker: ${line.trim()}`);
      }
    } else if (/^[\s•✘]*SKIP\b/.test(line)) {
      problems.push(`a hand-made skip message (uvu counts that test as passed; use test/support/skip.ts): ${line.trim()}`);
    }
  }
  if (total === undefined || passed === undefined || skippedByUvu === undefined) return { counts: undefined, skips, problems };
  const failed = total - passed;
  for (const [name, value] of [['total', total], ['passed', passed], ['skipped', skippedByUvu], ['failed', failed]]) {
    if (!Number.isInteger(value) || value < 0) problems.push(`impossible count: ${name} = ${value}`);
  }
  if (total + skippedByUvu === 0) problems.push('the file has no tests');
  if (skippedByUvu !== skips.length) {
    problems.push(`uvu skipped ${skippedByUvu} test(s) but ${skips.length} skip(s) name an absent feature `
      + '(a bare test.skip or a test.only left tests out; skip only through test/support/skip.ts)');
  }
  return { counts: { passed, failed, skipped: skippedByUvu }, skips, problems };
}

async function main() {
  const files = findTests(root).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
  let passed = 0, failed = 0, skipped = 0;
  const allSkips = [];
  const started = Date.now();
  for (const file of files) {
    const t0 = Date.now();
    const result = await runFile(file);
    const { counts, skips, problems } = readOutput(result.output);
    const name = relative(root, file);
    if (!counts) {
      failed += 1;
      console.log(`${result.output.trimEnd()}\nFAIL ${name}: exited ${result.signal ?? result.code} without a test summary`);
      continue;
    }
    let fileFailed = counts.failed > 0 ? counts.failed : 0;
    if (result.code !== 0 && fileFailed === 0) {
      problems.push(`exited ${result.signal ?? result.code} with no failed test counted`);
    }
    if (problems.length && fileFailed === 0) fileFailed = 1;
    if (fileFailed > 0) console.log(result.output.trimEnd());
    for (const problem of problems) console.log(`FAIL ${name}: ${problem}`);
    const filePassed = Math.max(0, counts.passed), fileSkipped = Math.max(0, counts.skipped);
    passed += filePassed; failed += fileFailed; skipped += fileSkipped;
    for (const skip of skips) allSkips.push({ file: name, ...skip });
    const skippedText = fileSkipped ? `, ${fileSkipped} skipped` : '';
    console.log(`${fileFailed ? 'FAIL' : 'ok  '} ${name}: ${filePassed} passed${fileFailed ? `, ${fileFailed} failed` : ''}${skippedText} (${Date.now() - t0} ms)`);
  }
  if (files.length === 0) {
    console.log(`no test files under ${root}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
    failed += 1;
  }
  const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  console.log(`\n${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(line);
  if (allSkips.length) {
    console.log(`\nSkipped (${allSkips.length}):`);
    for (const skip of allSkips) console.log(`  ${skip.file}: ${skip.test} (${skip.reason})`);
    console.log(line);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
