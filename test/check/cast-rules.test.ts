// Casts checked as today's bpftrace checks them (type_checker's cast rules): a cast to the type the
// value already has is a warning, a constant cast to an enum must name one of its values, an unknown
// enum is named as such, and a string may be cast to a wider string but not a narrower one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';

function messages(source: string): string[] {
  return compile(source, { fileName: 'test.bt' }).diagnostics.map((diagnostic) => `${diagnostic.severity}: ${diagnostic.message}`);
}

test('a cast to the value\'s own type warns: integers, bools, strings, arrays', () => {
  assert.equal(messages('BEGIN { $x = (uint64)1; $a = (uint64)$x; }'), ['warning: Unnecessary cast: expression is already of type uint64']);
  assert.equal(messages('BEGIN { $b = true; $a = (bool)$b; }'), ['warning: Unnecessary cast: expression is already of type bool']);
  assert.equal(messages('BEGIN { $a = (string[6])"hello"; }'), ['warning: Unnecessary cast: expression is already of type string[6]']);
  assert.equal(messages('BEGIN { $a = (uint8[4])pton("127.0.0.1"); }'), ['warning: Unnecessary cast: expression is already of type uint8[4]']);
  assert.equal(messages('struct Foo { int m; } BEGIN { $p = (struct Foo *)0; $q = (struct Foo *)$p; }'), ['warning: Unnecessary cast: expression is already of type struct Foo *']);
});

test('casts that change the type do not warn', () => {
  assert.equal(messages('BEGIN { $x = (int64)1; $a = (uint64)$x; $b = (uint32)$a; $s = (string[10])"hello"; }'), []);
  assert.equal(messages('enum E { A = 1 } BEGIN { $e = (enum E)1; $i = (uint64)$e; }'), []);
  // A literal's own type differs between tsbpf (int64) and today's bpftrace (the smallest that holds it).
  assert.equal(messages('BEGIN { $a = (int64)1; }'), []);
});

test('enum casts: a constant must be a variant; an unknown enum is named', () => {
  assert.equal(messages('enum named { a = 1, b } BEGIN { print((enum named)2); }'), []);
  assert.equal(messages('enum named { a = 1, b } BEGIN { print((enum named)3); }'), ['error: Enum: named doesn\'t contain a variant value of 3']);
  assert.equal(messages('enum Foo { a = 1, b } BEGIN { print((enum Bar)1); }'), ['error: Unknown enum: Bar']);
  // A value known only at run time prints as a number when it is no variant (see enum printing).
  assert.equal(messages('enum named { a = 1, b } BEGIN { print((enum named)pid); }'), []);
});

test('strings widen, never narrow; numbers are not strings', () => {
  assert.equal(messages('BEGIN { $a = (string[4])"hello"; }'), ['error: Cannot cast from "string[6]" to "string[4]"']);
  assert.equal(messages('BEGIN { $a = (string[2])5; }'), ['error: Cannot cast from "int64" to "string[2]"']);
});

test.run();
