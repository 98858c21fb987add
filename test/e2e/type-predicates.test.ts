// is_str, is_ptr, is_array, is_integer, is_unsigned_integer and is_literal: constants from the
// argument's type (or form), as today's bpftrace stdlib answers them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScript } from './functions-support.js';
import { compileErrors } from './harness.js';

test('each predicate over strings, pointers, arrays, signed and unsigned integers, literals and not', async () => {
  const { stdout } = await runScript(`BEGIN { $p = curtask; $n = -3; $u = (uint32)3;
    printf("%d %d %d|%d %d|%d %d|%d %d %d|%d %d %d|%d %d %d %d\\n",
      is_str("a"), is_str(comm), is_str(5), is_ptr($p), is_ptr(pid), is_array(pton("1.2.3.4")), is_array("ab"),
      is_integer(pid), is_integer($n), is_integer("x"), is_unsigned_integer($u), is_unsigned_integer($n), is_unsigned_integer($p),
      is_literal(-5), is_literal("s"), is_literal(true), is_literal($n));
    exit(); }`);
  assert.is(stdout.split('\n')[0], '1 1 0|1 0|1 0|1 1 0|1 0 0|1 1 1 0');
});

test('they take one argument; refused stdlib entries say why', () => {
  assert.match(compileErrors('BEGIN { print(is_str()); }'), /is_str\(\) takes 1 argument, not 0/);
  assert.match(compileErrors('BEGIN { dw_ustack(); }'), /dw_ustack\(\) cannot be used here: tsbpf walks user stacks by frame pointers/);
  assert.match(compileErrors('BEGIN { write_user(0, 0, 1); }'), /write_user\(\) cannot be used here: tsbpf does not write into user memory/);
  assert.match(compileErrors('BEGIN { kfunc_exist("bpf_obj_new"); }'), /kfunc_exist\(\) cannot be used here: tsbpf does not call kernel functions/);
});

test.run();
