// Operators: arithmetic (signed division and modulo included), bitwise, shifts, comparisons signed
// and unsigned, short-circuit logic, ternaries, unary operators, casts, string and tuple equality.
import { atExit, type Case } from '../case.js';
import { callGetppid, onlySelf, self } from '../harness.js';

export const operatorCases: Case[] = [
  {
    name: 'arithmetic on signed values: division and modulo truncate toward zero',
    program: 'BEGIN { $a = -7; $b = 2; $c = 7; $d = -2;'
      + ' printf("%d %d %d %d %d | %d %d | %d %d\\n", $a / $b, $a % $b, $a * $b, $a - $b, $a + $b, $c / $d, $c % $d, $a / $d, $a % $d); exit(); }',
    expect: `-3 -1 -14 -9 -5 | -3 1 | 3 -1\n${atExit()}`,
  },
  {
    name: 'arithmetic on unsigned 64-bit values',
    program: 'BEGIN { $a = (uint64)10; $b = (uint64)3; $h = 0xfffffffffffffff0;'
      + ' printf("%llu %llu %llu %llu\\n", $a / $b, $a % $b, $h / 16, $a - 11); exit(); }',
    expect: `3 1 1152921504606846975 18446744073709551615\n${atExit()}`,
  },
  {
    // Division by zero (1, with a warning, as in bpftrace) is tested in division-by-zero.test.ts.
    name: '64-bit wraparound and constant folding agree with the kernel',
    program: 'BEGIN { $big = 0x7fffffffffffffff; $min = -9223372036854775807 - 1; $five = 5;'
      + ' printf("%lld %lld %lld | %d %d | %d %d\\n", $big + 1, $min - 1, $big * 2, $five / 2, $five % 3, 17 / 5 * 5 + 17 % 5, (3 - 10) / 2); exit(); }',
    expect: `-9223372036854775808 9223372036854775807 -2 | 2 2 | 17 -3\n${atExit()}`,
  },
  {
    name: 'bitwise operators and shifts; >> is arithmetic for signed and logical for unsigned values',
    program: 'BEGIN { $a = 0xf0; $n = -16; $u = (uint64)0xffffffffffffff00;'
      + ' printf("%d %d %d %d %d %d | %d %llx | %lld %llu\\n", $a & 0x3c, $a | 0x0f, $a ^ 0xff, ~$a, $a << 4, $a >> 4, $n >> 2, $u >> 4, 1 << 63 >> 63, $u << 4 >> 60); exit(); }',
    expect: `48 255 15 -241 3840 15 | -4 ffffffffffffff0 | -1 15\n${atExit()}`,
  },
  {
    name: 'comparisons of signed values',
    program: 'BEGIN { $a = -1; $b = 1; $c = 1;'
      + ' printf("%d %d %d %d %d %d | %d %d %d %d\\n", $a < $b, $a <= $b, $a > $b, $a >= $b, $a == $b, $a != $b, $b <= $c, $b >= $c, $b < $c, $b > $c); exit(); }',
    expect: `1 1 0 0 0 1 | 1 1 0 0\n${atExit()}`,
  },
  {
    name: 'comparisons involving unsigned values compare unsigned, as in bpftrace',
    program: 'BEGIN { $a = (uint64)-1; $b = (uint64)1; printf("%d %d %d %d\\n", $a < $b, $a > $b, (uint32)5 > -1, pid > 0); exit(); }',
    expect: `0 1 0 1\n${atExit()}`,
  },
  {
    name: '&& and || short-circuit: the right side runs only when needed',
    program: 'BEGIN { $zero = 0; $one = 1;'
      + ' if ($zero && @skippedAnd++) {} if ($one || @skippedOr++) {} if ($one && @ranAnd++ >= 0) {} if ($zero || @ranOr++ >= 0) {}'
      + ' $v = $zero && @skippedValue++; $w = $one || @skippedValue++; $n = 0; $r = ($n != 0 && 10 / $n > 1); $s = ($n == 0 || 10 / $n > 1);'
      + ' printf("%d %d %d %d\\n", $v, $w, $r, $s); exit(); }',
    expect: `0 1 0 1\n${atExit('@ranAnd: 1\n@ranOr: 1\n')}`,
  },
  {
    name: 'logical operators on integers and booleans give 0 or 1',
    program: 'BEGIN { $a = 5; $b = 0; printf("%d %d %d %d %d %d\\n", $a && 7, $a && $b, $b || $a, $b || 0, !$a, !$b); exit(); }',
    expect: `1 0 1 0 0 1\n${atExit()}`,
  },
  {
    name: 'ternaries with scalar and string results, nested, with constant and run-time conditions',
    program: 'BEGIN { $x = 1 ? (0 ? 1 : 2) : 3; $y = pid > 0 ? "short" : "a longer string"; $z = 0 ? "a" : "bcd";'
      + ' $n = pid == 0 ? 10 : -10; $m = $n < 0 ? ($n < -5 ? "very" : "a bit") : "not";'
      + ' printf("%d %s %s %d %s %d\\n", $x, $y, $z, $n, $m, (pid > 0 ? 3 : 4) * 2); exit(); }',
    expect: `2 short bcd -10 very 6\n${atExit()}`,
  },
  {
    name: 'unary minus, bitwise not and logical not; true and false',
    program: 'BEGIN { $x = -5; $t = true; $f = false; printf("%d %d %d %d | %d %d %d | %d %d %d\\n", -$x, ~$x, !$x, !!$x, !0, !5, ~0, $t, $f, !$t); exit(); }',
    expect: `5 4 0 1 | 1 0 -1 | 1 0 0\n${atExit()}`,
  },
  {
    name: 'casts to every integer width truncate and sign- or zero-extend',
    program: 'BEGIN { $v = 0x1234567890abcdef; $m = -1;'
      + ' printf("%d %d %d %lld %u %u %u %llu\\n", (int8)$v, (int16)$v, (int32)$v, (int64)$v, (uint8)$v, (uint16)$v, (uint32)$v, (uint64)$v);'
      + ' printf("%d %d %d %lld %u %u %u %llu\\n", (int8)$m, (int16)$m, (int32)$m, (int64)$m, (uint8)$m, (uint16)$m, (uint32)$m, (uint64)$m);'
      + ' printf("%d %d %u %lld\\n", (int8)200, (int16)40000, (uint8)-1, (int64)(uint32)-1); exit(); }',
    expect: '-17 -12817 -1867788817 1311768467294899695 239 52719 2427178479 1311768467294899695\n'
      + '-1 -1 -1 -1 255 65535 4294967295 18446744073709551615\n-56 -25536 255 4294967295\n' + atExit(),
  },
  {
    name: 'casts stored in maps keep their value',
    program: 'BEGIN { @x = (int32)-5; @y = (uint8)300; @z = (int16)-2; @k[(uint16)70000] = 1; exit(); }',
    expect: atExit('@k[4464]: 1\n@x: -5\n@y: 44\n@z: -2\n'),
  },
  {
    name: 'string == and != with literals, variables and comm',
    program: `BEGIN { $s = comm; $t = "${self.comm}"; $longer = "${self.comm}x";`
      + ` printf("%d %d %d %d %d %d %d %d\\n", $s == $t, $s != $t, $s == "other", "x" != "y", comm == "${self.comm}", "${self.comm}" == comm, comm == $longer, comm != "${self.comm.slice(0, -1)}"); exit(); }`,
    expect: `1 0 0 1 1 1 0 1\n${atExit()}`,
  },
  {
    name: 'string comparison in a tracepoint predicate filters on comm',
    program: `tracepoint:syscalls:sys_enter_getppid /comm == "${self.comm}" && pid == ${self.pid}/ { @["same"] = count(); }`
      + ` tracepoint:syscalls:sys_enter_getppid /comm != "${self.comm}" && pid == ${self.pid}/ { @["different"] = count(); }`,
    trigger: () => callGetppid(4),
    expect: atExit('@[same]: 4\n'),
  },
  {
    name: 'tuple == and != compare element by element',
    program: 'BEGIN { $a = (1, "b"); $b = (1, "b"); $c = (1, "c"); $d = (2, "b");'
      + ' printf("%d %d %d %d %d\\n", $a == $b, $a == $c, $a != $c, $a == $d, (2, 3) == (2, 3)); exit(); }',
    expect: `1 0 1 0 1\n${atExit()}`,
  },
  {
    name: 'operators on values from a tracepoint; a stored comparison is a bool',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @x = (pid - tid) * 3 + 7; @y = (pid ^ pid) | (1 << 4); @z = pid % 1000 == ${self.pid % 1000}; }`,
    trigger: () => callGetppid(1),
    expect: atExit('@x: 7\n@y: 16\n@z: true\n'),
  },
];
