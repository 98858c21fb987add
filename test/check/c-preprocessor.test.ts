// The `#` lines of a script's definitions: which branches count, which macros end up defined, how a
// macro expands in a probe, and what is refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scriptDefinitions } from '../../src/check/script-types.js';
import type { Host } from '../../src/model/host.js';
import type { Expression } from '../../src/parser/ast.js';
import { printExpression } from '../../src/parser/printer.js';
import { parse, providerSyntax } from '../support/parse.js';

/** A host without kernel BTF; nothing else is asked of it here. */
const noBtf = { kernelBtf: () => undefined } as unknown as Host;

function definitionsOf(source: string, kernel = false) {
  const parsed = parse(`${source}\nBEGIN { }`);
  if (!parsed.program) throw new Error(parsed.diagnostics.map((one) => one.message).join('; '));
  return scriptDefinitions(parsed.program, {
    host: noBtf,
    syntax: providerSyntax,
    // Stands for "the kernel has BTF" without reading it: no kernel type is named below.
    ...(kernel ? { kernel: { available: () => true, named: () => undefined, enumerator: () => undefined } } : {}),
  });
}

function macroNames(source: string, kernel = false): string[] {
  const result = definitionsOf(source, kernel);
  assert.equal(result.diagnostics.map((one) => one.message), []);
  return [...result.macros.keys()].filter((name) => !name.startsWith('__')).sort();
}

test('#if, #ifdef, #ifndef, #elif and #else choose the lines that count, nested ones too', () => {
  assert.equal(macroNames('#ifdef BPFTRACE_HAVE_BTF\n#define WITH 1\n#else\n#define WITHOUT 1\n#endif', true), ['BPFTRACE_HAVE_BTF', 'WITH']);
  assert.equal(macroNames('#ifdef BPFTRACE_HAVE_BTF\n#define WITH 1\n#else\n#define WITHOUT 1\n#endif', false), ['WITHOUT']);
  assert.equal(macroNames('#define N 3\n#if N > 4\n#define A 1\n#elif N == 3 && defined(N) && !defined NOPE\n#define B 1\n#elif 1\n#define C 1\n#else\n#define D 1\n#endif'), ['B', 'N']);
  assert.equal(macroNames('#if 0\n#if 1\n#define INNER 1\n#else\n#define INNER_ELSE 1\n#endif\n#define OUTER 1\n#endif'), []);
  assert.equal(macroNames('#ifndef X\n#define X 1\n#endif\n#ifndef X\n#define TWICE 1\n#endif'), ['X']);
  assert.equal(macroNames('#define A 1\n#define B 2\n#undef A\n#pragma once'), ['B']);
  assert.equal(macroNames('#if (1 << 3) % 5 == 3 ? UNDEFINED_IS_ZERO == 0 : 0\n#define ARITHMETIC 1\n#endif'), ['ARITHMETIC']);
});

test('structs inside an inactive branch are not defined', () => {
  const result = definitionsOf('#if 0\nstruct a { int x; };\n#else\nstruct a { char c; };\n#endif');
  assert.equal(result.diagnostics, []);
  const record = result.records.get('struct a');
  assert.ok(record?.kind === 'record' && record.size === 1);
});

test('macros expand in probes: object-like ones reparsed, function-like ones with their arguments, recursively', () => {
  const parsed = parse('#define BASE 40\n#define FOO BASE + 2\n#define MUL(a, b) ((a) * (b))\nBEGIN { @x = FOO; @y = MUL(FOO, 1 + 1); @z = pid; }');
  const result = scriptDefinitions(parsed.program!, { host: noBtf, syntax: providerSyntax });
  assert.equal(result.diagnostics, []);
  const values = result.program.probes[0]!.body.statements.map((one) => (one.kind === 'assignment' ? printExpression(one.value as Expression) : ''));
  assert.equal(values, ['40 + 2', '(40 + 2) * (1 + 1)', 'pid']);
  const first = result.program.probes[0]!.body.statements[0] as { value: Expression };
  assert.equal([first.value.span.line, first.value.span.column], [4, 14], 'an expansion is located at its use');
  const untouched = parse('#define UNUSED 1\nBEGIN { @a = 1; }');
  assert.is(scriptDefinitions(untouched.program!, { host: noBtf, syntax: providerSyntax }).program, untouched.program, 'no use, no copy');
});

test('misuses of # lines are reported where they are', () => {
  const messages = (source: string) => definitionsOf(source).diagnostics.map((one) => `${one.span.line}:${one.span.column} ${one.message}`);
  assert.equal(messages('#else'), ['1:1 #else without #if']);
  assert.equal(messages('#if 1\n#else\n#else\n#endif'), ['3:1 #else after #else']);
  assert.equal(messages('#if 1 +\n#endif'), ["1:1 #if: cannot read '1 +' as a condition"]);
  assert.equal(messages('#ifdef\n#endif'), ['1:1 #ifdef needs one macro name']);
  assert.equal(messages('#error no way'), ['1:1 #error no way']);
  assert.equal(messages('#frobnicate'), ["1:1 unknown preprocessor directive '#frobnicate'"]);
  assert.equal(messages('#include <linux/sched.h>'), ["1:1 cannot include <linux/sched.h>: tsbpf takes kernel types from the kernel's BTF, and this kernel has none"]);
  assert.equal(definitionsOf('#include <linux/sched.h>\n#include <stdint.h>\n#include <sys/xattr.h>', true).diagnostics, []);
});

test('a definition expands the macros defined where it stands; comments on # lines are no part of them', () => {
  const result = definitionsOf('#define my_t unsigned short /* a type */\n#define N 4 // four\n#ifdef N // yes\nstruct s { my_t a[N]; };\n#endif /* N */\n#undef N // gone\n#define N 8\nstruct t { char b[N]; };\n#define S "a // b"');
  assert.equal(result.diagnostics, []);
  assert.equal(['struct s', 'struct t'].map((name) => result.records.get(name)?.kind === 'record' && (result.records.get(name) as { size: number }).size), [8, 8]);
  assert.is(result.macros.get('S')?.body, '"a // b"');
  assert.equal(definitionsOf('struct s { int a[LATER]; };\n#define LATER 2').diagnostics.map((one) => one.message), ["'LATER' is not a constant: a constant is needed here"]);
});

test.run();
