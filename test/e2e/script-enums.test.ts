// bpftrace's runtime cases for enums defined in scripts (the enum cases of call, other and
// json-output), each with enumerators of our own.
import { defineScriptCases, type ScriptCase } from './script-cases.js';

const shade = { LIGHT: 3, DARK: 8, DEEP: 12345 };
const shadeEnum = `enum Shade { ${Object.entries(shade).map(([name, value]) => `${name} = ${value}`).join(', ')} };`;
const bothWays = Object.entries(shade).map(([name, value]) => `${value} ${name}`).join(' ');
const numbered = 'enum { ONE = 1, TWO = 2 };';

const cases: ScriptCase[] = [
  {
    name: 'call: printf_enum_symbolize', lines: [bothWays],
    program: `${shadeEnum} begin { printf("%d %s %d %s %d %s\\n", LIGHT, LIGHT, DARK, DARK, DEEP, DEEP); exit() }`,
  },
  {
    name: 'call: printf_enum_symbolize_var', lines: [bothWays],
    program: `${shadeEnum} begin { $l = LIGHT; $d = DARK; $e = DEEP; printf("%d %s %d %s %d %s\\n", $l, $l, $d, $d, $e, $e); exit() }`,
  },
  {
    name: 'call: printf_enum_symbolize_map', lines: [bothWays],
    program: `${shadeEnum} begin { @l = LIGHT; @d = DARK; @e = DEEP; printf("%d %s %d %s %d %s\\n", @l, @l, @d, @d, @e, @e); exit() }`,
  },
  {
    name: 'call: printf_enum_symbolize_width', lines: [`${'X'.padEnd(5)} ${'Y'.padStart(5)} Z`],
    program: 'enum Axis { X, Y, Z, }; begin { printf("%-5s %5s %s\\n", X, Y, Z); exit() }',
  },
  {
    name: 'call: printf_enum_symbolize_cast', lines: [`${shade.DARK} DARK`],
    program: `${shadeEnum} begin { printf("%d %s\\n", DARK, (enum Shade)${shade.DARK}); exit() }`,
  },
  {
    name: 'call: printf_invalid_enum_symbolize_cast', lines: [`${shade.LIGHT} 100`],
    program: `${shadeEnum} begin { $x = 100; printf("%d %s\\n", LIGHT, (enum Shade)$x); exit() }`,
  },
  { name: 'other: symbolize enum in map key', lines: ['@[ONE]: 11', '@[TWO]: 22', '@m[ONE]: 333'], program: `${numbered} begin { @[ONE] = 11; @[TWO] = 22; @m[ONE] = 333; }` },
  { name: 'other: symbolize enum in tuple map key', lines: ['@[ONE, TWO, ONE]: -1'], program: `${numbered} begin { @[ONE,TWO,ONE] = -1; }` },
  { name: 'other: symbolize enum in map value', lines: ['@: TWO'], program: `${numbered} begin { @ = TWO; }` },
  { name: 'other: symbolize enum in tuple map value', lines: ['@: (ONE, TWO)'], program: `${numbered} begin { @ = (ONE, TWO); }` },
  { name: 'other: no symbolize enum after arithmetic', lines: ['@[2]: 1'], program: `${numbered} begin { @[ONE+1] = TWO-1; }` },
  { name: 'other: no symbolize enum after arithmetic mixed', lines: ['@[2]: 3', '@[1]: 1'], program: `${numbered} begin { @[ONE+1] = TWO+1; @[ONE] = ONE; }` },
  { name: 'other: symbolize enum in scratch variable', lines: ['DEEP'], program: `${shadeEnum} begin { $f = DEEP; print($f); }` },
  { name: 'other: symbolize enum in scratch variable tuple', lines: ['(DEEP, LATER)'], program: 'enum { DEEP = 333, LATER }; begin { $t = (DEEP, LATER); print($t); }' },
  { name: 'other: symbolize int cast to enum', lines: ['LATER'], program: 'enum BAZ { DEEP = 333, LATER }; begin { print((enum BAZ)334); }' },
  { name: 'other: no symbolize int cast to unknown enum variant', lines: ['444'], program: 'enum BAZ { DEEP = 333, LATER }; begin { $x = 444; print((enum BAZ)$x); }' },
  { name: 'json-output: enum_not_symbolized', format: 'json', lines: [`{"type": "value", "data": ${shade.DEEP}}`], program: `${shadeEnum} begin { $f = DEEP; print($f); }` },
  {
    name: 'json-output: enum_symbolized_printf', format: 'json', lines: [`{"type": "printf", "data": "${bothWays}\\n"}`],
    program: `${shadeEnum} begin { printf("%d %s %d %s %d %s\\n", LIGHT, LIGHT, DARK, DARK, DEEP, DEEP); exit() }`,
  },
];

defineScriptCases(cases);
