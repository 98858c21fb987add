// Records a fixture host from this machine over the bytecode corpus (examples, e2e cases, COUNT
// generated programs) and any script files given: every question compile() asked of the host, with
// the ELF bytes and kernel BTF types it read, gzip-compressed.
// Usage: node dist/test/support/record-host.js OUT.json.gz [COUNT] [SCRIPT...]
import { readFileSync, statSync } from 'node:fs';
import { recordingHost, writeHostRecord } from '../../src/host/recording.js';
import { corpus, fingerprint, type CorpusEntry } from '../codegen/bytecode-corpus.js';

const [out, count = '1500', ...scripts] = process.argv.slice(2);
if (!out) throw new Error('usage: record-host OUT.json.gz [COUNT] [SCRIPT...]');
const entries: CorpusEntry[] = [
  ...(await corpus(Number(count))),
  ...scripts.map((path) => ({ name: path, source: readFileSync(path, 'utf8') })),
];
// One host for the whole corpus: each question is asked (and stored) once.
const recording = recordingHost();
for (const entry of entries) fingerprint(entry, recording.host);
writeHostRecord(out, recording.record());
console.log(`${entries.length} programs recorded in ${out} (${statSync(out).size} bytes)`);
