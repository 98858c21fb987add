// Compile errors end to end: each program must not compile, and the rendered diagnostics (message,
// span, caret line and hint) are compared in full. No kernel object is created for any of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileErrors } from './harness.js';

/** A stack-overflow case: the diagnostic underlines `culprit` and names the bytes it asked for. */
function stackOverflow(name: string, program: string, culprit: string, bytes: number): readonly [string, string, string] {
  const column = program.indexOf(culprit) + 1;
  return [`stack overflow: ${name}`, program,
    `test.bt:1:${column}-${column + culprit.length}: ERROR: this needs ${bytes} more bytes of BPF stack, past the 512-byte stack and the scratch area of a probe\n`
    + `${program}\n${' '.repeat(column - 1)}${'~'.repeat(culprit.length)}\n`
    + 'HINT: use fewer or shorter strings and tuples in one probe\n'];
}

const cases: readonly (readonly [name: string, program: string, rendered: string])[] = [
  ['a map assigned an int, then a string: the error is at the second value',
    'BEGIN { @x = 1; @x = "a"; }',
    'test.bt:1:22-25: ERROR: type mismatch for @x: it holds int64, this is string[2]\n'
    + 'BEGIN { @x = 1; @x = "a"; }\n'
    + '                     ~~~\n'],
  ['a map assigned a string, then an int',
    'BEGIN { @x = "a"; @x = 1; }',
    'test.bt:1:24-25: ERROR: type mismatch for @x: it holds string[2], this is int64\n'
    + 'BEGIN { @x = "a"; @x = 1; }\n'
    + '                       ~\n'],
  ['map keys of different types',
    'BEGIN { @x[1] = 1; @x["a"] = 2; }',
    'test.bt:1:20-27: ERROR: key type mismatch for @x: it has int64 keys, this is string[2]\n'
    + 'BEGIN { @x[1] = 1; @x["a"] = 2; }\n'
    + '                   ~~~~~~~\n'],
  ['a map used with and without a key',
    'BEGIN { @x = 1; @x[1] = 2; }',
    'test.bt:1:17-22: ERROR: @x is used without a key elsewhere\n'
    + 'BEGIN { @x = 1; @x[1] = 2; }\n'
    + '                ~~~~~\n'],
  ['two different aggregations in one map',
    'BEGIN { @x = count(); @x = sum(1); }',
    'test.bt:1:28-34: ERROR: type mismatch for @x: it holds count() values, this is sum() values\n'
    + 'BEGIN { @x = count(); @x = sum(1); }\n'
    + '                           ~~~~~~\n'],
  ['hist() with two precisions in one map',
    'BEGIN { @h = hist(1, 1); @h = hist(2, 2); }',
    'test.bt:1:31-41: ERROR: type mismatch for @h: it holds hist() values with precision 1, this is hist() values with precision 2\n'
    + 'BEGIN { @h = hist(1, 1); @h = hist(2, 2); }\n'
    + '                              ~~~~~~~~~~\n'],
  ['a variable assigned an int, then a string',
    'BEGIN { $x = 1; $x = "a"; }',
    'test.bt:1:22-25: ERROR: type mismatch: $x is int64, this is string[2]\n'
    + 'BEGIN { $x = 1; $x = "a"; }\n'
    + '                     ~~~\n'],
  ['printf with too few arguments',
    'BEGIN { printf("%d %s\\n", 1); }',
    'test.bt:1:9-29: ERROR: printf: the format has 2 conversions but 1 argument is given\n'
    + 'BEGIN { printf("%d %s\\n", 1); }\n'
    + '        ~~~~~~~~~~~~~~~~~~~~\n'],
  ['printf %d given a string',
    'BEGIN { printf("%d\\n", comm); }',
    'test.bt:1:24-28: ERROR: printf: %d needs an integer, but this is string[16]\n'
    + 'BEGIN { printf("%d\\n", comm); }\n'
    + '                       ~~~~\n'],
  ['arithmetic on a string',
    'BEGIN { $x = comm + 1; }',
    'test.bt:1:14-18: ERROR: \'+\' needs integers, not string[16]\n'
    + 'BEGIN { $x = comm + 1; }\n'
    + '             ~~~~\n'],
  ['an undefined map and an undefined variable',
    'BEGIN { print(@nothing); $y = $undefined + 1; }',
    'test.bt:1:15-23: ERROR: undefined map: @nothing\n'
    + 'BEGIN { print(@nothing); $y = $undefined + 1; }\n'
    + '              ~~~~~~~~\n'
    + 'HINT: a map must be assigned somewhere in the script\n'
    + 'test.bt:1:31-41: ERROR: undefined variable: $undefined\n'
    + 'BEGIN { print(@nothing); $y = $undefined + 1; }\n'
    + '                              ~~~~~~~~~~\n'],
  ['an aggregation used as a statement',
    'BEGIN { count(); }',
    'test.bt:1:9-16: ERROR: count() must be assigned to a map, e.g. @x = count(…)\n'
    + 'BEGIN { count(); }\n'
    + '        ~~~~~~~\n'],
  ['break outside a loop',
    'BEGIN { break; }',
    'test.bt:1:9-14: ERROR: \'break\' outside a loop\n'
    + 'BEGIN { break; }\n'
    + '        ~~~~~\n'],
  ['an unknown tracepoint field, with the fields it has',
    'tracepoint:syscalls:sys_enter_openat { @ = args.nofield; }',
    'test.bt:1:44-56: ERROR: the tracepoint has no field \'nofield\'\n'
    + 'tracepoint:syscalls:sys_enter_openat { @ = args.nofield; }\n'
    + '                                           ~~~~~~~~~~~~\n'
    + 'HINT: its fields: __syscall_nr, dfd, filename, flags, mode\n'],
  ['an error in a block attached to two tracepoints is reported once',
    'tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:sys_exit_getppid { @[nosuch] = count(); }',
    'test.bt:1:80-86: ERROR: unknown identifier: nosuch\n'
    + 'tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:sys_exit_getppid { @[nosuch] = count(); }\n'
    + '                                                                               ~~~~~~\n'],
  ['a for loop over a map cannot hold a dispatch (its body is a callback: no tail calls from there)',
    'BEGIN { @m[1] = 1; for ($kv : @m) { dispatch ($kv.0) { 1: { printf("one\\n"); } } } }',
    'test.bt:1:37-81: ERROR: dispatch cannot be used inside a for loop over a map\n'
    + 'BEGIN { @m[1] = 1; for ($kv : @m) { dispatch ($kv.0) { 1: { printf("one\\n"); } } } }\n'
    + '                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n'
    + 'HINT: the loop body runs as a BPF callback function, and a tail call cannot be made from one\n'],
  ['let of a call with no value (found by the front-end fuzzer: an internal error before)',
    'BEGIN { let $v = printf("x"); let $w: int64 = exit(); }',
    'test.bt:1:18-29: ERROR: this expression has no value to assign\n'
    + 'BEGIN { let $v = printf("x"); let $w: int64 = exit(); }\n'
    + '                 ~~~~~~~~~~~\n'
    + 'test.bt:1:47-53: ERROR: this expression has no value to assign\n'
    + 'BEGIN { let $v = printf("x"); let $w: int64 = exit(); }\n'
    + '                                              ~~~~~~\n'],
  stackOverflow('65 integer variables: the 65th does not fit in 512 bytes (small values never move to the scratch area)',
    `BEGIN { ${Array.from({ length: 65 }, (_, index) => `$v${index} = ${index};`).join(' ')} }`, '$v64 = 64', 8),
  stackOverflow('a 40000-byte string is larger than any one value may be (32 KiB: offsets from a map value pointer are 16 bits)',
    'config = { max_strlen = 40000 } BEGIN { @s = str(0); }', '@s = str(0)', 40000),
];

for (const [name, program, rendered] of cases) {
  test(name, () => {
    assert.fixture(compileErrors(program), rendered);
  });
}

test('an expression needing more registers than exist is a diagnostic at the innermost value, not a crash', () => {
  let nested = '@a[1]';
  for (let depth = 0; depth < 5; depth++) nested = `@a[1] + (@a[1] > 2 ? ${nested} : 0)`;
  const rendered = compileErrors(`BEGIN { @a[1] = 3; printf("%d\\n", ${nested}); }`);
  assert.match(rendered, /^test\.bt:1:\d+-\d+: ERROR: expression too complex: a value pinned across a branch had to leave its register\n/);
  assert.match(rendered, /\nHINT: split the expression with a \$variable\n$/);
});

test.run();
