// The C types tests' traced programs (test/fixtures/c/*.c), each built once per test process with
// plain `cc -O0` (no debug information: tsbpf takes every layout from the kernel's BTF or the script).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const built = new Map<string, string>();

/** The path of test/fixtures/c/NAME.c built as NAME (its comm); tests that call it need the `cc` requirement. */
export function fixtureProgram(name: string): string {
  let output = built.get(name);
  if (output === undefined) {
    const source = fileURLToPath(new URL(`../../../test/fixtures/c/${name}.c`, import.meta.url));
    output = join(mkdtempSync(join(tmpdir(), `tsbpf-${name}-`)), name);
    execFileSync('cc', ['-O0', '-fno-omit-frame-pointer', '-o', output, source], { stdio: ['ignore', 'ignore', 'pipe'] });
    built.set(name, output);
  }
  return output;
}

/** test/fixtures/c/types-target.c: pointers to the kernel's uapi structs. */
export function typesTargetPath(): string {
  return fixtureProgram('types-target');
}

/** test/fixtures/c/script-types-target.c: pointers to structs the scripts define themselves. */
export function scriptTypesTargetPath(): string {
  return fixtureProgram('script-types-target');
}
