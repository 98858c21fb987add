// Script-defined structs and unions laid out as gcc lays them out: each definition below is given to
// tsbpf (as a script's C definitions) and to the C compiler (as a C file that prints sizeof,
// _Alignof, offsetof and each bit field's first bit and width, found by setting the field to all
// ones in zeroed memory); every number must agree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptDefinitions } from '../../src/check/script-types.js';
import { liveHost } from '../../src/host/live.js';
import type { Type } from '../../src/model/types.js';
import { cc, kernelBtf, needs } from '../support/skip.js';
import { parse, providerSyntax } from '../support/parse.js';

/** Definitions, and the records among them to measure (with their C spelling). */
const table: readonly { readonly source: string; readonly records: readonly string[] }[] = [
  { source: 'struct p1 { char a; int b; short c; long long d; char e; };', records: ['struct p1'] },
  { source: 'struct p2 { char a; int b; short c; } __attribute__((packed));', records: ['struct p2'] },
  { source: 'struct __attribute__((packed)) p3 { char a; long b; };', records: ['struct p3'] },
  { source: 'struct p4 { char a; } __attribute__((aligned(8)));', records: ['struct p4'] },
  { source: 'struct p5 { char a; int b __attribute__((aligned(16))); char c; };', records: ['struct p5'] },
  { source: 'struct p6 { char a; int b __attribute__((aligned(4))); char c; } __attribute__((packed));', records: ['struct p6'] },
  { source: 'struct p7 { char a; int b; } __attribute__((packed)) __attribute__((aligned(2)));', records: ['struct p7'] },
  { source: 'struct b1 { unsigned int a:4, b:8, c:3, d:1, e:16; };', records: ['struct b1'] },
  { source: 'struct b2 { char c; int b:30; int d:4; signed char e:3; long long f:40; long long g:30; };', records: ['struct b2'] },
  { source: 'struct b3 { unsigned short a:4, b:8, c:3, d:1; unsigned int e:9, f:15, g:1, h:2, i:5; };', records: ['struct b3'] },
  { source: 'struct b4 { char a; int :0; char b; unsigned :3; char c:2; long long :0; char d; };', records: ['struct b4'] },
  { source: 'struct b5 { char c; int b:30; int d:4; } __attribute__((packed));', records: ['struct b5'] },
  { source: 'struct b6 { char a; unsigned long long b:60; unsigned long long c:8; short s:5; };', records: ['struct b6'] },
  { source: 'struct n1 { int a; struct { char b; long c; }; union { short d; int e; }; char f; };', records: ['struct n1'] },
  { source: 'struct n2 { char a; struct { short x; char y[3]; } in; union { int i; char bytes[5]; } u; struct n2 *next; };', records: ['struct n2'] },
  { source: 'struct n3 { char a; struct { char b; struct { int c; short d; }; }; int e; };', records: ['struct n3'] },
  { source: 'struct f1 { int len; char data[]; };\nstruct f2 { char c; long long items[0]; };', records: ['struct f1', 'struct f2'] },
  { source: 'struct elem { char k; int v; };\nstruct a1 { char c; struct elem items[3]; short s[2][3]; };', records: ['struct elem', 'struct a1'] },
  { source: 'struct q1 { char c; void *p; void (*fn)(int, char *); int *arr[2]; struct unknown *u; };', records: ['struct q1'] },
  {
    source: 'enum small { S0, S1 = 5 };\nenum big { B0 = 0x100000000 };\nenum neg { N0 = -1, N1 };\nstruct e1 { char c; enum small s; enum big b; enum neg n; enum { X0, X1 } x; };',
    records: ['struct e1'],
  },
  { source: 'union u1 { char c; int i; long long l; char s[9]; };\nunion u2 { char c; unsigned int b:3; };', records: ['union u1', 'union u2'] },
  { source: 'struct al { char a; struct { int x; } __attribute__((aligned(16))) s; };', records: ['struct al'] },
  { source: 'struct c1 { _Bool b; char name[5]; unsigned char raw[3]; double d; float f; };', records: ['struct c1'] },
  { source: '#define LEN 4\nenum { WIDTH = LEN * 2 };\nstruct m1 { char a[LEN * 2 + 1]; int b[WIDTH]; char c; };', records: ['struct m1'] },
  { source: 'struct in2 { int x; } __attribute__((aligned(16)));\nstruct pk { char c; struct in2 i; } __attribute__((packed));', records: ['struct in2', 'struct pk'] },
  { source: 'struct w1 { char c; long double ld; __int128 i; unsigned long int ul; long unsigned lu; };', records: ['struct w1'] },
  { source: 'struct t1 { int8_t a; uint16_t b; int32_t c; uint64_t d; size_t e; };', records: ['struct t1'] },
];

interface Fact {
  readonly key: string;
  readonly value: string;
}

/** Our layout, as the lines the C program prints. */
function ourFacts(records: ReadonlyMap<string, Type>, wanted: readonly string[]): Fact[] {
  const facts: Fact[] = [];
  for (const name of wanted) {
    const type = records.get(name);
    if (type?.kind !== 'record') throw new Error(`tsbpf has no ${name}`);
    facts.push({ key: name, value: `${type.size} ${type.align}` });
    for (const field of type.fields) {
      facts.push({ key: `${name}.${field.name}`, value: field.bitSize === undefined ? `${field.offset}` : `bit ${field.offset * 8 + field.bitOffset!} ${field.bitSize}` });
    }
  }
  return facts;
}

/** C statements printing the same facts, field by field as tsbpf lists them. */
function cPrints(records: ReadonlyMap<string, Type>, wanted: readonly string[]): string {
  const lines: string[] = [];
  wanted.forEach((name, index) => {
    const type = records.get(name);
    if (type?.kind !== 'record') return;
    lines.push(`printf("%s\\t%zu %zu\\n", "${name}", sizeof(${name}), _Alignof(${name}));`);
    for (const field of type.fields) {
      if (field.bitSize === undefined) {
        lines.push(`printf("%s\\t%zu\\n", "${name}.${field.name}", offsetof(${name}, ${field.name}));`);
      } else {
        lines.push(`{ ${name} v${index}; memset(&v${index}, 0, sizeof v${index}); v${index}.${field.name} = -1; bits("${name}.${field.name}", &v${index}, sizeof v${index}); }`);
      }
    }
  });
  return lines.join('\n  ');
}

const cPrelude = `#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
static void bits(const char *name, const void *memory, size_t size) {
  const unsigned char *bytes = memory;
  int first = -1, count = 0;
  for (size_t bit = 0; bit < size * 8; bit++) {
    if (bytes[bit / 8] >> (bit % 8) & 1) { if (first < 0) first = (int)bit; count++; }
  }
  printf("%s\\tbit %d %d\\n", name, first, count);
}
`;

needs(test, 'script structs and unions are laid out as gcc lays them out', cc, () => {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-c-layout-'));
  try {
    const expected: Fact[] = [];
    const bodies: string[] = [];
    const definitions: string[] = [];
    table.forEach((entry, index) => {
      const parsed = parse(`${entry.source}\nBEGIN { }`, `layout${index}.bt`);
      if (!parsed.program) throw new Error(`${entry.source}: ${parsed.diagnostics.map((one) => one.message).join('; ')}`);
      const result = scriptDefinitions(parsed.program, { host: liveHost(), syntax: providerSyntax });
      assert.equal(result.diagnostics.map((one) => one.message), [], entry.source);
      expected.push(...ourFacts(result.records, entry.records));
      // Each entry in its own scope in C: names such as `in` or enumerators may repeat across entries.
      definitions.push(entry.source);
      bodies.push(cPrints(result.records, entry.records));
    });
    const source = `${cPrelude}${definitions.join('\n')}\nint main(void) {\n  ${bodies.join('\n  ')}\n  return 0;\n}\n`;
    writeFileSync(join(directory, 'layout.c'), source);
    execFileSync('cc', ['-w', '-o', join(directory, 'layout'), join(directory, 'layout.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const printed = execFileSync(join(directory, 'layout'), { encoding: 'utf8' }).trim().split('\n').map((line) => {
      const [key, value] = line.split('\t');
      return { key: key!, value: value! };
    });
    assert.equal(expected, printed);
    assert.ok(printed.length >= 140, `only ${printed.length} facts compared`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('member types: signed bit fields keep their sign, char arrays are strings, enums carry their names', () => {
  const parsed = parse('enum e { ONE = 1, TWO }; struct s { int sbf:4; unsigned ubf:4; char name[8]; unsigned char raw[2]; enum e kind; _Bool flag; struct s *next; }; BEGIN { }');
  const result = scriptDefinitions(parsed.program!, { host: liveHost(), syntax: providerSyntax });
  const record = result.records.get('struct s');
  if (record?.kind !== 'record') throw new Error('no struct s');
  const field = (name: string) => record.fields.find((one) => one.name === name)!;
  assert.equal(field('sbf').type, { kind: 'integer', bits: 32, signed: true });
  assert.equal([field('sbf').bitOffset, field('sbf').bitSize, field('ubf').bitOffset, field('ubf').bitSize], [0, 4, 4, 4]);
  assert.equal(field('ubf').type, { kind: 'integer', bits: 32, signed: false });
  assert.equal(field('name').type, { kind: 'string', size: 8 });
  assert.equal(field('raw').type, { kind: 'array', element: { kind: 'integer', bits: 8, signed: false }, length: 2 });
  assert.equal(field('kind').type, { kind: 'integer', bits: 32, signed: false, enum: { name: 'e', values: [{ name: 'ONE', value: 1n }, { name: 'TWO', value: 2n }] } });
  assert.equal(field('flag').type, { kind: 'integer', bits: 8, signed: false });
  const next = field('next').type;
  assert.ok(next.kind === 'pointer' && next.to === record, 'a pointer to the struct itself points to the same record');
  assert.equal(record.fields.map((one) => one.path), [[0], [1], [2], [3], [4], [5], [6]]);
  assert.equal(result.enumerators.get('TWO'), { type: { kind: 'integer', bits: 64, signed: false, enum: { name: 'e', values: [{ name: 'ONE', value: 1n }, { name: 'TWO', value: 2n }] } }, value: 2n });
});

test('anonymous members are flattened into their parent; their fields record the member path', () => {
  const parsed = parse('struct s { int a; struct { int b; union { short c; int d; }; }; int e; }; BEGIN { }');
  const record = scriptDefinitions(parsed.program!, { host: liveHost(), syntax: providerSyntax }).records.get('struct s');
  if (record?.kind !== 'record') throw new Error('no struct s');
  assert.equal(record.fields.map((one) => [one.name, one.offset, one.path]), [['a', 0, [0]], ['b', 4, [1, 0]], ['c', 8, [1, 1, 0]], ['d', 8, [1, 1, 1]], ['e', 12, [2]]]);
});

needs(test, 'kernel types by value and by typedef take their size and alignment from BTF; a script definition wins', kernelBtf, () => {
  const host = liveHost();
  const btf = host.kernelBtf()!;
  const listHead = btf.sizeof(btf.findType('list_head', 'struct')!.id);
  const parsed = parse('struct k { char c; struct list_head l; u32 x; pid_t p; struct task_struct *t; }; struct file { int mine; }; BEGIN { }');
  const result = scriptDefinitions(parsed.program!, { host, syntax: providerSyntax });
  assert.equal(result.diagnostics, []);
  const record = result.records.get('struct k');
  if (record?.kind !== 'record') throw new Error('no struct k');
  assert.equal(record.fields.map((one) => [one.name, one.offset]), [['c', 0], ['l', 8], ['x', 8 + listHead], ['p', 12 + listHead], ['t', 16 + listHead]]);
  assert.is(record.size, 24 + listHead);
  const list = record.fields[1]!.type;
  assert.ok(list.kind === 'record' && list.name === 'struct list_head' && list.fields.map((one) => one.name).join() === 'next,prev');
  assert.equal(record.fields[3]!.type, { kind: 'integer', bits: 32, signed: true }, 'pid_t is int');
  assert.equal(result.records.get('struct file'), { kind: 'record', name: 'struct file', size: 4, align: 4, fields: [{ name: 'mine', type: { kind: 'integer', bits: 32, signed: true }, offset: 0, path: [0] }] });
  assert.equal(result.enumerator('BPF_MAP_TYPE_RINGBUF')?.value, 27n);
});

test.run();
