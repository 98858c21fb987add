// Bundles the CLI into one file: unbundled chevrotain costs ~250 ms of module loading at startup.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

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
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
