// bpftrace's runtime cases for structs, unions and bitfields (tests/runtime/struct, and the struct
// cases of json-output, other, regression, signed_ints, tuples and call), each followed with a struct
// the script defines over test/fixtures/c/script-types-target.c's own values, restated here.
import { arrayText, defineScriptCases, structText, type ScriptCase } from './script-cases.js';

const pair = { m: 6, n: 41 };
const nested = { m: -8, x: 27, y: 64, n: 125 };
const tagged = { m: 12, i: 99 };
const wide = { a: 9, b: 200, c: 6, d: 1, e: 40000 };
const mixedBits = { a: [13, 4], b: [170, 8], c: [3, 3], d: [0, 1], e: [301, 9], f: [20000, 15], g: [0, 1], h: [3, 2], i: [17, 5] } as const;
const named = [{ a: -321, b: 'tsbpf' }, { a: 654, b: 'script' }];
const complexBytes = { b: [0x1e, 0x1d, 0x1c, 0x1b], c: [0x81, 0x92, 0xa3, 0xb4] };
const pairText = structText(pair);
const onPair = (body: string, head = 'struct Foo { int m; int n; }') => `${head} uprobe:TARGET:tsbpf_pair { ${body} }`;

/** A signed bitfield of `bits` bits holding `value`, read as C reads it (tsbpf sign-extends: docs/bpftrace-differences.md). */
const signedBits = ([value, bits]: readonly [number, number]): number => (value >= 2 ** (bits - 1) ? value - 2 ** bits : value);
const hex = (byte: number): string => `\\x${byte.toString(16).padStart(2, '0')}`;
const mac = [...complexBytes.b, ...complexBytes.c].slice(0, 6).map((byte) => byte.toString(16).padStart(2, '0')).join(':');

const cases: ScriptCase[] = [
  {
    name: 'struct: struct assignment into variable', mode: ['pair'], lines: [`Result: ${pair.m}`],
    program: onPair('$s = *((struct Foo *)arg0); printf("Result: %d\\n", $s.m); exit();', 'struct Foo { int m; }'),
  },
  { name: 'struct: struct assignment into map', mode: ['pair'], lines: [`@s: ${pairText}`], program: onPair('@s = *((struct Foo *)arg0); exit();') },
  {
    name: 'struct: struct field order', mode: ['pair'], lines: [`@s: ${structText({ n: pair.m, m: pair.n })}`],
    program: onPair('@s = *((struct Foo *)arg0); exit();', 'struct Foo { int n; int m; }'),
  },
  {
    name: 'struct: nested struct assignment into map', mode: ['pair'],
    lines: [`@s: ${structText({ y: structText({ m: arrayText([pair.m]) }), a: structText({ n: pair.n }) })}`],
    program: onPair('@s = *((struct Foo *)arg0); exit();', 'struct Foo { struct { int m[1] } y; struct { int n } a; }'),
  },
  { name: 'struct: struct as a map key', mode: ['pair'], lines: [`@s[${pairText}]: 0`], program: onPair('@s[*((struct Foo *)arg0)] = 0; exit();') },
  { name: 'struct: struct as a part of multikey', mode: ['pair'], lines: [`@s[${pairText}, 42]: 0`], program: onPair('@s[*((struct Foo *)arg0), 42] = 0; exit();') },
  {
    name: 'struct: struct as a map key assigned from another map', mode: ['pair'], lines: [`@s[${pairText}]: 0`],
    program: onPair('@x = *((struct Foo *)arg0); @s[@x] = 0; exit();'),
  },
  { name: 'struct: struct in a tuple', mode: ['pair'], lines: [`@s: (1, ${pairText})`], program: onPair('@s = (1, *((struct Foo *)arg0)); exit();') },
  {
    name: 'struct: struct with bitfield', lines: [structText({ x_0: 0x2d & 1, x_1: (0x2d >> 1) & 1, x_2: (0x2d >> 2) & 3 })],
    program: 'struct foo { unsigned long long x_0:1; unsigned long long x_1:1; unsigned long long x_2:2; } begin { $val = (uint64)0x2d; $f = *(struct foo *)(&$val); print($f); }',
  },
  {
    name: 'struct: struct with attribute', matches: [/^12\n9\n9\n/],
    program: 'struct foo { int x; char y; int z; } struct bar { int x; char y; int z; } __attribute__((packed)) struct bar2 { int x; char y; int z; } __attribute__((packed)) __attribute__((aligned(1))) begin { print(sizeof(struct foo)); print(sizeof(struct bar)); print(sizeof(struct bar2)); }',
  },
  {
    name: 'struct: struct with attribute and comment', matches: [/^9\n/],
    program: 'struct foo { int x; char y; int z; } /**/ __attribute__ /**/ ((packed)) /**/ begin { print(sizeof(struct foo)); }',
  },
  {
    name: 'json-output: tuple_with_struct', mode: ['pair'], format: 'json', lines: [`{"type": "map", "data": {"@": [0,{"m": ${pair.m}, "n": ${pair.n}}]}}`],
    program: onPair('$f = *((struct Foo *) arg0); @ = (0, $f); exit();'),
  },
  {
    name: 'json-output: print_non_map_struct', mode: ['pair'], format: 'json', lines: [`{"type": "value", "data": {"m": ${pair.m}, "n": ${pair.n}}}`],
    program: onPair('$f = *((struct Foo *) arg0); print($f); exit();'),
  },
  {
    name: 'json-output: print_non_map_nested_struct', mode: ['pair'], format: 'json', lines: [`{"type": "value", "data": {"y": {"m": [${pair.m}]}, "a": {"n": ${pair.n}}}}`],
    program: onPair('$f = *((struct Foo *) arg0); print($f); exit();', 'struct Foo { struct { int m[1] } y; struct { int n; } a; }'),
  },
  {
    name: 'json-output: none type', mode: ['union'], format: 'json', lines: [`{"type": "value", "data": {"m": ${tagged.m}, "n": {"i": ${tagged.i}, "f": null}}}`],
    program: 'union N { int i; float f; }; struct Foo { int m; union N n; }; uprobe:TARGET:tsbpf_tagged { print(*((struct Foo *) arg0)); exit(); }',
  },
  {
    name: 'call: print_non_map_struct', mode: ['pair'], lines: [pairText],
    program: onPair('$f = *((struct Foo *) arg0); print($f); exit();'),
  },
  {
    name: 'call: printf_argument_alignment', mode: ['pointers'], lines: [`${named[0]!.a} ${named[0]!.b} ${named[1]!.a} ${named[1]!.b}`],
    program: 'struct Foo { int a; char b[10]; } uprobe:TARGET:tsbpf_named_twice { $foo = (struct Foo *)arg0; $foo2 = (struct Foo *)arg1; printf("%d %s %d %s\\n", $foo.a, $foo.b, $foo2.a, $foo2.b) }',
  },
  {
    name: 'call: buf', mode: ['complex'],
    lines: [`P: ${[
      [0x0e, 0x0f, 0x10, 0x11], complexBytes.b, complexBytes.c,
      [17, -1, 256, 4096].flatMap((value) => [0, 8, 16, 24].map((shift) => (value >>> shift) & 0xff)),
      [0x0102, 0xfffe, 7, 1000].flatMap((value) => [value & 0xff, value >> 8]),
      [1n << 40n, 0xffffffffffffffffn, 3n, 0x8091a2b3c4d5e6f7n].flatMap((value) => [...Array(8).keys()].map((byte) => Number((value >> BigInt(8 * byte)) & 0xffn))),
    ].map((bytes) => bytes.map(hex).join('')).join('-')}`],
    program: 'struct MyStruct { const char* a; char b[4]; uint8_t c[4]; int d[4]; uint16_t e[4]; uint64_t f[4] }; u:TARGET:tsbpf_mixed_arrays { $s = (struct MyStruct *)arg0; printf("P: %r-%r-%r-%r-%r-%r\\n", buf($s.a, 4), buf($s.b, 4), buf($s.c), buf($s.d), buf($s.e), buf($s.f)); exit(); }',
  },
  {
    name: 'call: macaddr', mode: ['complex'], lines: [`P: ${mac.toUpperCase()}`],
    program: 'struct MyStruct { const char* ignore; char mac[6]; }; u:TARGET:tsbpf_mixed_arrays { $s = ((struct MyStruct *)arg0); printf("P: %s\\n", macaddr($s.mac)); exit(); }',
  },
  {
    name: 'call: macaddr as map key', mode: ['complex'], lines: [`@[${mac.toUpperCase()}]: 1`],
    program: 'struct MyStruct { const char* ignore; char mac[6]; }; u:TARGET:tsbpf_mixed_arrays { $s = ((struct MyStruct *)arg0); @[macaddr($s.mac)] = 1; exit(); }',
  },
  {
    name: 'call: macaddr as map value', mode: ['complex'], lines: [`@[1]: ${mac.toUpperCase()}`],
    program: 'struct MyStruct { const char* ignore; char mac[6]; }; u:TARGET:tsbpf_mixed_arrays { $s = ((struct MyStruct *)arg0); @[1] = macaddr($s.mac); exit(); }',
  },
  {
    name: 'other: strncmp function argument', mode: ['strings'], lines: ['@: 0'],
    program: 'struct F {char s[8];} u:TARGET:tsbpf_strings { @=strncmp(((struct F*)arg0).s, "probe", 5); }',
  },
  {
    // A script's char s[5] is the member's own 5 bytes in tsbpf: a full buffer prints with the ".." trailer
    // (docs/bpftrace-differences.md; bpftrace reads one byte more and prints no trailer).
    name: 'other: short non null-terminated string print', mode: ['strings'], lines: ['probe.. probe..'],
    program: 'struct F {char s[5];} u:TARGET:tsbpf_strings { $a = ((struct F*)arg0).s; printf("%s %s\\n", $a, $a); }',
  },
  {
    name: 'other: bitfield access', mode: ['bitfields'], lines: [Object.values(wide).join(' ')],
    program: 'struct Foo { unsigned int a:4, b:8, c:3, d:1, e:16; } uprobe:TARGET:tsbpf_wide_bits{ $foo = (struct Foo *)arg0; printf("%d %d %d %d %d\\n", $foo.a, $foo.b, $foo.c, $foo.d, $foo.e); exit()}',
  },
  {
    // Signed bitfields are sign-extended in tsbpf (docs/bpftrace-differences.md), so these are C's values.
    name: 'other: bitfield_access_2', mode: ['bitfields'], lines: [Object.values(mixedBits).map(signedBits).join(' ')],
    program: 'struct Bar { short a:4, b:8, c:3, d:1; int e:9, f:15, g:1, h:2, i:5 } uprobe:TARGET:tsbpf_mixed_bits { $bar = (struct Bar *)arg0; printf("%d %d %d %d %d", $bar.a, $bar.b, $bar.c, $bar.d, $bar.e); printf(" %d %d %d %d\\n", $bar.f, $bar.g, $bar.h, $bar.i); exit()}',
  },
  {
    name: 'regression: codegen_struct_save_nested', mode: ['nested'],
    lines: ['_done_', `@bar: ${structText({ x: nested.x, y: nested.y })}`, `@x: ${nested.x}`],
    program: 'struct Foo { int m; struct { int x; int y; } bar; int n; } uprobe:TARGET:tsbpf_nested { @foo = (struct Foo *)arg0; @bar = @foo.bar; @x = @foo.bar.x; printf("_%s_\\n", "done"); exit(); }',
  },
  {
    name: 'regression: logical_and_or_different_sizes', mode: ['pair'], lines: [`${pair.m} 0 1 1 1`],
    program: onPair('$foo = (struct Foo*)arg0; printf("%d %d %d %d %d\\n", $foo.m, $foo.m && 0, 1 && $foo.m, $foo.m || 0, 0 || $foo.m); exit();', 'struct Foo { int m; }'),
  },
  {
    name: 'regression: c_array_indexing', mode: ['pointers'], lines: [[...named[0]!.b].join(' ')],
    program: '#include <stdint.h>\nstruct Foo { int a; uint8_t b[10]; } uprobe:TARGET:tsbpf_named_twice { $foo = (struct Foo *)arg0; printf("%c %c %c %c %c\\n", $foo.b[0], $foo.b[1], $foo.b[2], $foo.b[3], $foo.b[4]) }',
  },
  {
    name: 'signed_ints: Comparison should print as 0 or 1', mode: ['signed'], lines: ['0 1'],
    program: 'struct x { unsigned long x; }; uprobe:TARGET:tsbpf_unsigned_long { $a = ((struct x*)arg0).x; printf("%d %d\\n", $a > 0, $a < 1); exit(); }',
  },
  { name: 'tuples: struct in tuple', mode: ['pair'], lines: [`@t: (1, ${pairText})`], program: onPair('@t = (1, *((struct Foo *)arg0)); exit();') },
  { name: 'tuples: struct in tuple sizing', mode: ['pair'], lines: ['12'], program: onPair('$t = ((int32)1, *((struct Foo *)arg0)); print(sizeof($t)); exit();') },
];

defineScriptCases(cases);
