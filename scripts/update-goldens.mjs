// Rewrites the disassembly goldens (test/bpf/golden/*.txt and test/codegen/golden/*.txt) from the
// compiled cases, the one explicit way to change them: a test run only compares, and
// scripts/test.mjs refuses to run with UPDATE_GOLDENS set. Review the diff before committing.
// Usage: npx tsc -p tsconfig.json && node scripts/update-goldens.mjs
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let changed = 0, same = 0;
for (const module of ['../dist/test/bpf/golden-cases.js', '../dist/test/codegen/golden-cases.js']) {
  const { allGoldens } = await import(new URL(module, import.meta.url).href);
  for (const { path, text } of allGoldens()) {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) {
      same++;
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`updated ${path}`);
    changed++;
  }
}
console.log(`${changed} golden(s) rewritten, ${same} unchanged`);
