// bpftrace's runtime cases for pointers and integer casts (tests/runtime/pointers, intcast,
// intptrcast, complex_types/pointer_to_pointer, and the cast cases of signed_ints, tuples and other),
// followed with test/fixtures/c/script-types-target.c's own values, restated here.
import { defineScriptCases, type ScriptCase } from './script-cases.js';

const base = 0x40;
const hex = (value: number): string => `0x${value.toString(16)}`;
const widths = [['u8', 'int8', 1], ['u16', 'int16', 2], ['u32', 'int32', 4], ['u64', 'int64', 8]] as const;
const cells = [...Array(10).keys()].map((index) => ({ a: index * index, b: 7 }));
const named = { a: -321, b: 'tsbpf' };
const halves = [0x1111, 0x2345, 0x3579, 0x4bcd];
const ints = [31, 32, 33, 34];
/** tsbpf_echo's arguments, and what main returns. */
const echoed = [...Array(131).keys()].map((index) => index - 90);
const mainReturns = -37;
const total = echoed.reduce((sum, value) => sum + value, 0);

const increments: ScriptCase[] = widths.flatMap(([name, type, size]) => [
  { name: `pointers: ${name} pointer increment`, lines: [`@: ${hex(base + size)}`], program: `begin { @=(${type}*) ${base}; @+=1; }` },
  { name: `pointers: ${name} pointer unop post increment`, lines: [`@: ${hex(base + size)}`], program: `begin { @=(${type}*) ${base}; @++; }` },
  { name: `pointers: ${name} pointer unop pre increment`, lines: [`@: ${hex(base + size)}`], program: `begin { @=(${type}*) ${base}; ++@; }` },
]);

const cases: ScriptCase[] = [
  ...increments,
  { name: 'pointers: Pointer decrement 1', lines: [`@: ${hex(base - 4)}`], program: `begin { @=(int32*) ${base}; @-=1; }` },
  { name: 'pointers: Pointer decrement', lines: [`@: ${hex(base - 4)}`], program: `begin { @=(int32*) ${base}; @--; }` },
  { name: 'pointers: Pointer increment 6', lines: [`@: ${hex(base + 24)}`], program: `begin { @=(int32*) ${base}; @+=6; }` },
  { name: 'pointers: Pointer decrement 6', lines: [`@: ${hex(base - 24)}`], program: `begin { @=(int32*) ${base}; @-=6; }` },
  {
    name: 'pointers: Struct pointer math', lines: [`2048 - 5 x 36 = ${2048 - 5 * 36}`],
    program: 'struct A {int32_t a; int32_t b; char c[28] }; begin { $a=(struct A*) 2048; printf("%lu - 5 x %lu = %lu\\n", $a, sizeof(struct A), $a-5); }',
  },
  { name: 'pointers: Pointer decrement with map', lines: [`@: ${hex(base - 12)}`], program: `begin { @dec = 3; @=(int32*) ${base}; @-=@dec; }` },
  {
    name: 'pointers: Pointer walk through struct', mode: ['walk'],
    lines: [`a: ${cells.reduce((sum, cell) => sum + cell.a, 0)} b: ${cells.reduce((sum, cell) => sum + cell.b, 0)}`],
    program: `struct C { uint32_t a; uint64_t b; };
uprobe:TARGET:tsbpf_cells {
  $c = (struct C*)arg0;
  if ((uint32)arg1 != ${cells.length}) { print("wrong count"); exit(); }
  $i = ${cells.length};
  while (($i--) > 0) { @a += $c.a; @b += ($c++).b; }
  printf("a: %d b: %d\\n", @a, @b);
  clear(@a); clear(@b);
}`,
  },
  {
    name: 'pointers: Pointer arith with int32', mode: ['walk'], matches: [new RegExp(`^ptr: 0x[0-9a-f]+ ${cells[2]!.a * 16}\n`)],
    program: 'struct C { uint32_t a; uint64_t b; }; uprobe:TARGET:tsbpf_cells { $c = (struct C *)arg0; printf("ptr: %p %d\\n", $c + ($c + 2).a, (uint64)($c + ($c + 2).a) - (uint64)$c); exit() }',
  },
  {
    name: 'pointers: Pointer to pointer arithmetic and dereference', mode: ['arrays'], lines: [`@x: ${ints[2]}`],
    program: 'uprobe:TARGET:tsbpf_pointer_array { $p = (int32 **)arg0; @x = **($p + 2); exit(); }',
  },
  { name: 'pointers: Pointer is truthy for if conditions', lines: ['@: 1'], program: 'begin { if (curtask) { @ = 1; } }' },
  { name: 'pointers: Pointer is truthy for tenary expressions', lines: ['@: 1'], program: 'begin { @ = curtask ? 1 : 2; }' },
  { name: 'pointers: Pointer is useable in logical and expressions', lines: ['@: 2'], program: 'begin { @ = (curtask && 0) ? 1 : 2; }' },
  { name: 'pointers: Pointer is useable in logical or expressions', lines: ['@: 1'], program: 'begin { @ = (curtask || 0) ? 1 : 2; }' },
  {
    name: 'pointers: pointer/int comparison', lines: ['SUCCESS'],
    program: `begin { $a = (int64*) ${base}; $a++; if (${base} < $a && $a > ${base} && $a == ${base + 8}) { print("SUCCESS"); } }`,
  },
  {
    name: 'complex_types: pointer_to_pointer', mode: ['pointers'], lines: [`${named.a} ${named.a} ${named.b}`],
    program: 'struct Foo { int a; char b[10]; } uprobe:TARGET:tsbpf_named_pointer { $pp = (struct Foo **)arg0; printf("%d %d %s\\n", (*$pp).a, $pp.a, $pp->b); }',
  },
  {
    name: 'intcast: Casting retval should work', mode: ['retval'], lines: [`@[${mainReturns}]: 1`],
    program: 'ur:TARGET:main /(int32)retval < 0/ { @[(int32)retval]=count(); exit();}',
  },
  {
    name: 'intcast: Sum casted retval', mode: ['retval'],
    lines: [`@: { .count = ${echoed.length}, .average = ${Math.trunc(total / echoed.length)}, .total = ${total} }`],
    program: 'ur:TARGET:tsbpf_echo { @=stats((int32)retval); }',
  },
  { name: 'intptrcast: Sum casted value', mode: ['halves'], lines: [`@: ${halves[1]! + halves[3]!}`], program: 'uprobe:TARGET:tsbpf_halves { @=sum(*((uint16*)arg0 + 1)); @=sum(*((uint16*)arg0 + 3)); exit();}' },
  { name: 'intptrcast: Casting ints', mode: ['halves'], lines: [`${halves[2]}`], program: 'uprobe:TARGET:tsbpf_halves { $a=*((uint16*)arg0 + 2); printf("%d\\n", $a); exit();}' },
  { name: 'signed_ints: uint64 subtraction underflow with cast', lines: [`-4 ${2n ** 64n - 4n}`], program: 'begin { $a = (uint64)3 - (uint64)7; printf("%d %lu\\n", $a, $a); }' },
  { name: 'signed_ints: mixed values', lines: ['-12 -5555 -321 200'], program: 'begin { printf("%d %d %d %d\\n", (int8) -12, -5555, (int16)-321, 200); }' },
  {
    name: 'tuples: complex tuple 1', lines: ['(-100, 100, abcdef, 3, 1, -10, 10, -555)'],
    program: 'begin { print(((int8)-100, (int8) 100, "abcdef", 3, (int32) 1, (int64)-10, (int8)10, (int16)-555)); }',
  },
  { name: 'tuples: tuple struct sizing 1', lines: ['32'], program: 'begin { $t = ((int8) 1, (int64) 1, (int8) 1, (int64) 1); print(sizeof($t)); }' },
  { name: 'tuples: tuple struct sizing 2', lines: ['8'], program: 'begin { $t = ((int8) 1, (int16) 1, (int32) 1); print(sizeof($t)); }' },
  { name: 'tuples: tuple struct sizing 3', lines: ['8'], program: 'begin { $t = ((int32) 1, (int16) 1, (int8) 1); print(sizeof($t)); }' },
  { name: 'tuples: nested tuple', lines: ['@: (1, (-20, 30))'], program: 'begin{ @ = ((int8)1, ((int8)-20, (int8)30)); }' },
  { name: 'other: if_cast', awaitExit: true, lines: ['done'], program: 'i:ms:1 { if ((int32)nsecs) { printf("done\\n"); } exit(); }' },
  { name: 'other: ternary_int8', awaitExit: true, lines: ['1'], program: 'i:ms:1 { $a = 1 ? (int8)1 : 0; printf("%d\\n", $a); exit();}' },
  { name: 'other: ternary_mixed_int', awaitExit: true, lines: ['-1'], program: 'i:ms:1 { $a = nsecs ? (int32)-1 : (uint8)1; printf("%d\\n", $a); exit();}' },
  {
    name: 'other: map_assign_map_ptr', awaitExit: true, matches: [/^0x[0-9a-f]+ 1\n/],
    program: 'i:ms:100 { @ = curtask; @a = @; printf("%p %d\\n", @a, @a == curtask); exit(); }',
  },
];

defineScriptCases(cases);
