// Regenerates test/loader/logs/*.log from the running kernel: each case is a program the verifier
// rejects, and its log is what VerifierError is unit-tested on. Run as root:
//   npx tsc -p tsconfig.json && node dist/test/loader/capture-logs.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, linkMaps } from '../../src/bpf/assembler.js';
import * as asm from '../../src/bpf/asm.js';
import { R0, R1, R2, R10 } from '../../src/bpf/registers.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { MapType, ProgramType } from '../../src/bpf/uapi.generated.js';
import { createMap } from '../../src/loader/maps.js';
import { loadProgram } from '../../src/loader/programs.js';
import { VerifierError } from '../../src/loader/verifier-error.js';

const directory = join(process.cwd(), 'test', 'loader', 'logs');
const map = createMap({ name: 'capture', type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 4 });

const cases: Record<string, { type: ProgramType; items: AsmItem[] }> = {
  // r0 never written before exit.
  'r0-not-initialized': { type: ProgramType.RAW_TRACEPOINT, items: [asm.mov64(R1, 1), asm.exit()] },
  // The lookup result is dereferenced without a NULL check.
  'map-value-or-null': {
    type: ProgramType.TRACEPOINT,
    items: [
      asm.st('dw', R10, -8, 0), asm.ldMapFd(R1, 'capture'), asm.mov64(R2, R10), asm.alu64('add', R2, -8),
      asm.call('map_lookup_elem'), asm.ldx('dw', R0, R0, 0), asm.exit(),
    ],
  },
  // Raw tracepoint context is at most 12 u64 arguments.
  'bad-context-access': { type: ProgramType.RAW_TRACEPOINT, items: [asm.ldx('dw', R0, R1, 200), asm.exit()] },
  // A store below the 512-byte stack.
  'stack-out-of-bounds': { type: ProgramType.TRACEPOINT, items: [asm.st('dw', R10, -520, 0), asm.mov64(R0, 0), asm.exit()] },
  // Branch to the exit skips r0 on one path only.
  'r0-on-one-path': {
    type: ProgramType.RAW_TRACEPOINT,
    items: [asm.ldx('dw', R2, R1, 0), asm.jmp('eq', R2, 0, 'out'), asm.mov64(R0, 1), asm.label('out'), asm.exit()],
  },
  // A helper the program type may not call (skb_store_bytes from a tracepoint).
  'helper-not-allowed': { type: ProgramType.TRACEPOINT, items: [asm.call(9), asm.mov64(R0, 0), asm.exit()] },
};

for (const [name, { type, items }] of Object.entries(cases)) {
  const bytes = linkMaps(assemble(items), (mapName) => (mapName === 'capture' ? map.fd : undefined));
  try {
    loadProgram({ name, type, bytes }).close();
    console.log(`${name}: unexpectedly loaded`);
  } catch (error) {
    if (!(error instanceof VerifierError)) throw error;
    // Kernel addresses (map pointers) are redacted: they say nothing about the error.
    const text = error.log.join('\n').replace(/0xffff[0-9a-f]{12}/g, '0xffff888100000000');
    writeFileSync(join(directory, `${name}.log`), text + '\n');
    console.log(`${name}: ${error.code}, ${error.log.length} lines -> ${error.message}`);
  }
}
map.close();
