import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseErrors, parseOk, parser, textOf, withoutSpans } from './helpers.js';

test('an empty program, and one with only comments', () => {
  for (const source of ['', '\n\n', '// nothing\n/* at\n all */\n']) {
    const program = parseOk(source);
    assert.equal(withoutSpans(program), { kind: 'program', definitions: [], configs: [], mapDeclarations: [], probes: [] });
    assert.equal([program.span.offset, program.span.length], [0, source.length]);
  }
});

test('a shebang line is kept; comments anywhere are skipped', () => {
  const source = '#!/usr/bin/env tsbpf\n// line\nBEGIN /* here */ { /* and\n here */ $x = 1; // there\n}\n';
  const program = parseOk(source);
  assert.is(program.shebang, '#!/usr/bin/env tsbpf');
  assert.is(program.probes.length, 1);
  assert.is(program.probes[0]!.body.statements.length, 1);
});

test('#include, #define and other # lines are kept as definitions', () => {
  const source = [
    '#include <linux/sched.h>',
    '  #include "local.h"',
    '#define PAGE 4096',
    '#define MAX(a, b) ((a) > (b) ? (a) : (b))',
    '#define LONG 1 + \\',
    '  2',
    '#ifdef FOO',
    '#endif',
    'BEGIN { }',
  ].join('\n');
  const program = parseOk(source);
  assert.equal(withoutSpans(program.definitions), [
    { kind: 'include', path: 'linux/sched.h', system: true },
    { kind: 'include', path: 'local.h', system: false },
    { kind: 'define', name: 'PAGE', body: '4096' },
    { kind: 'define', name: 'MAX', parameters: ['a', 'b'], body: '((a) > (b) ? (a) : (b))' },
    { kind: 'define', name: 'LONG', body: '1 +    2' },
    { kind: 'preprocessor', directive: 'ifdef', text: 'FOO' },
    { kind: 'preprocessor', directive: 'endif', text: '' },
  ]);
  assert.is(textOf(source, program.definitions[4]!.span), '#define LONG 1 + \\\n  2');
  assert.is(program.definitions[1]!.span.column, 3);
  assert.is(program.probes.length, 1);
});

test('struct and union definitions with C declarators', () => {
  const source = `struct event {
  unsigned long long ts;
  const char *name;
  char comm[16];
  struct event *next, *prev;
  int grid[2][3];
  unsigned int flag : 1;
};
union number { long l; unsigned char bytes[8]; }
BEGIN { }`;
  const [event, number] = parseOk(source).definitions;
  const named = (name: string) => ({ kind: 'namedType', name });
  assert.equal(withoutSpans(event), {
    kind: 'record',
    keyword: 'struct',
    name: 'event',
    fields: [
      { kind: 'field', name: 'ts', type: named('unsigned long long') },
      { kind: 'field', name: 'name', type: { kind: 'pointerType', target: named('char') } },
      { kind: 'field', name: 'comm', type: { kind: 'arrayType', element: named('char'), length: 16 } },
      { kind: 'field', name: 'next', type: { kind: 'pointerType', target: { kind: 'recordType', keyword: 'struct', name: 'event' } } },
      { kind: 'field', name: 'prev', type: { kind: 'pointerType', target: { kind: 'recordType', keyword: 'struct', name: 'event' } } },
      { kind: 'field', name: 'grid', type: { kind: 'arrayType', element: { kind: 'arrayType', element: named('int'), length: 3 }, length: 2 } },
      { kind: 'field', name: 'flag', type: named('unsigned int'), bitWidth: 1 },
    ],
  });
  assert.equal(withoutSpans(number), {
    kind: 'record',
    keyword: 'union',
    name: 'number',
    fields: [
      { kind: 'field', name: 'l', type: named('long') },
      { kind: 'field', name: 'bytes', type: { kind: 'arrayType', element: named('unsigned char'), length: 8 } },
    ],
  });
  if (event?.kind !== 'record') throw new Error('expected a record');
  assert.is(textOf(source, event.fields[1]!.span), 'const char *name');
});

test('C definitions: attributes, anonymous and nested members, function pointers, length expressions', () => {
  const source = `struct __attribute__((packed)) outer {
  int a __attribute__((aligned(8))), b;
  struct { int x; int y; };
  union { int i; char c[4]; } u;
  struct inner { short s; };
  enum { RED, GREEN } colour;
  void (*handlers[2])(int, char *);
  unsigned int : 0;
  char name[LEN * 2];
  int tail[];
} /* c */ __attribute__ ((aligned(16))) BEGIN { }`;
  const program = parseOk(source);
  assert.is(program.probes.length, 1, 'the probe after the attribute list is a probe');
  const outer = program.definitions[0]!;
  if (outer.kind !== 'record') throw new Error('expected a record');
  assert.equal(withoutSpans(outer.attributes), [
    { kind: 'attribute', name: 'packed', arguments: [] },
    { kind: 'attribute', name: 'aligned', arguments: [{ kind: 'integer', value: 16n, text: '16' }] },
  ]);
  assert.equal(outer.fields.map((field) => field.name), ['a', 'b', '', 'u', 'colour', 'handlers', '', 'name', 'tail']);
  assert.equal(withoutSpans(outer.fields[0]!.attributes), [{ kind: 'attribute', name: 'aligned', arguments: [{ kind: 'integer', value: 8n, text: '8' }] }]);
  assert.is(outer.fields[1]!.attributes, undefined);
  const anonymous = outer.fields[2]!.type;
  assert.ok(anonymous.kind === 'recordType' && anonymous.name === '' && anonymous.definition?.kind === 'record');
  assert.equal(withoutSpans(outer.nested)?.map((one) => [one.kind, one.name]), [['record', 'inner']]);
  const colour = outer.fields[4]!.type;
  assert.ok(colour.kind === 'recordType' && colour.keyword === 'enum' && colour.definition?.kind === 'enum');
  assert.equal(withoutSpans(outer.fields[5]!.type), { kind: 'arrayType', element: { kind: 'pointerType', target: { kind: 'namedType', name: 'void' } }, length: 2 });
  assert.equal(withoutSpans(outer.fields[6]), { kind: 'field', name: '', type: { kind: 'namedType', name: 'unsigned int' }, bitWidth: 0 });
  const name = outer.fields[7]!.type;
  assert.ok(name.kind === 'arrayType' && name.lengthExpression?.kind === 'binary');
  assert.equal(withoutSpans(outer.fields[8]!.type), { kind: 'arrayType', element: { kind: 'namedType', name: 'int' }, length: 0 });
  assert.equal(withoutSpans(parseOk('enum { A, B = A + 1 }; BEGIN { }').definitions[0]), {
    kind: 'enum', name: '', values: [{ kind: 'enumValue', name: 'A' }, { kind: 'enumValue', name: 'B', value: { kind: 'binary', operator: '+', left: { kind: 'identifier', name: 'A' }, right: { kind: 'integer', value: 1n, text: '1' } } }],
  });
});

test("a member's ';' may be left out before '}', with clang's warning; definitions may follow each other without ';'", () => {
  const result = parser.parse('struct a { struct { int m[1] } y; int n } struct b { char c; } __attribute__((packed)) begin { }', 'test.bt');
  assert.equal(result.diagnostics.map((one) => [one.severity, one.message, one.span.column]), [
    ['warning', "expected ';' at end of declaration list", 30],
    ['warning', "expected ';' at end of declaration list", 41],
  ]);
  assert.equal(result.program?.definitions.map((one) => (one.kind === 'record' ? one.fields.map((field) => field.name) : [])), [['y', 'n'], ['c']]);
  assert.is(result.program?.probes.length, 1);
});

test('enum definitions, with and without values and a trailing comma', () => {
  const program = parseOk('enum state { IDLE, RUNNING = 4, DONE, }; enum empty { } BEGIN { }');
  assert.equal(withoutSpans(program.definitions), [
    {
      kind: 'enum',
      name: 'state',
      values: [
        { kind: 'enumValue', name: 'IDLE' },
        { kind: 'enumValue', name: 'RUNNING', value: { kind: 'integer', value: 4n, text: '4' } },
        { kind: 'enumValue', name: 'DONE' },
      ],
    },
    { kind: 'enum', name: 'empty', values: [] },
  ]);
});

test('config blocks', () => {
  const program = parseOk('config = { max_strlen = 128; stack_mode = perf; missing_probes = "warn"; print_maps_on_exit = false }\nBEGIN { }');
  assert.equal(withoutSpans(program.configs), [
    {
      kind: 'config',
      entries: [
        { kind: 'configEntry', key: 'max_strlen', value: { kind: 'integer', value: 128n, text: '128' } },
        { kind: 'configEntry', key: 'stack_mode', value: { kind: 'identifier', name: 'perf' } },
        { kind: 'configEntry', key: 'missing_probes', value: { kind: 'string', value: 'warn' } },
        { kind: 'configEntry', key: 'print_maps_on_exit', value: { kind: 'boolean', value: false } },
      ],
    },
  ]);
  assert.equal(withoutSpans(parseOk('config = {}').configs), [{ kind: 'config', entries: [] }]);
});

test('top-level map declarations', () => {
  const program = parseOk('let @lru = lruhash(100);\nlet @h = hash(1024);\nBEGIN { @lru[1] = 1; }');
  assert.equal(withoutSpans(program.mapDeclarations), [
    { kind: 'mapDeclaration', name: 'lru', mapType: 'lruhash', arguments: [{ kind: 'integer', value: 100n, text: '100' }] },
    { kind: 'mapDeclaration', name: 'h', mapType: 'hash', arguments: [{ kind: 'integer', value: 1024n, text: '1024' }] },
  ]);
});

test('several probes, each with its own predicate and body', () => {
  const source = 'BEGIN { @start = nsecs; }\n\nt:syscalls:sys_enter_read /pid == 1/ { @reads++; }\nEND { print(@reads); }';
  const program = parseOk(source);
  assert.equal(program.probes.map((probe) => probe.attachPoints[0]!.provider), ['begin', 'tracepoint', 'end']);
  assert.equal(program.probes.map((probe) => probe.predicate !== undefined), [false, true, false]);
  assert.is(textOf(source, program.probes[1]!.span), 't:syscalls:sys_enter_read /pid == 1/ { @reads++; }');
  assert.is(program.probes[2]!.span.line, 4);
});

test('definitions, config, declarations and probes may come in any order', () => {
  const program = parseOk('BEGIN { } struct a { int x; }; config = { a = 1 } END { } let @m = hash(2);\n#define X 1\nBEGIN { }');
  assert.equal(
    [program.definitions.length, program.configs.length, program.mapDeclarations.length, program.probes.length],
    [2, 1, 1, 3],
  );
});

test('keywords are never probes, and top-level junk is reported once per run', () => {
  const diagnostics = parseErrors('if (1) { } BEGIN { }');
  assert.is(diagnostics.length, 1);
  assert.is(diagnostics[0]!.message, "expected a probe, a definition or a config block, found 'if'");
});

test.run();
