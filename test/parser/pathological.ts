// Inputs that could make a parser blow up: deep nesting, long lines, only junk. The parser fuzz test
// checks what they parse to; bench/pathological-parse.ts measures how long they take.
export const pathologicalInputs: readonly string[] = [
  `BEGIN { $x = ${'('.repeat(300)}1${')'.repeat(300)}; }`,
  `BEGIN { ${'{'.repeat(200)}${'}'.repeat(200)} }`,
  `BEGIN { ${'if (1) { '.repeat(100)}${'} '.repeat(100)}}`,
  `BEGIN { $x = ${'1 + '.repeat(2000)}1; }`,
  `BEGIN { $x = ${'-'.repeat(501)}1; }`,
  '}'.repeat(1000),
  '{'.repeat(1000),
  '('.repeat(1000),
  '"'.repeat(999),
  '/*'.repeat(100),
  '#'.repeat(100),
  ';;;;',
  '\u0000\u0001\u0002',
  'BEGIN',
  'BEGIN /',
  'BEGIN { @',
  'x'.repeat(10000),
];
