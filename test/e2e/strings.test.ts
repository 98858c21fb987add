// Strings end to end: str() of a real tracepoint's user-space string (the paths this test opens),
// truncation at max_strlen (config block and environment; the trailer: string-truncation.test.ts), long strings in per-CPU scratch memory,
// buf() with %r/%rx/%rh, comparisons and the string functions, strings in map keys, values and tuples.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { self } from './harness.js';
import { diagnosticsOf, runScript } from './functions-support.js';

const directory = mkdtempSync(join(tmpdir(), 'tsbpf-strings-'));
const shortPath = join(directory, 'hello.txt');
writeFileSync(shortPath, 'hello\n');

/** The program sees exactly one openat from this thread: of `path`. */
function open(path: string): () => void {
  return () => closeSync(openSync(path, 'r'));
}

const onlyThisThread = `/tid == ${self.pid}/`;

test('str() of sys_enter_openat filename: the path this test opened, in printf, a map key and a tuple', async () => {
  const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
    printf("%s\\n", str(args.filename)); @[str(args.filename)] = count(); @t = (str(args.filename), 7);
  }`, { trigger: open(shortPath) });
  assert.is(stderr, '');
  assert.is(stdout, `${shortPath}\n\n\n@[${shortPath}]: 1\n@t: (${shortPath}, 7)\n`);
});

test('str() of kernel memory: the comm inside this thread\'s task_struct (BEGIN runs in this thread)', async () => {
  const { stdout } = await runScript('BEGIN { printf("%s|%s\\n", str((uint64)curtask + offsetof(struct task_struct, comm)), str((uint64)curtask + offsetof(struct task_struct, comm), 3)); exit(); }');
  assert.is(stdout, `${self.comm}|${self.comm.slice(0, 2)}\n\n\n`);
});

test('truncation at max_strlen from the config block: max_strlen characters and the trailer; str(p, n) keeps n - 1', async () => {
  const { stdout } = await runScript(`config = { max_strlen = 8 }
    tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
      printf("%s|%s|%d\\n", str(args.filename), str(args.filename, 3), strlen(str(args.filename)));
    }`, { trigger: open(shortPath) });
  assert.is(stdout, `${shortPath.slice(0, 8)}..|${shortPath.slice(0, 2)}|8\n\n\n`);
});

test('strlen() of strings known at compile time is a constant: literals, probe, str() of them', async () => {
  const { stdout } = await runScript(`config = { max_strlen = 8 }
    tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
      printf("%d %d %d %d %d\\n", strlen("hello"), strlen(""), strlen(probe), strlen(str(probe)), strlen(str("a\\0b")));
    }`, { trigger: open(shortPath) });
  assert.is(stdout, `5 0 36 36 1\n\n\n`);
});

test('truncation at max_strlen from BPFTRACE_MAX_STRLEN', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} { printf("%s\\n", str(args.filename)); }`, {
    trigger: open(shortPath),
    environment: { BPFTRACE_MAX_STRLEN: '12' },
  });
  assert.is(stdout, `${shortPath.slice(0, 12)}..\n\n\n`);
});

test('max_strlen = 1024: a 700-character path whole, as a map key, compared, searched and measured', async () => {
  // Directory names of 100 characters: the path is far past the 512-byte BPF stack.
  let longPath = directory;
  for (let level = 0; longPath.length < 650; level++) longPath = join(longPath, `${String(level).padStart(3, '0')}${'d'.repeat(97)}`);
  mkdirSync(longPath, { recursive: true });
  longPath = join(longPath, 'needle-file');
  writeFileSync(longPath, '');
  const { stdout, stderr } = await runScript(`config = { max_strlen = 1024 }
    tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
      $path = str(args.filename);
      printf("%s\\n", $path);
      printf("%d %d %d %d %d %d\\n", strlen($path), $path == "${longPath}", $path != "${longPath}", strcontains($path, "needle-file"), strcontains($path, "haystack"), strncmp($path, "${longPath.slice(0, 600)}", 600));
      @[$path] = count();
    }`, { trigger: open(longPath) });
  assert.is(stderr, '');
  assert.ok(longPath.length > 700 && longPath.length < 1023);
  assert.is(stdout, `${longPath}\n${longPath.length} 1 0 1 0 0\n\n\n@[${longPath}]: 1\n`);
});

test('strlen, strncmp and strcontains on a tracepoint string and literals', async () => {
  const prefix = shortPath.slice(0, 10);
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
    $s = str(args.filename);
    printf("%d %d %d %d\\n", strlen($s), strlen(""), strncmp($s, "${prefix}", 10), strncmp($s, "${prefix}X", 11));
    printf("%d %d %d %d\\n", strncmp("abc", "abd", 2), strncmp("abc", "abd", 3), strncmp("ab", "ab", 50), strncmp("ab", "abc", 3));
    printf("%d %d %d %d\\n", strcontains($s, "hello"), strcontains($s, ".txt"), strcontains($s, "hello.txt!"), strcontains($s, ""));
  }`, { trigger: open(shortPath) });
  assert.is(stdout, `${shortPath.length} 0 0 1\n0 1 0 1\n1 1 0 1\n\n\n`);
});

test('== and != on strings: equal bytes up to the NUL whatever the capacities', async () => {
  const { stdout } = await runScript(`BEGIN {
    $a = "abc"; $b = "abd"; $long = str($a, 60);
    printf("%d %d %d %d %d %d\\n", $a == $b, $a != $b, $a == "abc", "abc" == $a, $long == $a, $long != "abcd");
    exit();
  }`);
  assert.is(stdout, '0 1 1 1 1 1\n\n\n');
});

test('strings in map keys, map values and tuples (keys and values)', async () => {
  const { stdout } = await runScript(`BEGIN {
    @value["k"] = "v"; @pair["a", "b"] = 1; @tuple[("x", 2)] = ("y", 3); @["second"] = 2; @["first"] = 1;
    exit();
  }`);
  assert.is(stdout, '\n\n@[first]: 1\n@[second]: 2\n@pair[a, b]: 1\n@tuple[x, 2]: (y, 3)\n@value[k]: v\n');
});

test('buf() with %r, %rx and %rh: the bytes of a path holding a control character', async () => {
  const path = join(directory, 'a\x01b');
  writeFileSync(path, '');
  const bytes = Buffer.from(path, 'latin1');
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
    printf("%r\\n%rx\\n%rh\\n", buf(args.filename, ${bytes.length}), buf(args.filename, 4), buf(args.filename, 4));
    @b = buf(args.filename, ${bytes.length});
  }`, { trigger: open(path) });
  const escaped = `${directory}/a\\x01b`;
  const hex = [...bytes.subarray(0, 4)];
  assert.is(stdout, `${escaped}\n${hex.map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}\n`
    + `${hex.map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}\n\n\n@b: ${escaped}\n`);
});

test('buf() of a string value: its bytes, up to the length asked for', async () => {
  const { stdout } = await runScript('BEGIN { printf("%r|%rx\\n", buf("ab\\x02c", 4), buf("xyz", 2)); exit(); }');
  assert.is(stdout, 'ab\\x02c|\\x78\\x79\n\n\n');
});

test('string function misuse is a diagnostic at the argument', () => {
  assert.is(diagnosticsOf('BEGIN { $x = strlen(5); }'), [
    'test.bt:1:21-22: ERROR: strlen() needs a string here, not int64',
    'BEGIN { $x = strlen(5); }',
    '                    ~',
    '',
  ].join('\n'));
  assert.is(diagnosticsOf('BEGIN { $n = 3; $x = strncmp("a", "b", $n); }'), [
    'test.bt:1:40-42: ERROR: strncmp() length must be an integer constant',
    'BEGIN { $n = 3; $x = strncmp("a", "b", $n); }',
    '                                       ~~',
    '',
  ].join('\n'));
});

test('strcontains() with variable needles: a 1024-byte haystack searched for a shortened one, itself, its tail (1024 bytes each)', async () => {
  const { stdout } = await runScript(`config = { max_strlen = 1024 }
    tracepoint:syscalls:sys_enter_openat ${onlyThisThread} {
      $path = str(args.filename); $head = str(args.filename, 20); $tail = str(args.filename + 5);
      printf("%d %d %d %d %d\\n", strcontains($path, $head), strcontains($head, $path), strcontains($path, $path), strcontains($path, $tail), strcontains($head, $tail));
    }
    BEGIN { $h = "hello world"; $n = "o w"; $e = "";
      printf("%d %d %d %d %d\\n", strcontains($h, $n), strcontains($n, $h), strcontains($h, $e), strcontains($e, $e), strcontains($e, $n));
    }`, { trigger: open(shortPath) });
  assert.is(stdout, '1 0 1 1 0\n1 0 1 1 0\n\n\n');
});

test.run();
