// Writes the bytecode snapshot that test/codegen/bytecode-identity.test.ts compares with: records a
// fixture host from this machine over the corpus, then writes the fingerprints of compiling the
// corpus on it (they must equal the live ones, or nothing is written). Run it after a deliberate
// change of generated code, and review the diff of the snapshot:
//   npx tsc -p tsconfig.json && node dist/test/codegen/bytecode-snapshot-write.js
// With a file argument it only writes the live fingerprints there (for comparing two checkouts).
import { writeFileSync } from 'node:fs';
import { fixtureHost, readHostRecord } from '../../src/host/fixture.js';
import { recordingHost, writeHostRecord } from '../../src/host/recording.js';
import { corpus, fingerprint } from './bytecode-corpus.js';
import { corpusCount, fixturePath, snapshotPath } from './bytecode-snapshot.js';

const [liveOnly] = process.argv.slice(2);
const entries = await corpus(corpusCount);
if (liveOnly) {
  writeFileSync(liveOnly, entries.map((entry) => `${entry.name}\t${fingerprint(entry)}\n`).join(''));
  console.log(`${entries.length} live fingerprints written to ${liveOnly}`);
} else {
  const recording = recordingHost();
  const live = entries.map((entry) => `${entry.name}\t${fingerprint(entry, recording.host)}`);
  writeHostRecord(fixturePath, recording.record());
  const host = fixtureHost(readHostRecord(fixturePath));
  const replayed = entries.map((entry) => `${entry.name}\t${fingerprint(entry, host)}`);
  const different = replayed.findIndex((line, index) => line !== live[index]);
  if (different >= 0) throw new Error(`the fixture host compiles ${entries[different]!.name} differently from this machine`);
  writeFileSync(snapshotPath, replayed.join('\n') + '\n');
  console.log(`${entries.length} fingerprints written to ${snapshotPath}, the host they were compiled on to ${fixturePath}`);
}
