/** The example scripts shipped in examples/, read once for the tests that use them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/parser → repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));
export const examplesDirectory = join(root, 'examples');

export interface Example {
  readonly name: string;
  readonly source: string;
}

export function loadExamples(): Example[] {
  return readdirSync(examplesDirectory)
    .filter((name) => name.endsWith('.tsbpf'))
    .sort()
    .map((name) => ({ name, source: readFileSync(join(examplesDirectory, name), 'utf8') }));
}
