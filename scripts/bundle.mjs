// Bundles the CLI into one file: unbundled chevrotain costs ~250 ms of module loading at startup.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
// The function and provider tables' module lists are written before each build (not committed).
import './gen-record-lists.mjs';

const outfile = 'dist/tsbpf.js';
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: false,
  sourcemap: 'linked',
  // commander is CommonJS: give the ESM bundle a real `require` for its node: imports.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __tsbpfCreateRequire } from 'node:module';\nconst require = __tsbpfCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
