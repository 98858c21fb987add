// The output functions declare their events and record descriptions in their own files (declaration
// merging). A library user sees only the published declarations (dist/src/index.d.ts): this compiles
// a user's code against them, so an event kind that the declarations lose fails here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('SessionEvent in the published types narrows to each output function\'s event', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-types-'));
  const user = join(directory, 'user.ts');
  writeFileSync(user, `import type { ActionDescription, SessionEvent } from ${JSON.stringify(join(root, 'dist/src/index.js'))};
export function text(event: SessionEvent): string {
  switch (event.kind) {
    case 'printf': case 'time': case 'cat': case 'system': case 'join': return event.text;
    case 'exit': return String(event.code);
    case 'print-map': return event.map.name;
    default: return event.kind;
  }
}
export const joined: ActionDescription['kind'] = 'join';
`);
  const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), user], { encoding: 'utf8' });
  assert.is(result.stdout + result.stderr, '');
  assert.is(result.status, 0);
});

test.run();
