// Where the bytecode snapshot and the host it was compiled on are kept (see bytecode-snapshot-write.ts).
import { fileURLToPath } from 'node:url';

/** Generated and mutated programs in the corpus, besides the examples and the e2e cases. */
export const corpusCount = 1500;
export const snapshotPath = fileURLToPath(new URL('../../../test/codegen/bytecode-snapshot.tsv', import.meta.url));
export const fixturePath = fileURLToPath(new URL('../../../test/fixtures/hosts/corpus.json.gz', import.meta.url));
