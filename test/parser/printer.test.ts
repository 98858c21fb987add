import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Expression } from '../../src/parser/ast.js';
import { printExpression, printProgram, printType, quoteString } from '../../src/parser/printer.js';
import { expressionOf, parseOk, parser, withoutSpans } from './helpers.js';
import { loadExamples } from './examples.js';

test('every example survives print → parse unchanged (and printing is stable)', () => {
  const examples = loadExamples();
  assert.ok(examples.length >= 15);
  for (const example of examples) {
    const program = parseOk(example.source, example.name);
    const printed = printProgram(program);
    const reparsed = parser.parse(printed, example.name).program!;
    assert.equal(withoutSpans(reparsed), withoutSpans(program), example.name);
    assert.is(printProgram(reparsed), printed, `${example.name}: printing is not a fixed point`);
  }
});

test('canonical layout of a program', () => {
  const program = parseOk(`#!/usr/bin/env tsbpf
#include <linux/sched.h>
#define N 4
struct s { int a; char *names[2]; unsigned int f : 3; };
enum e { A, B = 3 };
config = { max_strlen = 64 }
let @m = hash(N);
t:syscalls:sys_enter_read,t:syscalls:sys_enter_write/pid==1&&comm!="x"/{@[probe]=count();if($a){$b++}else if(!$c){}else{return}}
END{for($kv:@m){print($kv.0)}for($i:0..N){}dispatch(1){1,2:{}}}`);
  assert.is(
    printProgram(program),
    `#!/usr/bin/env tsbpf

#include <linux/sched.h>
#define N 4
struct s {
  int a;
  char *names[2];
  unsigned int f : 3;
};
enum e {
  A,
  B = 3,
};

config = {
  max_strlen = 64;
}

let @m = hash(N);

t:syscalls:sys_enter_read, t:syscalls:sys_enter_write /pid == 1 && comm != "x"/ {
  @[probe] = count();
  if ($a) {
    $b++;
  } else if (!$c) {} else {
    return;
  }
}

END {
  for ($kv : @m) {
    print($kv.0);
  }
  for ($i : 0..N) {}
  dispatch (1) {
    1, 2: {}
  }
}
`,
  );
});

test('expressions get only the parentheses they need', () => {
  const cases: Array<[string, string]> = [
    ['(1 + 2) * 3', '(1 + 2) * 3'],
    ['1 + (2 * 3)', '1 + 2 * 3'],
    ['(1 - 2) - 3', '1 - 2 - 3'],
    ['1 - (2 - 3)', '1 - (2 - 3)'],
    ['($a ? 1 : 2) + 3', '($a ? 1 : 2) + 3'],
    ['$a ? $b : $c ? 1 : 2', '$a ? $b : $c ? 1 : 2'],
    ['($a ? $b : $c) ? 1 : 2', '($a ? $b : $c) ? 1 : 2'],
    ['-(1 + 2)', '-(1 + 2)'],
    ['- -$a', '- -$a'],
    ['&(&$a)', '& &$a'],
    ['-(--$a)', '- --$a'],
    ['--(-$a)', '-- -$a'],
    ['!!$a', '!!$a'],
    ['(uint8)($a + 1)', '(uint8)($a + 1)'],
    ['(-$a).x', '(-$a).x'],
    ['(1).0', '(1).0'],
    ['(*$p)->f[2]', '(*$p)->f[2]'],
    ['*$p->f', '*$p->f'],
    ['($a + 1)++', '($a + 1)++'],
    ['(struct foo **)$p', '(struct foo **)$p'],
    ['(int8[8])$p', '(int8[8])$p'],
    ['sizeof(struct foo) + offsetof(struct foo, a.b)', 'sizeof(struct foo) + offsetof(struct foo, a.b)'],
    ['@m[1, (2, 3)]', '@m[1, (2, 3)]'],
    ['$1 + $#', '$1 + $#'],
  ];
  for (const [source, printed] of cases) {
    const expression = expressionOf(source);
    assert.is(printExpression(expression), printed, source);
    assert.equal(withoutSpans(expressionOf(printed)), withoutSpans(expression), `reparse of ${printed}`);
  }
});

test('trees built by hand print with the parentheses their shape needs', () => {
  const span = { file: 'x', line: 1, column: 1, offset: 0, length: 0 };
  const variable = (name: string): Expression => ({ kind: 'variable', span, name });
  const sum: Expression = { kind: 'binary', span, operator: '+', left: variable('a'), right: variable('b') };
  const product: Expression = { kind: 'binary', span, operator: '*', left: sum, right: sum };
  assert.is(printExpression(product), '($a + $b) * ($a + $b)');
  const shifted: Expression = { kind: 'binary', span, operator: '<<', left: variable('a'), right: product };
  assert.is(printExpression(shifted), '$a << ($a + $b) * ($a + $b)');
  const negated: Expression = { kind: 'unary', span, operator: '!', operand: shifted };
  assert.is(printExpression(negated), '!($a << ($a + $b) * ($a + $b))');
});

test('strings are re-escaped so that they read back as the same bytes', () => {
  assert.is(quoteString('a"b\\c\n\t\r'), '"a\\"b\\\\c\\n\\t\\r"');
  assert.is(quoteString('\0\x01\x7f\xff'), '"\\x00\\x01\\x7f\\xff"');
  const bytes = '\xc3\xa9 \x1b[0m';
  assert.equal(withoutSpans(expressionOf(quoteString(bytes))), { kind: 'string', value: bytes });
});

test('types', () => {
  const span = { file: 'x', line: 1, column: 1, offset: 0, length: 0 };
  assert.is(printType({ kind: 'arrayType', span, element: { kind: 'namedType', span, name: 'string' }, length: 16 }), 'string[16]');
  assert.is(printType({ kind: 'pointerType', span, target: { kind: 'recordType', span, keyword: 'union', name: 'u' } }), 'union u *');
});

test('a long list of attach points goes one per line', () => {
  const names = ['read', 'write', 'openat', 'close', 'newfstatat', 'lseek'].map((name) => `tracepoint:syscalls:sys_enter_${name}`);
  const printed = printProgram(parseOk(`${names.join(',')} { @[probe] = count(); }`));
  assert.is(printed, `${names.join(',\n')} {\n  @[probe] = count();\n}\n`);
});

test('an empty program prints as nothing', () => {
  assert.is(printProgram(parseOk('')), '');
});


test('C definitions print back to the same tree: attributes, inline and anonymous members, length expressions', () => {
  const program = parseOk(`struct __attribute__((packed)) s { int a __attribute__((aligned(8))); struct { int x; }; union u { int i; } v;
    struct t { int z; }; enum { P, Q = 2 } e; void (*f[2])(int); unsigned int : 0; char n[L + 1]; int tail[]; } __attribute__((aligned(16)))
enum { A, B } BEGIN { }`);
  const printed = printProgram(program);
  assert.equal(withoutSpans(parser.parse(printed, 'test.bt').program), withoutSpans(program));
  assert.ok(printed.includes('struct s {\n  struct t {\n    int z;\n  };\n  int a __attribute__((aligned(8)));\n  struct {\n    int x;\n  };\n'), printed);
  assert.ok(printed.includes('} __attribute__((packed, aligned(16)));'), printed);
});

test.run();
