/**
 * Error goldens: malformed programs and exactly what the user sees, rendered the bpftrace way
 * (location, message, source line, marker). Each case pins message, line, column and caret.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { parser } from './helpers.js';

interface Golden {
  readonly name: string;
  readonly source: string;
  readonly expected: string;
}

const goldens: Golden[] = [
  {
    name: "missing semicolon between statements",
    source: `BEGIN { $x = 1 $y = 2; }`,
    expected: `stdin:1:16-18: ERROR: expected ';' or '}' after the statement, found '$y'
BEGIN { $x = 1 $y = 2; }
               ~~
`,
  },
  {
    name: "unclosed block at end of input",
    source: `BEGIN {
  $x = 1;
`,
    expected: `stdin:2:10: ERROR: expected '}' to close the block opened on line 1, found end of input
  $x = 1;
         ^
`,
  },
  {
    name: "missing expression",
    source: `BEGIN { $x = ; }`,
    expected: `stdin:1:14-15: ERROR: expected an expression, found ';'
BEGIN { $x = ; }
             ~
`,
  },
  {
    name: "missing closing parenthesis in if",
    source: `BEGIN
{
  if (1 { }
}`,
    expected: `stdin:3:9-10: ERROR: expected ')', found '{'
  if (1 { }
        ~
`,
  },
  {
    name: "extra closing brace",
    source: `BEGIN { @x = 1; } }`,
    expected: `stdin:1:19-20: ERROR: expected a probe, a definition or a config block, found '}'
BEGIN { @x = 1; } }
                  ~
`,
  },
  {
    name: "missing comma between arguments",
    source: `BEGIN { printf("%d %d\\n", 1 2); }`,
    expected: `stdin:1:29-30: ERROR: expected ',' or ')' in the argument list, found '2'
BEGIN { printf("%d %d\\n", 1 2); }
                            ~
`,
  },
  {
    name: "unclosed parenthesis",
    source: `BEGIN { $x = (1 + 2; }`,
    expected: `stdin:1:20-21: ERROR: expected ')', found ';'
BEGIN { $x = (1 + 2; }
                   ~
`,
  },
  {
    name: "unclosed map key",
    source: `BEGIN { @m[1 = 2; }`,
    expected: `stdin:1:14-15: ERROR: expected ']' after the map key, found '='
BEGIN { @m[1 = 2; }
             ~
`,
  },
  {
    name: "incomplete ternary",
    source: `BEGIN { $x = $a ? 2; }`,
    expected: `stdin:1:20-21: ERROR: expected ':' in the conditional expression, found ';'
BEGIN { $x = $a ? 2; }
                   ~
`,
  },
  {
    name: "missing field name after ->",
    source: `BEGIN { $x = args->; }`,
    expected: `stdin:1:20-21: ERROR: expected a field name, found ';'
BEGIN { $x = args->; }
                   ~
`,
  },
  {
    name: "missing field after dot",
    source: `BEGIN { $x = $t.; }`,
    expected: `stdin:1:17-18: ERROR: expected a field name or tuple index after '.', found ';'
BEGIN { $x = $t.; }
                ~
`,
  },
  {
    name: "let without a variable",
    source: `BEGIN { let x = 1; }`,
    expected: `stdin:1:13-14: ERROR: expected a $variable, found 'x'
BEGIN { let x = 1; }
            ~
`,
  },
  {
    name: "for with the wrong separator",
    source: `BEGIN { for ($i in @m) { } }`,
    expected: `stdin:1:17-19: ERROR: expected ':' after the loop variable, found 'in'
BEGIN { for ($i in @m) { } }
                ~~
`,
  },
  {
    name: "loop body without braces",
    source: `BEGIN { while (1) $x = 1; }`,
    expected: `stdin:1:19-21: ERROR: expected '{' to start a block, found '$x'
BEGIN { while (1) $x = 1; }
                  ~~
`,
  },
  {
    name: "dangling else",
    source: `BEGIN { if (1) { } else }`,
    expected: `stdin:1:25-26: ERROR: expected 'if' or '{' after 'else', found '}'
BEGIN { if (1) { } else }
                        ~
`,
  },
  {
    name: "else without if",
    source: `BEGIN { else { } }`,
    expected: `stdin:1:9-13: ERROR: expected a statement, found 'else'
BEGIN { else { } }
        ~~~~
`,
  },
  {
    name: "unroll without parentheses",
    source: `BEGIN { unroll 5 { } }`,
    expected: `stdin:1:16-17: ERROR: expected '(', found '5'
BEGIN { unroll 5 { } }
               ~
`,
  },
  {
    name: "dispatch case without a colon",
    source: `BEGIN { dispatch ($x) { 1 { } } }`,
    expected: `stdin:1:27-28: ERROR: expected ':' after the case label, found '{'
BEGIN { dispatch ($x) { 1 { } } }
                          ~
`,
  },
  {
    name: "unterminated predicate",
    source: `BEGIN /pid == 1 { }`,
    expected: `stdin:1:17-18: ERROR: expected '/' to end the predicate, found '{'
BEGIN /pid == 1 { }
                ~
`,
  },
  {
    name: "probe list ending in a comma",
    source: `BEGIN, { }`,
    expected: `stdin:1:8-9: ERROR: expected a probe after ',', found '{'
BEGIN, { }
       ~
`,
  },
  {
    name: "tracepoint without an event",
    source: `tracepoint:syscalls { }`,
    expected: `stdin:1:1-20: ERROR: tracepoint probe 'tracepoint:syscalls' does not have the form tracepoint:category:event
tracepoint:syscalls { }
~~~~~~~~~~~~~~~~~~~
`,
  },
  {
    name: "unknown probe type",
    source: `kprobes:vfs_read { }`,
    expected: `stdin:1:1-8: ERROR: unknown probe type 'kprobes'
kprobes:vfs_read { }
~~~~~~~
`,
  },
  {
    name: "bad interval unit",
    source: `interval:sec:1 { exit(); }`,
    expected: `stdin:1:10-13: ERROR: unknown unit 'sec' in interval probe
interval:sec:1 { exit(); }
         ~~~
HINT: units are ns, us, ms, s, m, h, d and hz
`,
  },
  {
    name: "struct field without a semicolon",
    source: `struct foo { int a[2] int b; }; BEGIN { }`,
    expected: `stdin:1:23-26: ERROR: expected ';' after the field, found 'int'
struct foo { int a[2] int b; }; BEGIN { }
                      ~~~
`,
  },
  {
    name: "config setting without =",
    source: `config = { max_strlen 5 }`,
    expected: `stdin:1:23-24: ERROR: expected '=' after the setting name, found '5'
config = { max_strlen 5 }
                      ~
`,
  },
  {
    name: "map declaration without a semicolon",
    source: `let @m = hash(10) BEGIN { }`,
    expected: `stdin:1:19-24: ERROR: expected ';' after the map declaration, found 'BEGIN'
let @m = hash(10) BEGIN { }
                  ~~~~~
`,
  },
  {
    name: "unexpected character",
    source: `BEGIN { $x = \`date\`; }`,
    expected: `stdin:1:14-15: ERROR: unexpected character '\`'
BEGIN { $x = \`date\`; }
             ~
stdin:1:19-20: ERROR: unexpected character '\`'
BEGIN { $x = \`date\`; }
                  ~
`,
  },
  {
    name: "unterminated comment",
    source: `BEGIN { $x = 1; } /* never closed`,
    expected: `stdin:1:19-21: ERROR: unterminated comment: missing */
BEGIN { $x = 1; } /* never closed
                  ~~
`,
  },
  {
    name: "unterminated string",
    source: `BEGIN {
  printf("abc);
}`,
    expected: `stdin:2:10-16: ERROR: unterminated string: missing "
  printf("abc);
         ~~~~~~
`,
  },
  {
    name: "bad escape",
    source: `BEGIN { printf("\\q"); }`,
    expected: `stdin:1:17-19: ERROR: unknown escape sequence '\\q'
BEGIN { printf("\\q"); }
                ~~
`,
  },
  {
    name: "floating-point number",
    source: `BEGIN { $x = 1.5; }`,
    expected: `stdin:1:14-17: ERROR: floating-point numbers are not supported
BEGIN { $x = 1.5; }
             ~~~
`,
  },
  {
    name: "bad number",
    source: `BEGIN { $x = 12abc; }`,
    expected: `stdin:1:14-19: ERROR: invalid number '12abc'
BEGIN { $x = 12abc; }
             ~~~~~
`,
  },
  {
    name: "bad include",
    source: `#include foo.h
BEGIN { }`,
    expected: `stdin:1:1-15: ERROR: expected <file> or "file" after '#include'
#include foo.h
~~~~~~~~~~~~~~
`,
  },
  {
    name: "assignment to a non-variable",
    source: `BEGIN { comm = "x"; }`,
    expected: `stdin:1:9-13: ERROR: only $variables and @maps can be assigned to
BEGIN { comm = "x"; }
        ~~~~
`,
  },
  {
    name: "empty map key",
    source: `BEGIN { $x = @m[]; }`,
    expected: `stdin:1:17-18: ERROR: expected a map key, found ']'
BEGIN { $x = @m[]; }
                ~
`,
  },
  {
    name: "a tab before the mistake keeps the caret aligned",
    source: `BEGIN {
\t$x = ;
}`,
    expected: `stdin:2:7-8: ERROR: expected an expression, found ';'
\t$x = ;
\t     ~
`,
  },
  {
    name: "a mistake in the second of several probes",
    source: `BEGIN { $x = 1 }
END { $y = 2 $z = 3 }`,
    expected: `stdin:2:14-16: ERROR: expected ';' or '}' after the statement, found '$z'
END { $y = 2 $z = 3 }
             ~~
`,
  },
  {
    name: "several independent mistakes are reported together",
    source: `BEGIN { $a = ; }

t:syscalls:sys_enter_read /pid == / { @reads++ }

END { $b = 1 $c = 2; print(@reads,); }`,
    expected: `stdin:1:14-15: ERROR: expected an expression, found ';'
BEGIN { $a = ; }
             ~
stdin:3:35-36: ERROR: expected an expression, found '/'
t:syscalls:sys_enter_read /pid == / { @reads++ }
                                  ~
stdin:5:14-16: ERROR: expected ';' or '}' after the statement, found '$c'
END { $b = 1 $c = 2; print(@reads,); }
             ~~
stdin:5:35-36: ERROR: expected an expression, found ')'
END { $b = 1 $c = 2; print(@reads,); }
                                  ~
`,
  },
  {
    name: "a missing parenthesis does not hide the probes after it",
    source: `BEGIN { if ($x { } }
interval:s:1 { exit() }
nosuch:probe { }`,
    expected: `stdin:1:16-17: ERROR: expected ')', found '{'
BEGIN { if ($x { } }
               ~
stdin:3:1-7: ERROR: unknown probe type 'nosuch'
nosuch:probe { }
~~~~~~
`,
  },
  {
    name: "cast with a missing parenthesis",
    source: `BEGIN { $x = (uint8 1; }`,
    expected: `stdin:1:21-22: ERROR: expected ')', found '1'
BEGIN { $x = (uint8 1; }
                    ~
`,
  },
  {
    name: "macros are reported as unsupported",
    source: `macro add($a, $b) { $a + $b }
BEGIN { }`,
    expected: `stdin:1:1-6: ERROR: 'macro' definitions are not supported
macro add($a, $b) { $a + $b }
~~~~~
`,
  },
  {
    name: "a bad probe and a broken body are both reported",
    source: `nosuch:x { $a = ; }`,
    expected: `stdin:1:1-7: ERROR: unknown probe type 'nosuch'
nosuch:x { $a = ; }
~~~~~~
stdin:1:17-18: ERROR: expected an expression, found ';'
nosuch:x { $a = ; }
                ~
`,
  },
  {
    name: "a word that is not a probe",
    source: `foo bar BEGIN { }`,
    expected: `stdin:1:1-4: ERROR: expected a probe, found 'foo'
foo bar BEGIN { }
~~~
HINT: a probe looks like tracepoint:syscalls:sys_enter_openat or BEGIN
`,
  },
];

for (const golden of goldens) {
  test(golden.name, () => {
    const result = parser.parse(golden.source, 'stdin');
    assert.is(result.program, undefined, 'a program with errors yields no tree');
    assert.is(renderDiagnostics(result.diagnostics, () => golden.source), golden.expected);
  });
}

test('the goldens all have distinct sources', () => {
  assert.is(new Set(goldens.map((golden) => golden.source)).size, goldens.length);
});

test('syntax messages never name token classes', () => {
  const classNames = /\b(Identifier|NumberLiteral|StringLiteral|LeftBrace|RightBrace|Semicolon|AttachPointText|MapName|Variable|EOF|Keyword_\w+|BinaryOperator|StrayInBlock|StrayAtTopLevel)\b/;
  for (const golden of goldens) {
    for (const diagnostic of parser.parse(golden.source, 'stdin').diagnostics) {
      assert.not.match(diagnostic.message, classNames, golden.name);
    }
  }
});

test.run();
