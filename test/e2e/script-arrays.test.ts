// bpftrace's runtime cases for arrays (tests/runtime/array, complex_types, and the array cases of
// call and tuples), each followed with a struct the script defines over
// test/fixtures/c/script-types-target.c's own values, restated here.
import { arrayText, defineScriptCases, type ScriptCase } from './script-cases.js';

const ints = [31, 32, 33, 34];
const bytes = [0x1a, 0x2b, 0x3c, 0x4d];
const reversed = [...ints].reverse();
const grid = [[41, 42], [43, 44]];
const flexibleZ = 57;
/** struct tree's w[x] (branch): a, t.a and t.b[1]. */
const branch = (x: number) => ({ a: 200 + 3 * x, ta: 7 * x, tb1: 500 - 5 * x });
const gridText = arrayText(grid.map((row) => arrayText(row)));
const intsText = arrayText(ints);
const structA = 'struct A { int x[4]; }';
const structB = 'struct B { int y[2][2]; }';
const onStruct = (body: string, head = structA) => `${head} uprobe:TARGET:tsbpf_struct_args { ${body} }`;
const onArray = (body: string) => `uprobe:TARGET:tsbpf_int_array { ${body} }`;
const treeTypes = 'struct T { uint32_t a; uint32_t b[2]; }; struct W { uint32_t a; struct T t; }; struct C { uint32_t a; void * b; struct W w[10]; };';
const evens = [0, 2, 4, 6, 8];
const odds = [1, 3, 5, 7, 9];
const firstFive = [0, 1, 2, 3, 4];
const treeLine = [evens.map((x) => branch(x).a), odds.map((x) => branch(x).ta), firstFive.map((x) => branch(x).tb1)].map((part) => part.join(' ')).join(' -- ');
const printEach = (expressions: readonly string[]) => expressions.map((expression) => `printf("%d ", ${expression});`).join(' ');
const literal = 0x4d2e;

const cases: ScriptCase[] = [
  { name: 'array: array element access - assign to map', mode: ['arrays'], lines: [`@x: ${ints[0]}`], program: onStruct('$a = (struct A *) arg0; @x = $a.x[0]; exit();') },
  {
    name: 'array: array element access - with variable index', mode: ['arrays'], lines: [`@x: ${ints[2]}`],
    program: onStruct('$y = (uint64)2; $a = (struct A *) arg0; @x = $a.x[$y]; exit();'),
  },
  {
    name: 'array: array element access - assign to var', mode: ['arrays'], lines: [`Result: ${ints[0]}`],
    program: onStruct('$a = (struct A *) arg0; $x = $a.x[0]; printf("Result: %d\\n", $x); exit();'),
  },
  {
    name: 'array: array element access - out of bounds', error: /ERROR: the index 5 is out of bounds for array of size 4/,
    program: onStruct('$a = (struct A *) arg0; $x = $a.x[5]; printf("%d\\n", $x); exit();'),
  },
  {
    name: 'array: array element access - out of bounds runtime', mode: ['arrays'], lines: [],
    stderr: [/WARNING: Array access out of bounds\. This can lead to unexpected results\./],
    program: onStruct('$y = (uint64)100; $a = (struct A *) arg0; @x = $a.x[$y]; exit();'),
  },
  {
    name: 'array: array element access via assignment into var', mode: ['arrays'], lines: [`Result: ${ints[0]}`],
    program: onStruct('$a = ((struct A *) arg0).x; $x = $a[0]; printf("Result: %d\\n", $x); exit();'),
  },
  {
    name: 'array: array element access via assignment into map', mode: ['arrays'], lines: [`Result: ${ints[1]}`],
    program: onStruct('@a[0] = ((struct A *) arg0).x; printf("Result: %d\\n", @a[0][1]); exit();'),
  },
  {
    name: 'array: array element access via assignment into map and var', mode: ['arrays'], lines: [`Result: ${ints[3]}`],
    program: onStruct('@a[0] = ((struct A *) arg0).x; $x = @a[0]; printf("Result: %d\\n", $x[3]); exit();'),
  },
  { name: 'array: array assignment into map', mode: ['arrays'], lines: [`@a: ${intsText}`], program: onStruct('@a = ((struct A *) arg0).x; exit();') },
  { name: 'array: array as a map key', mode: ['arrays'], lines: [`@x[${intsText}]: 0`], program: onStruct('@x[((struct A *) arg0).x] = 0; exit();') },
  { name: 'array: array as a part of map multikey', mode: ['arrays'], lines: [`@x[${intsText}, 42]: 0`], program: onStruct('@x[((struct A *) arg0).x, 42] = 0; exit();') },
  {
    name: 'array: array as a map key assigned from another map', mode: ['arrays'], lines: [`@x[${intsText}]: 0`],
    program: onStruct('@a = ((struct A *) arg0).x; @x[@a] = 0; exit();'),
  },
  { name: 'array: array in a tuple', mode: ['arrays'], lines: [`@x: (1, ${intsText})`], program: onStruct('@x = (1, ((struct A *) arg0).x); exit();') },
  {
    name: 'array: multi-dimensional array element access', mode: ['arrays'], lines: [`Result: ${grid[1]![0]}`],
    program: onStruct('$x = ((struct B *) arg1).y[1][0]; printf("Result: %d\\n", $x); exit();', structB),
  },
  {
    name: 'array: multi-dimensional array element access via assignment into var', mode: ['arrays'], lines: [`Result: ${grid[0]![1]}`],
    program: onStruct('$b = ((struct B *) arg1).y; $y = $b[0][1]; printf("Result: %d\\n", $y); exit();', structB),
  },
  {
    name: 'array: multi-dimensional array element access via assignment into map', mode: ['arrays'], lines: [`Result: ${grid[1]![0]}`],
    program: onStruct('@b[0] = ((struct B *) arg1).y; printf("Result: %d\\n", @b[0][1][0]); exit();', structB),
  },
  {
    name: 'array: multi-dimensional array element access via assignment into map and var', mode: ['arrays'], lines: [`Result: ${grid[1]![1]}`],
    program: onStruct('@b[0] = ((struct B *) arg1).y; $x = @b[0]; printf("Result: %d\\n", $x[1][1]); exit();', structB),
  },
  { name: 'array: multi-dimensional array assignment into map', mode: ['arrays'], lines: [`@b: ${gridText}`], program: onStruct('@b = ((struct B *) arg1).y; exit();', structB) },
  { name: 'array: multi-dimensional array as a map key', mode: ['arrays'], lines: [`@x[${gridText}]: 0`], program: onStruct('@x[((struct B *) arg1).y] = 0; exit();', structB) },
  {
    name: 'array: multi-dimensional array as a map key assigned from another map', mode: ['arrays'], lines: [`@x[${gridText}]: 0`],
    program: onStruct('@b = ((struct B *) arg1).y; @x[@b] = 0; exit();', structB),
  },
  { name: 'array: array as pointer element access - assign to map', mode: ['arrays'], lines: [`@x: ${ints[0]}`], program: onArray('$a = (int32 *) arg0; @x = $a[0]; exit();') },
  {
    name: 'array: array as pointer element access - assign to var', mode: ['arrays'], lines: [`Result: ${ints[2]}`],
    program: onArray('$a = (int32 *) arg0; $x = $a[2]; printf("Result: %d\\n", $x); exit();'),
  },
  {
    name: 'array: array as pointer access via assignment into var', mode: ['arrays'], lines: [`Result: ${ints[3]}`],
    program: onArray('$a = (int32 *) arg0; $i = 3; $x = $a[$i]; printf("Result: %d\\n", $x); exit();'),
  },
  {
    name: 'array: array as pointer element access via assignment into map', mode: ['arrays'], lines: [`Result: ${ints[1]}`],
    program: onArray('@a[0] = (int32 *) arg0; printf("Result: %d\\n", @a[0][1]); exit();'),
  },
  {
    name: 'array: array as pointer element access via assignment into map and var', mode: ['arrays'], lines: [`Result: ${ints[0]}`],
    program: onArray('@a[0] = (int32 *) arg0; $x = @a[0]; printf("Result: %d\\n", $x[0]); exit();'),
  },
  {
    name: 'array: array element access via positional index', mode: ['arrays'], positional: ['2'], lines: [`Result: ${ints[2]}`],
    program: onStruct('$a = (struct A *) arg0; $x = $a.x[$1]; printf("Result: %d\\n", $x); exit();'),
  },
  {
    name: 'array: array of pointers element access', mode: ['arrays'], lines: [`@x: ${ints[1]}`],
    program: 'struct C { int *z[4]; } uprobe:TARGET:tsbpf_pointer_array { @x = *((struct C*)arg0).z[1]; exit(); }',
  },
  {
    name: 'array: array compare eq', mode: ['arrays'], lines: ['two int arrays are equal.'],
    program: `${structA} uprobe:TARGET:tsbpf_two_arrays { $a = (struct A *) arg0; $b = (struct A *) arg0; if ($a.x == $b.x) { printf("two int arrays are equal.\\n"); } exit(); }`,
  },
  {
    name: 'array: array compare ne', mode: ['arrays'], lines: [`two int arrays are not equal. ${arrayText(reversed)}`],
    program: `${structA} uprobe:TARGET:tsbpf_two_arrays { $a = (struct A *) arg0; $b = (struct A *) arg1; if ($a.x != $b.x) { printf("two int arrays are not equal. "); print($b.x); } exit(); }`,
  },
  {
    name: 'array: variable array element access - assign to map', mode: ['arrays'], lines: [`@y: ${flexibleZ}`],
    program: 'struct D { int x; int y[0]; } uprobe:TARGET:tsbpf_flexible { $a = (struct D *) arg0; @y = $a.y[0]; exit(); }',
  },
  { name: 'array: cast literal to int array', lines: [`first byte: ${(literal & 0xff).toString(16)}`], program: `begin { printf("first byte: %x\\n", ((int8[8])${literal})[0]); }` },
  { name: 'array: cast to int array with automatic size', lines: [`byte: ${(literal >> 8).toString(16)}`], program: `begin { printf("byte: %x\\n", ((int8[])${literal})[1]); }` },
  {
    name: 'array: cast int array to int internal', lines: [`ip: ${(((40 << 24) | (30 << 16) | (20 << 8) | 10) >>> 0).toString(16)}`],
    program: 'begin { printf("ip: %x\\n", (uint32)pton("10.20.30.40")); }',
  },
  {
    name: 'array: cast int array to int proberead', mode: ['arrays'], lines: [`y: ${bytes.reduce((value, byte, index) => value + byte * 2 ** (8 * index), 0).toString(16)}`],
    program: '#include <stdint.h>\nstruct A { int x[4]; uint8_t y[4]; } uprobe:TARGET:tsbpf_two_arrays { $y = (int32)((struct A *)arg0).y; printf("y: %x\\n", $y); exit()}',
  },
  { name: 'array: cast string to int array', lines: [arrayText([...Buffer.from('tsbpf\0')])], program: 'begin { print((int8[])"tsbpf"); }' },
  { name: 'call: print_non_map_array', mode: ['arrays'], lines: [intsText], program: onStruct('$a = ((struct A *) arg0).x; print($a); exit();') },
  { name: 'call: print_non_map_multi_dimensional_array', mode: ['arrays'], lines: [gridText], program: onStruct('$b = ((struct B *) arg1).y; print($b); exit();', structB) },
  { name: 'tuples: array in tuple', mode: ['arrays'], lines: [`@t: (1, ${intsText})`], program: onStruct('@t = (1, ((struct A *)arg0).x); exit();') },
  { name: 'tuples: array in tuple sizing', mode: ['arrays'], lines: ['20'], program: onStruct('$t = ((int32)1, ((struct A *)arg0).x); print(sizeof($t)); exit();') },
  {
    name: 'complex_types: struct-array', mode: ['struct-array'], lines: [treeLine],
    program: `${treeTypes} uprobe:TARGET:tsbpf_tree { $c = (struct C*)arg0; ${printEach(evens.map((x) => `$c.w[${x}].a`))} printf("-- "); ${printEach(odds.map((x) => `$c.w[${x}].t.a`))} printf("-- "); ${printEach(firstFive.slice(0, 4).map((x) => `$c.w[${x}].t.b[1]`))} printf("%d\\n", $c.w[4].t.b[1]); }`,
  },
  {
    name: 'complex_types: struct-array with variables', mode: ['struct-array'], lines: [`${treeLine} -- 77`],
    program: `${treeTypes} uprobe:TARGET:tsbpf_tree { $c = (struct C*)arg0; $w = $c.w; @w[0] = $c.w; @[$c.w] = 77; ${printEach(evens.map((x) => `$w[${x}].a`))} printf("-- "); ${printEach(odds.map((x) => `@w[0][${x}].t.a`))} printf("-- "); ${printEach(firstFive.map((x) => `@w[0][${x}].t.b[1]`))} printf("-- "); printf("%d\\n", @[$c.w]); }`,
  },
  {
    // Indexed by a variable too: $i steps through the even elements.
    name: 'complex_types: struct-array with declared variables', mode: ['struct-array'], lines: [evens.map((x) => branch(x).a).join(' ')],
    program: `${treeTypes} uprobe:TARGET:tsbpf_tree { let $c : struct C*; let $w : struct W[10]; $c = (struct C*)arg0; $w = $c.w; $i = 0; while ($i < 8) { printf("%d ", $w[$i].a); $i += 2; } printf("%d\\n", $c.w[$i].a); }`,
  },
  {
    // Not a bpftrace case (its variables hold addresses): tsbpf's copy has nothing past its end.
    name: 'a variable index into an array copied to a variable: the element inside, zeros past the end after the warning', mode: ['arrays'],
    lines: [`${ints[2]} 0`], stderr: [/WARNING: Array access out of bounds/],
    program: onStruct(`$v = ((struct A *)arg0).x; $i = $v[0] - ${ints[0]! - 2}; printf("%d %d\\n", $v[$i], $v[$i + 2]); exit();`),
  },
];

defineScriptCases(cases);
