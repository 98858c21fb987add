// Compiles the bytecode corpus on a fixture host and prints one JSON line: the fingerprints, how many
// programs compiled, and whether the native addon was loaded. Run by fixture-host.test.ts inside a
// mount namespace where tracefs, kernel BTF, kallsyms, the PMUs and the addon itself are hidden.
// Usage: node dist/test/host/fixture-compile.js FIXTURE.json.gz COUNT
import { createRequire } from 'node:module';
import { fixtureHost, readHostRecord } from '../../src/host/fixture.js';
import { compile } from '../../src/compile.js';
import { corpus, fingerprint } from '../codegen/bytecode-corpus.js';

const [fixture, count = '0'] = process.argv.slice(2);
if (!fixture) throw new Error('usage: fixture-compile FIXTURE.json.gz COUNT');
const host = fixtureHost(readHostRecord(fixture));
const entries = await corpus(Number(count));
const fingerprints = entries.map((entry) => `${entry.name}\t${fingerprint(entry, host)}`);
const programs = entries.reduce((total, entry) => total + (compile(entry.source, { host, ...(entry.positional ? { positional: entry.positional } : {}) }).script?.programs.length ?? 0), 0);
const addonLoaded = Object.keys(createRequire(import.meta.url).cache).some((path) => path.endsWith('.node'));
console.log(JSON.stringify({ fingerprints, programs, addonLoaded }));
