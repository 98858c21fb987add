// Writes the fingerprints of the bytecode corpus: node dist/test/codegen/bytecode-snapshot-write.js FILE [COUNT]
import { writeFileSync } from 'node:fs';
import { corpus, fingerprint } from './bytecode-corpus.js';

const [file, count = '1500'] = process.argv.slice(2);
if (!file) throw new Error('usage: bytecode-snapshot-write FILE [COUNT]');
const lines: string[] = [];
for (const entry of await corpus(Number(count))) lines.push(`${entry.name}\t${fingerprint(entry)}`);
writeFileSync(file, lines.join('\n') + '\n');
console.log(`${lines.length} fingerprints written to ${file}`);
