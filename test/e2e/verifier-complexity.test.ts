// Type-correct programs the verifier once refused as too complex ("BPF program is too large.
// Processed 1000001 insn"): each is loaded into the real verifier, and runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadIntoVerifier } from '../fuzz/generated-outcome.js';
import { compileScript, onlySelf, run } from './harness.js';
import { openSync, closeSync } from 'node:fs';

// The fuzzer's reproducer (seed 1316697260, minimized): strlen() of a tracepoint string in a range
// loop run as a bpf_loop callback. Each of the scan's exits carried a different known length, and the
// verifier walked the rest of the callback once per length; a while loop after it pushed the total
// past the budget.
const minimized = `BEGIN { @h = (0, 0); }
tracepoint:sched:sched_process_exec {
  for ($r0 : 1..219) {
    let $v: int16 = strlen(args.filename);
    printf("%% %10s|%% %i|%% %o\\n", "x y", ($v), -gid);
    zero(@h);
  }
  $w1 = 0; while ($w1 < 35) {
    $w1++;
    printf("%lu,  %s\\n", (int64)(args.old_pid != $w1), "tsbpf");
  }
}`;

/** The same shape on a syscall this test can make, to see that the lengths are still right. */
const reproducer = `tracepoint:syscalls:sys_enter_openat ${onlySelf} {
  for ($r0 : 1..219) {
    let $v: int16 = strlen(str(args.filename));
    printf("%d %d\\n", $v, -gid);
  }
  $w1 = 0; while ($w1 < 35) {
    $w1++;
    printf("%lu\\n", (int64)(args.flags != $w1));
  }
}`;

test('strlen() in a loop callback followed by a while loop passes the verifier', () => {
  const error = loadIntoVerifier(compileScript(minimized));
  assert.is(error, undefined, String((error as Error | undefined)?.message));
});

test('and runs: 218 lengths of the path opened, then 35 flag comparisons', async () => {
  const path = '/etc/hostname';
  const result = await run(reproducer, { trigger: () => closeSync(openSync(path, 'r')) });
  const lines = result.stdout.trim().split('\n');
  assert.is(lines.length, 218 + 35);
  assert.equal([...new Set(lines.slice(0, 218))], [`${path.length} 0`]);
  assert.equal([...new Set(lines.slice(218))], ['1']);
});

// The fuzzer's reproducer (generated program 2354717946 at seed 1735611046, minimized): in a while
// loop's callback, strcontains() over a 1024-byte str() queues a state per position, and a `!$w0`
// lowered as a branch doubled every one of them on the way to printf.
const negation = `tracepoint:syscalls:sys_enter_write {
  $w0 = 0; while ($w0 < 40) {
    $w0++; $name = comm; cat("/proc/self/stat");
    if ((uid < $w0) && (strcontains(str(args.buf), comm))) { } else if (jiffies >= 0) { printf("%s %d\\n", $name, !$w0); }
  }
}`;

test('! of a value in a callback after strcontains() passes the verifier (! is branch-free)', () => {
  const error = loadIntoVerifier(compileScript(negation));
  assert.is(error, undefined, String((error as Error | undefined)?.message));
});

test('and ! keeps its values: 0 and 1, for zero, positive, negative and the largest magnitudes', async () => {
  const result = await run('BEGIN { $a = 0; $b = 5; $c = -1; $d = -9223372036854775807 - 1; $e = 0xffffffffffffffff; printf("%d %d %d %d %d %d\\n", !$a, !$b, !$c, !$d, !$e, !!$b); exit(); }');
  assert.is(result.stdout, '1 0 0 0 0 1\n\n\n');
});

// Two generated programs (seed 20261208) the verifier refused at today's default max_strlen of 1024
// (both loaded at 512): strlen() twice of a 1024-byte string in a range loop's callback, and
// strcontains() of a 1024-byte str() in an `||` chain beside a division. The scans walked every byte
// on every path; they now run as callbacks of their own (src/codegen/byte-scan.ts).
const strlenTwice = `tracepoint:syscalls:sys_exit_openat {
  let $acc = str(probe); $v = ((1, $acc)).0;
  for ($r0 : -1..190) {
    if ((uint64)($v ^ tid)) { $key = (-4) << 7; } else if (!len(@by_pid)) { }
    else { $s = args.ret - strlen($acc); if ((int16)strlen($acc)) { } }
    $acc = ((pid(), str((*curtask).real_parent->group_leader->mm->exe_file->f_path.dentry->d_name.name))).1;
  }
  @by_pid[81, "quote\\"d"] = count();
}`;

const searchBesideDivision = `END {
  for ($r1 : -1..240) {
    if (((curtask->real_parent->comm) == "back\\\\slash") || (strcontains(str(curtask->parent->parent->mm->exe_file->f_path.dentry->d_name.name), comm)) || ("quote\\"d" != probe)) {
      if (($r1 / uid) != ((curtask->real_parent.real_parent->files->next_fd) & $r1)) { $v = $r1 * $r1; }
    }
  }
}`;

for (const [name, source] of [['strlen() twice of a 1024-byte string in a range loop', strlenTwice], ['strcontains() of a 1024-byte str() in an || chain with a division', searchBesideDivision]] as const) {
  test(`${name} passes the verifier at the default max_strlen`, () => {
    const error = loadIntoVerifier(compileScript(source));
    assert.is(error, undefined, String((error as Error | undefined)?.message));
  });
}

// The confirmation fuzz run (generated program 848547425 at seed 20261209, minimized): in a range
// loop's callback, an unrolled body with a string ?:, a hist() of a checked modulo and strcontains()
// of two literals. Each branch left its own constants, and the inline scan's branches multiplied them
// past the budget: strcontains() of literals is now a constant, and every other one a callback.
const unrolledSearch = `BEGIN { @h = 0; }
interval:ms:100 / 876430 / {
  for ($r1 : 2..64) {
    let $y = 775769;
    unroll(2) {
      { $x = (!$r1) ? "hello" : "back\\\\slash"; }
      @count[probe, 50, $r1] = hist(556776 % $y, 2);
      if (($r1 | 41) == @h) { } else if (strcontains("quote\\"d", "quote\\"d")) { }
      if (strcontains(comm, "quote\\"d")) { @c = count(); }
    }
  }
}`;

test('a ?:, a hist() and strcontains() in an unrolled range-loop body pass the verifier', () => {
  const error = loadIntoVerifier(compileScript(unrolledSearch));
  assert.is(error, undefined, String((error as Error | undefined)?.message));
});

test('strcontains() of literals is a constant; of short strings it still searches', async () => {
  const result = await run(`BEGIN { $c = "tsbpf-x"; printf("%d %d %d %d %d\\n", strcontains("quote\\"d", "te\\""), strcontains("abc", "abd"), strcontains($c, "f-x"), strcontains($c, "x-f"), strcontains("ab", "abc")); exit(); }`);
  assert.is(result.stdout, '1 0 1 0 0\n\n\n');
});

test.run();
