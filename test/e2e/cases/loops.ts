// Loops whose bodies branch run as bpf_loop callbacks, and for-map bodies are callbacks too: both
// reach the probe's variables, context and scratch area through its frame pointer, and can leave the
// probe. These cases check the results, not the lowering (see test/codegen/loop-callback.test.ts).
import { openSync, closeSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { atExit, type Case } from '../case.js';
import { callGetppid, onlySelf } from '../harness.js';

/** One openat from this thread (Node's fs calls it synchronously). */
function openDevNull(): void {
  closeSync(openSync('/dev/null', 'r'));
}

export const loopCases: Case[] = [
  {
    name: 'a branching while loop of ten thousand iterations (past what the verifier can walk)',
    program: 'BEGIN { $s = 0; $i = 0; while ($i < 10000) { if ($i % 3 == 0) { $s += $i; } $i++; } printf("%d %d\\n", $s, $i); exit(); }',
    expect: `16668333 10000\n${atExit()}`,
  },
  {
    name: 'a branching while loop whose condition counts down (`($i--) > 0`): the condition\'s variable is forgotten per iteration too',
    program: 'BEGIN { $i = 2000; $odd = 0; while (($i--) > 0) { if ($i % 2) { $odd++; } } printf("%d %d\\n", $i, $odd); exit(); }',
    expect: `-1 1000\n${atExit()}`,
  },
  {
    name: 'strlen(str(probe)) compared in a 15-iteration while (once a verifier complexity failure)',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { $w = 0; $hits = 0;`
      + ' while ($w < 15) { $w++; if ((($w * 5) % 38) == strlen(str(probe)) - 35) { $hits++; } } printf("%d %d\\n", $w, $hits); exit(); }',
    trigger: () => callGetppid(1),
    awaitExit: true,
    expect: `15 1\n${atExit()}`,
  },
  {
    name: 'len() beside printf in a hundred iterations',
    program: 'BEGIN { @m[1] = 1; @m[2] = 2; $i = 0; $total = 0; while ($i < 100) { $total += len(@m); if ($i % 50 == 0) { printf("%d %d\\n", $i, len(@m)); } $i++; }'
      + ' printf("%d\\n", $total); exit(); }',
    expect: `0 2\n50 2\n200\n${atExit('@m[1]: 1\n@m[2]: 2\n')}`,
  },
  {
    name: 'straight-line loops of 300,000 iterations (a range and a while): too long for the verifier to walk',
    program: 'BEGIN { $s = 0; for ($i : 0..300000) { $s += $i; } $j = 0; $t = 0; while ($j < 300000) { $t += $j; $j++; } printf("%lld %lld %d\\n", $s, $t, $j); exit(); }',
    expect: `44999850000 44999850000 300000\n${atExit()}`,
  },
  {
    name: 'a range whose bounds are only known at run time',
    program: 'BEGIN { $a = pid - pid + 3; $b = $a * 4; $n = 0; for ($i : $a..$b) { $n += $i; } for ($j : $b..$a) { $n += 1000; } printf("%d\\n", $n); exit(); }',
    expect: `63\n${atExit()}`,
  },
  {
    name: 'continue and break in a range callback',
    program: 'BEGIN { $s = 0; for ($i : 0..20) { if ($i == 3) { continue; } if ($i == 10) { break; } $s += $i; } printf("%d\\n", $s); exit(); }',
    expect: `42\n${atExit()}`,
  },
  {
    name: 'exit() inside a loop callback ends the probe: nothing after the loop runs',
    program: 'BEGIN { $i = 0; while ($i < 100) { $i++; if ($i == 7) { printf("at %d\\n", $i); exit(); } } printf("after\\n"); @after = 1; }',
    expect: `at 7\n${atExit()}`,
  },
  {
    name: 'return inside a nested range callback leaves only its probe',
    program: 'BEGIN { for ($i : 0..10) { for ($j : 0..10) { if ($i * $j == 6) { printf("return at %d %d\\n", $i, $j); return; } } } printf("not here\\n"); }'
      + ' BEGIN { printf("next\\n"); exit(); }',
    expect: `return at 1 6\nnext\n${atExit()}`,
  },
  {
    name: 'callbacks three deep read and write the variables of every level',
    program: 'BEGIN { @m[1] = 100; @m[2] = 200; $total = 0; for ($r : 0..3) { $scale = $r + 1; $w = 0;'
      + ' while ($w < 2) { $w++; for ($kv : @m) { if ($kv.0 == $w) { $total += $kv.1 * $scale; } } } } printf("%d\\n", $total); exit(); }',
    expect: `1800\n${atExit('@m[1]: 100\n@m[2]: 200\n')}`,
  },
  {
    name: 'a for-map body reads and writes variables declared outside it, and reads the probe\'s arguments',
    program: `tracepoint:syscalls:sys_enter_openat ${onlySelf} { @m[1] = 5; @m[2] = 7; $sum = 0; $same = 0; $outside = args.flags;`
      + ' for ($kv : @m) { $sum += $kv.1; $same += args.flags == $outside; } printf("%d %d\\n", $sum, $same); exit(); }',
    trigger: openDevNull,
    awaitExit: true,
    expect: `12 2\n${atExit('@m[1]: 5\n@m[2]: 7\n')}`,
  },
  {
    name: 'exit() inside a for-map body',
    program: 'BEGIN { @m[1] = 10; @m[2] = 20; @m[3] = 30; $seen = 0; for ($kv : @m) { $seen++; if ($seen == 2) { printf("stop after %d\\n", $seen); exit(); } } printf("not here\\n"); }',
    expect: `stop after 2\n${atExit('@m[1]: 10\n@m[2]: 20\n@m[3]: 30\n')}`,
  },
  {
    name: 'kstack inside a for-map body unwinds the probe\'s own kernel stack',
    program: `tracepoint:syscalls:sys_enter_getppid ${onlySelf} { @m[1] = 1; for ($kv : @m) { @s[kstack(3)] = count(); } exit(); }`,
    trigger: () => callGetppid(1),
    awaitExit: true,
    expect: (stdout) => {
      assert.match(stdout, /^\n\n@m\[1\]: 1\n@s\[\n( {8}\S+\+\d+\n){1,3}\]: 1\n$/);
    },
  },
  {
    name: 'scratch mode: strings of 300 bytes declared outside a branching loop are read inside it',
    program: 'config = { max_strlen = 300 } BEGIN { let $s: string = "abcdef"; let $t: string = "xyz"; $n = 0; $i = 0;'
      + ' while ($i < 4) { if (strncmp($s, "abc", 3) == 0) { $n++; $t = "changed"; } $i++; } printf("%d %s %s\\n", $n, $s, $t); exit(); }',
    expect: `4 abcdef changed\n${atExit()}`,
  },
];
