// Pointers and arrays as values, through the real verifier: arithmetic that steps by the pointee's
// size, truthiness and comparison, the address of a variable, array casts of integers and strings
// and back (the expected values are bpftrace's for the same programs).
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { begin, compileErrors, compileScript, run } from './harness.js';
import { loadIntoVerifier } from '../fuzz/generated-outcome.js';
import { cc, kernelBtf, needs } from '../support/skip.js';
import { typesTargetPath } from './types-target.js';

test('pointer arithmetic steps by the pointee\'s size in maps and variables; void * steps by one byte', async () => {
  const { stdout } = await run(begin(`
    @a = (int32 *)0x32; @a += 6;
    @b = (int32 *)0x32; @b -= 6;
    @c = (int16 *)0x32; @c++; ++@c;
    @dec = 4; @d = (int32 *)0x32; @d -= @dec;
    $e = (int64 *)0x32; $e++; $e += 2;
    $v = (void *)0x10; $v = $v + 3;
    printf("%p %p %d\\n", $e, $v, 0x32 < $e && $e > 0x32);`));
  assert.is(stdout, '0x4a 0x13 1\n\n\n@a: 0x4a\n@b: 0x1a\n@c: 0x36\n@d: 0x22\n@dec: 4\n');
});

test('pointers are conditions and compare as addresses; a struct pointer prints in hex', async () => {
  const { stdout } = await run(begin(`
    if (curtask) { @if = 1; }
    @ternary = curtask ? 1 : 2;
    @and = (curtask && 0) ? 1 : 2;
    @or = (curtask || 0) ? 1 : 2;
    printf("%d %d\\n", curtask == curtask, (int8 *)0x10 < (int8 *)0x20);`));
  assert.is(stdout, '1 1\n\n\n@and: 2\n@if: 1\n@or: 1\n@ternary: 1\n');
});

test('&$x points at the variable: read back through any pointer type, stepped through a string', async () => {
  const { stdout } = await run(begin(`
    $val = (uint64)0x1e0f;
    $bytes = (uint8 *)&$val;
    $a = "hello";
    $b = (int8 *)&$a;
    printf("%d %d %d %c %c\\n", *$bytes, $bytes[1], *(uint64 *)&$val, *$b, *++$b);`));
  assert.is(stdout, '15 30 7695 h e\n\n\n');
});

test('array casts: an integer\'s bytes, a string\'s bytes, printed, indexed, as map keys, and back', async () => {
  const { stdout } = await run(begin(`
    printf("%x %x\\n", ((int8[8])12345)[0], ((int8[])12345)[1]);
    print((int8[])"hello");
    print((int16[4])1);
    $a = (uint8[4])(uint32)0x01020304;
    print($a);
    printf("%x\\n", (uint32)$a);
    @[(int8[8])1] = 0;`));
  assert.is(stdout, '39 30\n[104,101,108,108,111,0]\n[1,0,0,0]\n[4,3,2,1]\n1020304\n\n\n@[[1,0,0,0,0,0,0,0]]: 0\n');
});

test('a string indexed by a variable is one byte of it', async () => {
  const { stdout } = await run(begin('$a = "foo"; $i = (uint64)1; printf("%c%c\\n", $a[$i], $a[2]);'));
  assert.is(stdout, 'oo\n\n\n');
});

needs(test, 'typeof() of types and expressions, and C type names in casts and declarations (from BTF)', [kernelBtf], async () => {
  const { stdout } = await run(begin(`
    let $a: typeof(size_t) = 1;
    let $b: typeof(size_t*) = &$a;
    $c = (uint64_t)300; $d = (char)300; $e = (char *)&$d;
    $t = (typeof((char)0))0x1ff;
    let $task: typeof(curtask) = curtask;
    printf("%d %d %d %d %d %d %d %d\\n", *$b, $c, $d, *$e, $t, sizeof(typeof($a)), sizeof(typeof(struct task_struct *)), $task->pid == pid);`));
  // The kernel's char is unsigned (it builds with -funsigned-char): (char)300 is 44, (char)0x1ff 255.
  assert.is(stdout, '1 300 44 44 255 8 8 1\n\n\n');
});

test('a string cast to a wider string keeps its text, padded: printed, measured, one map key with the literal', async () => {
  const { stdout } = await run(begin(`
    $s = (string[10])"hi"; @m[$s] = 1; @m[(string[10])"hi"] += 1; @m["hi"] += 1;
    printf("%s|%d|%d\\n", $s, strlen($s), sizeof($s));`));
  assert.is(stdout, 'hi|2|10\n\n\n@m[hi]: 3\n');
});

// Found by npm run fuzz (seed 20261209, 21 inputs): a constant index far past any object made an
// offset wider than an instruction's immediate, an internal compiler error. It is an address now.
test('a constant index far past an object compiles and loads: the offset wraps as a 64-bit address', async () => {
  for (const source of [
    'END { $k = curtask.group_leader->parent->thread_pid->numbers[0x7fffffffffffffff].nr; }',
    'BEGIN { $tmp = (curtask + 0).real_parent->thread_pid->numbers[1e9].nr; exit(); }',
    'tracepoint:syscalls:sys_enter_openat { @names[pid] = args.filename[2h]; }',
  ]) {
    const error = loadIntoVerifier(compileScript(source));
    assert.is(error, undefined, `${source}: ${String((error as Error | undefined)?.message)}`);
  }
  // Read at a wild address: the helper fails and leaves zeros.
  const { stdout } = await run(begin('printf("%d\\n", ((int32 *)curtask)[0x10000000000]);'));
  assert.is(stdout, '0\n\n\n');
});

test('misused pointers and arrays are bpftrace\'s errors', () => {
  const errors = compileErrors('BEGIN { $p = (int8 *)0; $q = !$p; $r = $p + $p; $s = (int8[2])(uint64)1; $t = (bool[64])1; }');
  assert.match(errors, "ERROR: The ! operator can not be used on expressions of type 'int8 *'");
  assert.match(errors, 'ERROR: The + operator can not be used on expressions of types int8 *, int8 *');
  assert.match(errors, 'ERROR: Cannot cast from "uint64" to "int8[2]"');
  assert.match(errors, 'ERROR: Cannot cast from "int64" to "bool[64]"');
});

needs(test, 'a tracepoint\'s array field is an array: args.args of raw_syscalls:sys_enter', [kernelBtf, cc], async () => {
  const target = typesTargetPath();
  const path = '/tsbpf-pointer-test-no-such-file';
  // openat(AT_FDCWD, path, O_RDONLY): the loader's own opens add O_CLOEXEC. The record is the kernel's;
  // the path it points to is user memory (uptr() would say so; bpftrace reads it the same way).
  const { stdout } = await run(`tracepoint:raw_syscalls:sys_enter /comm == "types-target" && args.id == 257 && args.args[2] == 0/ {
    $i = 2;
    printf("%d %d %d\\n", (int32)args.args[0], args.args[1] != 0, args.args[$i]);
  }`, { trigger: () => execFileSync(target, ['openat', path], { stdio: 'ignore' }) });
  assert.is(stdout, '-100 1 0\n\n\n');
});

test.run();
