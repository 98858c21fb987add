// The C types tests' traced program (test/fixtures/c/types-target.c), built once per test process with
// plain `cc -O0` (no debug information: tsbpf takes every layout from the kernel's BTF).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../../test/fixtures/c/types-target.c', import.meta.url));
let built: string | undefined;

/** The program's path (its comm is `types-target`); tests that call it need the `cc` requirement. */
export function typesTargetPath(): string {
  if (built === undefined) {
    const output = join(mkdtempSync(join(tmpdir(), 'tsbpf-types-')), 'types-target');
    execFileSync('cc', ['-O0', '-fno-omit-frame-pointer', '-o', output, source], { stdio: ['ignore', 'ignore', 'pipe'] });
    built = output;
  }
  return built;
}
