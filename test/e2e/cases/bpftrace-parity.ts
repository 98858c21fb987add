// Behaviour that follows today's bpftrace where tsbpf once differed (issue 14): each case is the
// program a bpftrace user would write and the output today's bpftrace prints.
import { atExit, type Case } from '../case.js';
import { closeSync, openSync } from 'node:fs';
import { callGetppid, onlySelf, self } from '../harness.js';

/** One histogram line with a single count of 1 (the bar fills the width). */
function histLine(range: string): string {
  return `${range.padEnd(22)} 1 |${'@'.repeat(52)}|\n`;
}

export const parityCases: Case[] = [
  {
    name: '?: with printf in both branches runs as an if/else statement',
    program: 'BEGIN { nsecs ? printf("yes\\n") : printf("no\\n"); 0 ? printf("yes\\n") : printf("no\\n"); exit(); }',
    expect: `yes\nno\n${atExit()}`,
  },
  {
    name: '?: over buffers of different lengths takes the longer buffer type, each keeps its own length',
    program: 'BEGIN { print(nsecs ? buf("hi", 2) : buf("bye", 3)); print(0 ? buf("hi", 2) : buf("bye", 3)); $b = 1 ? buf("x", 1) : buf("four", 4); printf("%r\\n", $b); exit(); }',
    expect: `hi\nbye\nx\n${atExit()}`,
  },
  {
    name: 'delete() returns whether the element was there',
    program: 'BEGIN { @a[1] = 1; @a[3] = 3; $x = delete(@a, 2); $y = delete(@a, 1); print(($x, $y)); if (delete(@a[3])) { printf("gone\\n"); } if (!delete(@a, 3)) { printf("already\\n"); } exit(); }',
    expect: `(false, true)\ngone\nalready\n${atExit()}`,
  },
  {
    name: 'probe names begin and end as the script spells them',
    program: 'begin { printf("%s\\n", probe); } END { printf("%s\\n", probe); } end { printf("%s\\n", probe); } BEGIN { print(probe); exit(); }',
    expect: `begin\nBEGIN\nEND\nend\n${atExit()}`,
  },
  {
    name: 'positional parameters in attach points: part of a probe name, a whole probe, a timer period',
    program: 'BEG$1 { printf("%s\\n", probe); } $2 { printf("%s\\n", probe); exit(); }',
    positional: ['IN', 'interval:ms:1'],
    expect: `BEGIN\ninterval:ms:1\n${atExit()}`,
  },
  {
    name: 'positional parameters are constants: unroll count, lhist bounds, numbers keep their base, str() keeps the text',
    program: 'BEGIN { $a = 0; unroll ($1) { $a++; } @h = lhist(3, $2, $3, $4); printf("%d %d %o 0x%x -%s-\\n", $a, $5, $6, $7, str($8)); clear(@h); exit(); }',
    positional: ['10', '0', '10', '5', '123', '0775', '0x123', '1'],
    expect: `10 123 775 0x123 -1-\n${atExit()}`,
  },
  {
    name: 'print() of a keyless map never set prints its zero value (scalars, stats, counts)',
    program: 'BEGIN { if (0) { @ = 5; @s = stats(3); @c = count(); } print(@); print(@s); print(@c); exit(); }',
    expect: `@: 0\n@s: { .count = 0, .average = 0, .total = 0 }\n@c: 0\n${atExit()}`,
  },
  {
    name: 'a keyless count has no entry until counted: clear() and delete() remove it, zero() keeps it, one never counted is not printed',
    program: 'BEGIN { @ = count(); @a[1] = count(); clear(@); clear(@a); @d = count(); @d = count(); delete(@d); @z = count(); zero(@z); if (0) { @never = count(); } exit(); }',
    expect: atExit('@z: 0\n'),
  },
  {
    // clear() and print() are done by userspace in order with the output, after the probe has run
    // (bpftrace's too): the third count is cleared with the others, and print() shows the zero value.
    name: 'clear() of a keyless count is done in order with print(): print() after it shows the zero value, nothing at exit',
    program: 'BEGIN { @ = count(); @ = count(); clear(@); @ = count(); print(@); exit(); }',
    expect: `@: 0\n${atExit()}`,
  },
  {
    name: 'histograms with equal totals print in the order of their raw key bytes (little-endian, as bpftrace); top keeps the last',
    program: 'BEGIN { @[3] = hist(10); @[256] = hist(20); @[1] = hist(30); @[-1] = hist(2); print(@, 3); clear(@); exit(); }',
    expect: `@[1]:\n${histLine('[16, 32)')}\n@[3]:\n${histLine('[8, 16)')}\n@[-1]:\n${histLine('[2, 4)')}\n${atExit()}`,
  },
  {
    name: 'histogram ties by raw key bytes in JSON too, and string keys bytewise',
    program: 'BEGIN { @[3] = hist(10); @[256] = hist(20); @[1] = hist(30); print(@, 2); @s["b"] = lhist(1, 0, 10, 5); @s["ab"] = lhist(1, 0, 10, 5); @s["a"] = lhist(1, 0, 10, 5); print(@s); clear(@); clear(@s); exit(); }',
    format: 'json',
    expect: '{"type": "hist", "data": {"@": {"1": [{"min": 16, "max": 31, "count": 1}], "3": [{"min": 8, "max": 15, "count": 1}]}}}\n'
      + '{"type": "hist", "data": {"@s": {"a": [{"min": 0, "max": 4, "count": 1}], "ab": [{"min": 0, "max": 4, "count": 1}], "b": [{"min": 0, "max": 4, "count": 1}]}}}\n',
  },
  {
    name: 'for over per-CPU aggregations sees each value combined over the CPUs (count, sum, max, avg)',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @c[1] = count(); @s[1] = sum(5); @m["a"] = max(@c[1]); @a[2] = avg(10); }`
      + ' END { for ($kv : @c) { printf("c %d %d\\n", $kv.0, $kv.1); } for ($kv : @s) { printf("s %d\\n", $kv.1); }'
      + ' for ($kv : @m) { printf("m %s %d\\n", $kv.0, $kv.1); } for ($kv : @a) { printf("a %d\\n", $kv.1); } clear(@c); clear(@s); clear(@m); clear(@a); }',
    trigger: () => callGetppid(7),
    expect: `c 1 7\ns 35\nm a 7\na 10\n${atExit()}`,
  },
  {
    name: 'a syscall field declared int is signed even where tracefs says signed:0 (openat flags with O_CLOEXEC)',
    program: `tracepoint:syscalls:sys_enter_openat /pid == ${self.pid} && str(args.filename) == "/etc/hostname"/ { printf("%d %d\\n", args.flags, -args.flags < 0); }`,
    trigger: () => closeSync(openSync('/etc/hostname', 'r')),
    expect: `${0o2000000} 1\n${atExit()}`, // Node opens with O_CLOEXEC (0o2000000 on Linux)
  },
];
