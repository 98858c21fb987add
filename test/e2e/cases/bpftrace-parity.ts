// Behaviour that follows today's bpftrace where tsbpf once differed (issue 14): each case is the
// program a bpftrace user would write and the output today's bpftrace prints.
import { atExit, type Case } from '../case.js';
import { closeSync, openSync } from 'node:fs';
import { callGetppid, onlySelf, self } from '../harness.js';

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
    expect: `@: 0\n@s: { .count = 0, .average = 0, .total = 0 }\n@c: 0\n${atExit('@c: 0\n')}`,
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
