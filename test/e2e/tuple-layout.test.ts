// Tuples are packed as bpftrace packs them: every element keeps its width and sits at its in-tuple
// alignment (1 for strings and other byte sequences, the size for integers, a nested tuple's own),
// the whole padded to the largest. The layout shows in sizeof(), in the kernel maps' key and value
// sizes, and each case below also goes through the real verifier and reads the packed bytes back:
// element access, print() and the maps printed at exit, in text and JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScript, run } from './harness.js';
import { runOnTarget } from './functions-support.js';
import { cc, needs } from '../support/skip.js';

/** The NDJSON messages of a `-f json` run. */
function messages(stdout: string): unknown[] {
  return stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

/** Key and value bytes of the kernel map behind `@name`. */
function kernelSizes(source: string, name: string): { keySize: number; valueSize: number } {
  const map = compileScript(source).maps.find((candidate) => candidate.scriptName === `@${name}`);
  assert.ok(map, `@${name} has a kernel map`);
  return { keySize: map!.keySize, valueSize: map!.valueSize };
}

test('sizeof a tuple is its packed size, in a variable, a map value and a literal alike', async () => {
  const { stdout, stderr } = await run(`BEGIN {
    $a = ((int8)1, (int32)1); @a = ((int8)1, (int32)1);
    $b = ((int8)1, (int64)1, (int8)1, (int64)1);
    $c = ((int8)1, (int16)1, (int32)1);
    $d = ((int32)1, (int16)1, (int8)1);
    $e = ("a", (int8)1);
    $f = ((int8)1, "abc", (int32)2);
    $g = ((int16)-1, "abcd", (int64)2);
    $h = ((int8)-100, (int8)100, "abcdef", 3, (int32)1, (int64)-10, (int8)10, (int16)-555, "abc");
    printf("%d %d %d %d %d %d %d %d %d\\n", sizeof($a), sizeof(@a), sizeof($b), sizeof($c), sizeof($d), sizeof($e), sizeof($f), sizeof($g), sizeof($h));
    printf("%d %d %d\\n", sizeof(((int8)1, (int32)1)), sizeof(((int32)1, (int16)1, (int8)1)), sizeof(("a", (int8)1)));
    printf("%d %d %s %d %d\\n", $a.0, $f.2, $g.1, $g.2, $h.7);
    exit();
  }`);
  assert.is(stderr, '');
  // $h is bpftrace's `complex tuple 4`: 48 as in bpftrace 0.17, whose unsuffixed literal 3 is an
  // int64 here too (today's bpftrace types it int8 and gets 32).
  assert.is(stdout, '8 8 32 8 8 3 12 16 48\n8 8 3\n1 2 abcd 2 -555\n\n\n@a: (1, 1)\n');
});

test('a tuple of mixed widths and strings in a map: packed, read back element by element, printed in text and JSON', async () => {
  const program = `BEGIN {
    @t = ((int8)-100, (int8)100, "abcdef", 3, (int32)1, (int64)-10, (int8)10, (int16)-555, "abc");
    $t = @t;
    printf("%d %d %s %d %d %d %d %d %s\\n", @t.0, @t.1, @t.2, @t.3, @t.4, @t.5, $t.6, $t.7, $t.8);
    print($t);
    exit();
  }`;
  assert.equal(kernelSizes(program, 't'), { keySize: 8, valueSize: 48 });
  const text = await run(program);
  assert.is(text.stderr, '');
  assert.is(text.stdout, '-100 100 abcdef 3 1 -10 10 -555 abc\n(-100, 100, abcdef, 3, 1, -10, 10, -555, abc)\n\n\n'
    + '@t: (-100, 100, abcdef, 3, 1, -10, 10, -555, abc)\n');
  const json = await run(program, { format: 'json' });
  assert.is(json.stderr, '');
  const elements = [-100, 100, 'abcdef', 3, 1, -10, 10, -555, 'abc'];
  assert.equal(messages(json.stdout), [
    { type: 'printf', data: '-100 100 abcdef 3 1 -10 10 -555 abc\n' },
    { type: 'value', data: elements },
    { type: 'map', data: { '@t': elements } },
  ]);
});

test('a map with several mixed-width keys: packed like the tuple of them, printed sorted, iterated, has_key and delete', async () => {
  const program = `BEGIN {
    $k = ((int8)-1, (int16)300);
    @m[(int8)2, $k, "b"] = ("x", (int8)1);
    @m[(int8)-3, ((int8)5, (int16)-7), "a"] = ("y", (int8)2);
    @m[(int8)2, ((int8)-1, (int16)299), "c"] = ("z", (int8)3);
    @m[(int8)4, ((int8)0, (int16)0), "d"] = ("w", (int8)4);
    for ($kv : @m) { @seen[$kv.0.2] = ($kv.0.0, $kv.0.1.1, $kv.1.1); }
    printf("%d %d\\n", has_key(@m, ((int8)2, ((int8)-1, (int16)299), "c")), has_key(@m, ((int8)2, ((int8)-1, (int16)298), "c")));
    delete(@m, ((int8)4, ((int8)0, (int16)0), "d"));
    exit();
  }`;
  // (int8, (int8, int16), string[2]): the nested tuple at 2 (its alignment), the string at 6.
  assert.equal(kernelSizes(program, 'm'), { keySize: 8, valueSize: 3 });
  const { stdout, stderr } = await run(program);
  assert.is(stderr, '');
  // Sorted by the int8, then the string; a nested tuple part is not ordered (as in bpftrace).
  assert.is(stdout, '1 0\n\n\n'
    + '@m[-3, (5, -7), a]: (y, 2)\n@m[2, (-1, 300), b]: (x, 1)\n@m[2, (-1, 299), c]: (z, 3)\n'
    + '@seen[a]: (-3, -7, 2)\n@seen[b]: (2, 300, 1)\n@seen[c]: (2, 299, 3)\n@seen[d]: (4, 0, 4)\n');
  const flat = `BEGIN { @k[(int8)-1, (int64)5, "abcdef", (int16)3] = ("v", 1); @k[(int8)1, (int64)2, "ab", (int16)-3] = ("w", 2); @k[(int8)-1, (int64)4, "x", (int16)3] = ("u", 3); exit(); }`;
  // int8 at 0, int64 at 8, string[7] at 16, int16 at 24: 26, padded to 32.
  assert.equal(kernelSizes(flat, 'k').keySize, 32);
  const json = await run(flat, { format: 'json' });
  assert.is(json.stderr, '');
  assert.equal(messages(json.stdout), [
    { type: 'map', data: { '@k': { '-1,4,x,3': ['u', 3], '-1,5,abcdef,3': ['v', 1], '1,2,ab,-3': ['w', 2] } } },
  ]);
});

test('nested tuples keep their own packing and alignment', async () => {
  const { stdout, stderr } = await run(`BEGIN {
    @n = ((int8)1, ((int8)-20, (int8)30));
    $n = ((int16)1, ((int8)2, (int64)-3), (int8)4);
    $m = ((int8)5, ((int16)6, "ab"), "c");
    printf("%d %d %d %d %d %d %s\\n", sizeof(@n), sizeof($n), sizeof($m), $n.1.1, $n.2, $m.1.0, $m.1.1);
    print($n); print($m);
    exit();
  }`);
  assert.is(stderr, '');
  // (int16, (int8, int64), int8): the inner tuple (16 bytes, aligned 8) at 8, then the int8 at 24.
  // (int8, (int16, string[3]), string[2]): the inner tuple (6 bytes, aligned 2) at 2, "c" at 8.
  assert.is(stdout, '3 32 10 -3 4 6 ab\n(1, (2, -3), 4)\n(5, (6, ab), c)\n\n\n@n: (1, (-20, 30))\n');
});

test('a tuple ternary with differently sized strings and widths takes the wider of each; tuples of two layouts compare as one', async () => {
  const { stdout, stderr } = await run(`BEGIN {
    $a = nsecs ? ("hellolongstr", (int8)-1) : ("b", (int32)70000);
    $b = nsecs == 0 ? ("hellolongstr", (int8)-1) : ("b", (int32)70000);
    print($a); print($b); print(sizeof($a));
    $t = ((int8)-1, "ab");
    printf("%d %d %d %d\\n", $t == (-1, "ab"), $t != (-1, "ab"), $t == ((int64)-1, "abc"), ((int8)2, "x") == ((int16)2, "x"));
    exit();
  }`);
  assert.is(stderr, '');
  // (string[13], int32): the int32 at 16, after the 13-byte string.
  assert.is(stdout, '(hellolongstr, -1)\n(b, 70000)\n20\n1 0 0 1\n\n\n');
});

test('byte sequences inside a tuple sit at any byte: buffers and ntop() after an int8, in variables, map keys and values', async () => {
  const program = `BEGIN {
    $t = ((int8)7, buf("abcd", 3), (int16)-2, ntop(0x0100007f), "x", (int8)9);
    print($t); print(sizeof($t));
    @m[(int8)1, ntop(0x0100007f)] = $t;
    printf("%s|%r|%s|%d\\n", "ab", buf("hello", 5), ntop(0x0100007f), $t.5);
    exit();
  }`;
  // The buffer (u32 length, 3 bytes) at 1, the int16 at 8, the 24-byte inet at 10, "x" at 34, the int8 at 36.
  assert.equal(kernelSizes(program, 'm'), { keySize: 25, valueSize: 38 });
  const { stdout, stderr } = await run(program);
  assert.is(stderr, '');
  assert.is(stdout, '(7, abc, -2, 127.0.0.1, x, 9)\n38\nab|hello|127.0.0.1|9\n\n\n@m[1, 127.0.0.1]: (7, abc, -2, 127.0.0.1, x, 9)\n');
});

needs(test, 'usym() inside a tuple and a map key, after an int8: the function name', [cc], async () => {
  const { stdout, stderr } = await runOnTarget(['address'], (pid) => `tracepoint:syscalls:sys_enter_write /pid == ${pid}/ {
    $t = ((int8)1, usym(args.buf), (int8)2); print($t); print(sizeof($t));
    @u[(int8)3, usym(args.buf)] = ((int8)4, usym(args.buf), (int16)5);
  }`);
  assert.is(stderr, '');
  assert.is(stdout, '(1, tsbpf_known_function, 2)\n18\n\n\n@u[3, tsbpf_known_function]: (4, tsbpf_known_function, 5)\n');
});

test.run();
