// bpftrace's "Addrspace mismatch" warning (issue 15, item 8): arithmetic or a comparison that mixes an
// integer from user memory (a uprobe's argN, a field read through a user pointer) with one from the
// kernel (a field read through curtask) is warned about at the whole expression. Compile-time only,
// against the C types test program.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { cc, kernelBtf, needs } from '../support/skip.js';
import { typesTargetPath } from './types-target.js';

function warnings(body: string): string[] {
  const source = `uprobe:${typesTargetPath()}:tsbpf_serial { ${body} }`;
  const result = compile(source, { fileName: 'test.bt' });
  assert.ok(result.script, result.diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
  const prefix = source.indexOf('{') + 2;
  return result.diagnostics.map((diagnostic) => `${diagnostic.severity}: ${diagnostic.message} @${diagnostic.span.column - 1 - prefix}`);
}

needs(test, 'user and kernel integers mixed: a warning at the whole expression, once per mixing operator', [cc, kernelBtf], () => {
  assert.equal(warnings('@a = arg0 + curtask->pid;'), ['warning: Addrspace mismatch @5']);
  assert.equal(warnings('@b = curtask->pid * 2 + arg1;'), ['warning: Addrspace mismatch @5']);
  // The expression starts inside the parentheses (a parenthesized expression's span is its content).
  assert.equal(warnings('@c = ((struct serial_struct *)arg0)->line == curtask->tgid;'), ['warning: Addrspace mismatch @6']);
});

needs(test, 'one space, or a value without one (a literal, a variable), is no mismatch', [cc, kernelBtf], () => {
  assert.equal(warnings('@a = arg0 + arg1; @b = curtask->pid + curtask->tgid; @c = ((struct serial_struct *)arg0)->line + arg2;'), []);
  assert.equal(warnings('$p = curtask->pid; @a = arg0 + $p + 5;'), []);
});

test.run();
