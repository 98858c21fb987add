// Loops as bpf_loop callbacks and for-map bodies reaching the probe's frame, end to end (see cases/loops.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineCases } from './case.js';
import { loopCases } from './cases/loops.js';
import { compileErrors } from './harness.js';

defineCases(loopCases);

test('a callback chain past the 512-byte stack is a diagnostic at the loop, not a verifier rejection', () => {
  const variables = Array.from({ length: 62 }, (_, index) => `$v${index} = ${index};`).join(' ');
  const program = `BEGIN { ${variables} $i = 0; while ($i < 3) { if ($i == 1) { printf("%d\\n", $v0); } $i++; } }`;
  const rendered = compileErrors(program);
  assert.match(rendered, /^test\.bt:1:\d+-\d+: ERROR: this needs \d+ more bytes of BPF stack, past the 512-byte stack and the scratch area of a probe\n/);
  assert.match(rendered, /\nBEGIN \{ .* \$i = 0; while/);
  assert.ok(rendered.includes('~~~~'), rendered);
});

test.run();
