// `tsbpf -V`: the version in package.json, found by walking up from this module, which lives at
// dist/tsbpf.js when bundled and at dist/src/cli/version.js when run from tsc's output.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'tsbpf' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no manifest here (or not ours): keep walking up
    }
    if (dirname(directory) === directory) return undefined;
  }
}
