// C definitions in scripts, end to end: #define (object-like and function-like), #if/#ifdef/#elif/
// #else/#endif with BPFTRACE_HAVE_BTF, #include <linux/…> satisfied from BTF and "file" read from
// disk, struct/union/enum definitions measured with sizeof/offsetof and enumerators as values, in a
// program that runs; and each misuse reported at its place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atExit } from './case.js';
import { compileErrors, run } from './harness.js';
import { liveHost } from '../../src/host/live.js';
import { kernelBtf, needs } from '../support/skip.js';

const program = `#define FOO 40 + 2
#define GREETING "hello"
#define TWICE(x) ((x) * 2)
#ifdef BPFTRACE_HAVE_BTF
#include <linux/sched.h>
#define SOURCE "btf"
#else
#define SOURCE "headers"
#endif
#if defined(NOT_DEFINED) || 0
struct never { int x; };
#elif FOO > 41
#define PICKED 2
#else
#define PICKED 3
#endif
enum colour { RED = 1, GREEN = 2, BLUE = 7 };
enum { TASK_LEN = 16 };
struct inner { short s; char tag[6]; };
struct sample {
  char c;
  struct list_head link;
  u32 id;
  char comm[TASK_LEN];
  unsigned int bf1:3, bf2:5;
  struct { int ax; int ay; };
  struct inner in;
  enum colour colour;
  int flex[];
} __attribute__((aligned(16)))
struct packed { int x; char y; int z; } /* comment */ __attribute__((packed))
BEGIN {
  printf("%d %s %d %d %s\\n", FOO, GREETING, TWICE(21), PICKED, SOURCE);
  printf("%d %d %d %d\\n", sizeof(struct sample), offsetof(struct sample, link), offsetof(struct sample, in.tag), offsetof(struct sample, ay));
  printf("%d %d\\n", sizeof(struct packed), offsetof(struct packed, z));
  printf("%d %d %d %d\\n", RED, BLUE, sizeof(BLUE), sizeof(enum colour));
  printf("%d %d\\n", sizeof(struct task_struct), BPF_MAP_TYPE_RINGBUF);
  exit();
}`;

needs(test, 'macros, conditionals, an include and struct definitions in a program that runs', kernelBtf, async () => {
  // Independently of the compiler: the kernel's own numbers, read from its BTF.
  const kernel = liveHost().kernelBtf()!;
  const taskStruct = kernel.sizeof(kernel.findType('task_struct', 'struct')!.id);
  const mapTypes = kernel.findType('bpf_map_type', 'enum');
  const ringbuf = mapTypes?.kind === 'enum' ? mapTypes.values.find((value) => value.name === 'BPF_MAP_TYPE_RINGBUF')!.value : undefined;
  const { stdout, stderr } = await run(program);
  assert.is(stderr, '');
  // gcc's layout: link after 7 bytes of padding, the bit fields share one unsigned int at 44, the
  // anonymous struct's ay at 52, in.tag at 58, the whole padded to its 16-byte alignment.
  assert.is(stdout, `42 hello 42 2 btf\n80 8 58 52\n9 5\n1 7 8 4\n${taskStruct} ${ringbuf}\n${atExit()}`);
});

test('an included "file" adds its macros and definitions; its probes are refused', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-include-'));
  try {
    const header = join(directory, 'event.h');
    writeFileSync(header, '#define EVENT_MAX 64\n#ifndef NO_EVENT\nstruct event { int pid; char comm[EVENT_MAX]; };\n#endif\n');
    const { stdout } = await run(`#include "${header}"\nBEGIN { printf("%d %d\\n", EVENT_MAX, sizeof(struct event)); exit(); }`);
    assert.is(stdout, `64 68\n${atExit()}`);
    const guarded = await run(`#define NO_EVENT\n#include "${header}"\nstruct event { char only; };\nBEGIN { printf("%d\\n", sizeof(struct event)); exit(); }`);
    assert.is(guarded.stdout, `1\n${atExit()}`, '#ifndef in the included file sees the including script\'s macros');
    const withProbe = join(directory, 'probe.h');
    writeFileSync(withProbe, 'BEGIN { exit(); }\n');
    assert.match(compileErrors(`#include "${withProbe}"\nBEGIN { exit(); }`), `holds more than C definitions`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a header tsbpf knows defines its constants: address families, errno, signals, open flags; the script\'s own #define wins', async () => {
  const { stdout } = await run(`#include <linux/socket.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#define EPERM 99
BEGIN { printf("%d %d %d %d %d %d %d\\n", AF_INET, AF_INET6, AF_UNIX, ENOENT, EPERM, SIGKILL, O_CREAT | O_TRUNC); exit(); }`);
  assert.is(stdout.split('\n')[0], '2 10 1 2 99 9 576');
});

test('misuses of C definitions are reported at their place', () => {
  assert.is(compileErrors('#include <lol/no.h>\nBEGIN { exit(); }'), `test.bt:1:1-20: ERROR: cannot find include file <lol/no.h>
#include <lol/no.h>
~~~~~~~~~~~~~~~~~~~
HINT: only kernel headers (<linux/…>, <asm/…>) and the C library's are known (their types come from the kernel's BTF); others are looked for in -I directories
`);
  assert.is(compileErrors('#define A B\n#define B A\nBEGIN { print(A); }'), `test.bt:3:15-16: ERROR: Macro recursion: A->B
BEGIN { print(A); }
              ~
`);
  assert.is(compileErrors('#define X if\nBEGIN { print(X); }'), `test.bt:2:15-16: ERROR: unable to expand macro as an expression: if
BEGIN { print(X); }
              ~
`);
  assert.is(compileErrors('struct s { int a; struct nothere n; };\nBEGIN { exit(); }'), `test.bt:1:19-33: ERROR: unknown type 'struct nothere': neither the script nor the kernel's BTF defines it
struct s { int a; struct nothere n; };
                  ~~~~~~~~~~~~~~
`);
  assert.is(compileErrors('struct s { int a; struct { char a; }; };\nBEGIN { exit(); }'), `test.bt:1:19-37: ERROR: duplicate member 'a' in 'struct s'
struct s { int a; struct { char a; }; };
                  ~~~~~~~~~~~~~~~~~~
`);
  assert.is(compileErrors('struct s { unsigned char a : 9; };\nBEGIN { exit(); }'), `test.bt:1:12-31: ERROR: the width of bit-field 'a' (9 bits) exceeds the width of its type (8 bits)
struct s { unsigned char a : 9; };
           ~~~~~~~~~~~~~~~~~~~
`);
  assert.match(compileErrors('struct s { my_type_t a; };\nBEGIN { exit(); }'), "test.bt:1:12-21: ERROR: unknown type name 'my_type_t'");
  assert.match(compileErrors('struct s { int a; };\nstruct s { int b; };\nBEGIN { exit(); }'), "test.bt:2:1-20: ERROR: redefinition of 'struct s'");
  assert.match(compileErrors('struct s { struct s inner; };\nBEGIN { exit(); }'), "ERROR: 'struct s' contains itself");
  assert.match(compileErrors('#ifdef X\nstruct s { int a; };\nBEGIN { exit(); }'), 'test.bt:1:1-9: ERROR: unterminated conditional: no #endif for this #ifdef');
  assert.match(compileErrors('#endif\nBEGIN { exit(); }'), 'test.bt:1:1-7: ERROR: #endif without #if');
  assert.match(compileErrors('struct s { int a[N]; };\nBEGIN { exit(); }'), "test.bt:1:18-19: ERROR: 'N' is not a constant: a constant is needed here");
  assert.match(compileErrors('struct s { int a; } __attribute__((aligned(3)))\nBEGIN { exit(); }'), 'ERROR: requested alignment 3 is not a positive power of 2');
  assert.match(compileErrors('struct s { int a; };\nBEGIN { print(offsetof(struct s, b)); }'), "test.bt:2:15-36: ERROR: 'struct s' has no field named 'b'");
});

test.run();
