// Plain maps and the map functions: assignment and compound updates, tuple keys and values, the
// anonymous @, reading maps in expressions, delete, clear, zero, has_key and print.
import { atExit, type Case } from '../case.js';
import { callGetppid, onlySelf, self } from '../harness.js';
import { row } from './aggregations.js';

export const mapCases: Case[] = [
  {
    name: 'assignment, ++, --, and every compound operator on map values',
    program: 'BEGIN { @x = 5; @x = 6; @y++; @y++; @y--; @z += 7; @z -= 2; @z *= 3; @w = 100; @w /= 7; @w %= 5;'
      + ' @b = 12; @b &= 10; @b |= 1; @b ^= 4; @sh = 1; @sh <<= 4; @sh >>= 2; exit(); }',
    expect: atExit('@b: 13\n@sh: 4\n@w: 4\n@x: 6\n@y: 1\n@z: 15\n'),
  },
  {
    name: 'prefix and postfix ++/-- on a map yield the new and the old value',
    program: 'BEGIN { @a = 1; $old = @a++; $new = ++@a; $before = @a--; $after = --@a; printf("%d %d %d %d %d\\n", $old, $new, $before, $after, @a); exit(); }',
    expect: `1 3 3 1 1\n${atExit('@a: 1\n')}`,
  },
  {
    name: 'map counters from a tracepoint: @x++ and @x += v per event',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @n++; @sum += 2; @per[tid]++; }`,
    trigger: () => callGetppid(12),
    expect: atExit(`@n: 12\n@per[${self.pid}]: 12\n@sum: 24\n`),
  },
  {
    name: 'the anonymous map @, keyless and keyed',
    program: 'BEGIN { @ = 3; @named[1] = count(); exit(); } END { @ += 4; }',
    expect: atExit('@: 7\n@named[1]: 1\n'),
  },
  {
    name: 'tuple values and tuple keys, read back element by element',
    program: 'BEGIN { @t = (1, "ab", -3); @k["a", 2] = ("v", 7); @k["b", 1] = ("w", 8);'
      + ' printf("%d %s %d %s %d\\n", @t.0, @t.1, @t.2, @k["a", 2].0, @k["b", 1].1); exit(); }',
    expect: `1 ab -3 v 8\n${atExit('@k[a, 2]: (v, 7)\n@k[b, 1]: (w, 8)\n@t: (1, ab, -3)\n')}`,
  },
  {
    name: 'maps keyed by comm and pid together',
    program: 'BEGIN { @t[comm, pid] = ("s", 5, comm); exit(); }',
    expect: atExit(`@t[${self.comm}, ${self.pid}]: (s, 5, ${self.comm})\n`),
  },
  {
    name: 'reading maps in expressions; a missing key reads as zero or an empty string',
    program: 'BEGIN { @m[1] = 1; @n[1] = 2; @n[2] = 3; @s["a"] = "hello";'
      + ' $x = @n[1] + @m[1] * 10; $missing = @n[9]; printf("%d %d %d %d [%s] [%s]\\n", $x, $missing, @n[2] > @m[1], @n[@m[1] + 1], @s["a"], @s["b"]); exit(); }',
    expect: `12 0 1 3 [hello] []\n${atExit('@m[1]: 1\n@n[1]: 2\n@n[2]: 3\n@s[a]: hello\n')}`,
  },
  {
    name: 'a map written in BEGIN and read in a tracepoint and in END',
    program: `BEGIN { @limit = 3; } tracepoint:syscalls:sys_enter_getppid ${onlySelf} { if (@seen < @limit) { @seen++; } }`
      + ' END { printf("%d of %d\\n", @seen, @limit); }',
    trigger: () => callGetppid(10),
    expect: `3 of 3\n${atExit('@limit: 3\n@seen: 3\n')}`,
  },
  {
    name: 'delete() by element and by key, on tuple-keyed and aggregation maps',
    program: 'BEGIN { @m[1, "a"] = 1; @m[2, "b"] = 2; @m[3, "c"] = 3; delete(@m[1, "a"]); delete(@m, (2, "b"));'
      + ' @s["x"] = count(); @s["y"] = count(); delete(@s["x"]); @v = 1; delete(@v); exit(); }',
    expect: atExit('@m[3, c]: 3\n@s[y]: 1\n'),
  },
  {
    name: 'has_key() for present, deleted and absent keys',
    program: 'BEGIN { @m[1, "a"] = 1; @m[3, "c"] = 3; delete(@m[1, "a"]); @s["x"] = count();'
      + ' printf("%d %d %d %d\\n", has_key(@m, (3, "c")), has_key(@m[1, "a"]), has_key(@s, "x"), has_key(@s["nope"])); exit(); }',
    expect: `1 0 1 0\n${atExit('@m[3, c]: 3\n@s[x]: 1\n')}`,
  },
  {
    name: 'clear() empties a map and zero() keeps its keys with zero values',
    program: 'BEGIN { @m[1] = 1; @m[2] = 2; @c = count(); @c = count(); @h = hist(4); @keep = 7; clear(@m); zero(@c); zero(@h); exit(); }'
      + ' END { @m[3] = 3; @c = count(); }',
    expect: atExit('@c: 1\n@h:\n\n@keep: 7\n@m[3]: 3\n'),
  },
  {
    name: 'print(@m), print(@m, top) and print(@m, top, divisor)',
    program: 'BEGIN { @c[1] = count(); @c[2] = count(); @c[2] = count(); @c[3] = count(); @c[3] = count(); @c[3] = count();'
      + ' print(@c); print(@c, 2); print(@c, 0, 2); @h = hist(8); @h = hist(9); print(@h, 0, 2); exit(); }',
    expect: '@c[1]: 1\n@c[2]: 2\n@c[3]: 3\n' + '@c[2]: 2\n@c[3]: 3\n' + '@c[1]: 0\n@c[2]: 1\n@c[3]: 1\n'
      + `@h:\n${row('[8, 16)', 1, 1)}\n` + atExit(`@c[1]: 1\n@c[2]: 2\n@c[3]: 3\n@h:\n${row('[8, 16)', 2, 2)}\n`),
  },
  {
    name: 'print() of an integer, a string, a tuple and comm',
    program: 'BEGIN { print(5); print(-7); print("str"); print((1, "x")); print(comm); $v = 40; print($v + 2); exit(); }',
    expect: `5\n-7\nstr\n(1, x)\n${self.comm}\n42\n${atExit()}`,
  },
];
