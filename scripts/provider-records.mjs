// Writes src/providers/records.generated.ts: every provider record in src/providers/ (a file that
// says `export const NAME: ProviderRecord<`), so that adding a provider is its file and its test, and
// no list to edit. Run by `npm run build:ts` before tsc; the file is not committed.
// Usage: node scripts/provider-records.mjs [--check]  (--check: fail if the file is missing or stale)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = 'src/providers';
const output = join(folder, 'records.generated.ts');
const lines = [];
for (const file of readdirSync(folder).sort()) {
  if (!file.endsWith('.ts') || file.endsWith('.generated.ts') || file.endsWith('.d.ts')) continue;
  const text = readFileSync(join(folder, file), 'utf8');
  for (const [, name] of text.matchAll(/^export const (\w+): ProviderRecord</gm)) {
    lines.push(`export { ${name} } from './${file.replace(/\.ts$/, '.js')}';`);
  }
}
const text = `// Written by scripts/provider-records.mjs (npm run build:ts): every provider record in this folder.
// Not committed: adding a provider is its file, and this list follows.
${lines.join('\n')}
`;
const current = existsSync(output) ? readFileSync(output, 'utf8') : undefined;
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${output} is missing or stale: run node scripts/provider-records.mjs`);
    process.exit(1);
  }
} else if (current !== text) writeFileSync(output, text);
