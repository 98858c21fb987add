// The time, network, symbol, userspace-action and layout functions end to end, on real events: a
// TCP connection this test makes (ntop), an execve of the helper program with known arguments
// (join), a signal to the helper, files the test writes (cat), commands (system, --unsafe), the
// CLI's exit status (exit(3)), and sizeof/offsetof checked against the kernel's BTF as bpftool
// dumps it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/cli-process.js';
import { self } from './harness.js';
import { diagnosticsOf, runScript, stackTargetPath, startTarget } from './functions-support.js';
import { cc, file, kernelBtf, needs, tool } from '../support/skip.js';

const directory = mkdtempSync(join(tmpdir(), 'tsbpf-functions-'));
const targetPath = cc.present ? stackTargetPath() : '';

needs(test, 'ntop(): the addresses of a TCP connection this test opens to 127.0.0.1', [file('/sys/kernel/tracing/events/sock/inet_sock_set_state', 'the sock:inet_sock_set_state tracepoint')], async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    // SYN_SENT (2) is entered inside connect(), in this process.
    const { stdout, stderr } = await runScript(`tracepoint:sock:inet_sock_set_state /pid == ${self.pid} && args.newstate == 2 && args.dport == ${port}/ {
      printf("%s %s %s\\n", ntop(args.daddr), ntop(2, args.saddr), ntop(args.family, args.daddr)); @[ntop(args.daddr)] = count();
    }
    BEGIN { printf("%s\\n", ntop(0x0100007f)); }`, {
      trigger: () => new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve();
        });
        socket.on('error', reject);
      }),
    });
    assert.is(stderr, '');
    assert.is(stdout, '127.0.0.1\n127.0.0.1 127.0.0.1 127.0.0.1\n\n\n@[127.0.0.1]: 1\n');
  } finally {
    server.close();
  }
});

test('strftime() with %f: the event\'s wall-clock time to the microsecond; time(): now', async () => {
  const before = Date.now();
  const { stdout } = await runScript('BEGIN { printf("%s\\n", strftime("%Y-%m-%d %H:%M:%S.%f", nsecs)); time("%Y-%m-%d\\n"); exit(); }');
  const after = Date.now();
  const match = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\n(\d{4}-\d\d-\d\d)\n\n\n$/.exec(stdout);
  assert.ok(match, JSON.stringify(stdout));
  const [, year, month, day, hour, minute, second, micros] = match!.map(Number);
  const printed = new Date(year!, month! - 1, day!, hour!, minute!, second!).getTime() + micros! / 1000;
  // The conversion from the kernel's clock to wall time may be off by a scheduling delay, not more.
  assert.ok(printed >= before - 50 && printed <= after + 50, `${stdout} is within the run (${new Date(before).toISOString()}…)`);
  const today = new Date(after);
  const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  assert.is(match![8], date);
});

needs(test, 'join(): the argv of an execve with known arguments, with the default and a given separator', [cc], async () => {
  const target = startTarget(targetPath, ['exec', 'one', 'two words', '3']);
  const { stdout, stderr } = await runScript(`tracepoint:syscalls:sys_enter_execve /pid == ${target.pid}/ { join(args.argv); join(args.argv, ","); }`, {
    trigger: async () => {
      target.release();
      assert.equal(await target.exited, { code: 0, signal: null });
    },
  });
  assert.is(stderr, '');
  assert.is(stdout, '/bin/true one two words 3\n/bin/true,one,two words,3\n\n\n');
});

needs(test, 'signal(): the probe\'s own process (a child of this test) receives it; unknown names are diagnostics', [cc], async () => {
  const target = startTarget(targetPath, ['getppid', '1']);
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  await runScript(`tracepoint:syscalls:sys_enter_getppid /pid == ${target.pid}/ { signal("SIGUSR1"); }`, {
    unsafe: true,
    trigger: async () => {
      target.release();
      ended = await target.exited;
    },
  });
  assert.equal(ended, { code: null, signal: 'SIGUSR1' });
  assert.is(diagnosticsOf('BEGIN { signal("SIGNOPE"); }'), [
    'test.bt:1:9-26: ERROR: signal() is an unsafe function',
    'BEGIN { signal("SIGNOPE"); }',
    '        ~~~~~~~~~~~~~~~~~',
    'HINT: run with --unsafe to allow it',
    'test.bt:1:16-25: ERROR: unknown signal: SIGNOPE',
    'BEGIN { signal("SIGNOPE"); }',
    '               ~~~~~~~~~',
    '',
  ].join('\n'));
});

needs(test, 'signal_thread(): the thread that fired the probe receives it (here the process\'s only thread)', [cc], async () => {
  const target = startTarget(targetPath, ['getppid', '1']);
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  await runScript(`tracepoint:syscalls:sys_enter_getppid /pid == ${target.pid}/ { signal_thread("SIGTERM"); }`, {
    unsafe: true,
    trigger: async () => {
      target.release();
      ended = await target.exited;
    },
  });
  assert.equal(ended, { code: null, signal: 'SIGTERM' });
  assert.match(diagnosticsOf('BEGIN { signal_thread(10); }'), /signal_thread\(\) is an unsafe function/);
});

test('cat(): the contents of a file this test wrote, named literally or through a format', async () => {
  const path = join(directory, 'cat.txt');
  writeFileSync(path, 'first line\nsecond line\n');
  const { stdout } = await runScript(`BEGIN { cat("${path}"); cat("%s/%s.txt", "${directory}", "cat"); exit(); }`);
  assert.is(stdout, 'first line\nsecond line\nfirst line\nsecond line\n\n\n');
});

test('system(): runs the command with --unsafe; without it, a diagnostic and nothing runs', async () => {
  const marker = join(directory, 'system-ran');
  const { stdout } = await runScript(`BEGIN { system("echo hello %d; touch %s", 42, "${marker}"); exit(); }`, { unsafe: true });
  assert.is(stdout, 'hello 42\n\n\n');
  assert.ok(existsSync(marker), 'the whole command ran');
  const cli = await runCli(['-e', `BEGIN { system("echo never"); exit(); }`]);
  assert.is(cli.code, 1);
  assert.is(cli.stdout, '');
  assert.is(cli.stderr, [
    'stdin:1:9-29: ERROR: system() is an unsafe function',
    'BEGIN { system("echo never"); exit(); }',
    '        ~~~~~~~~~~~~~~~~~~~~',
    'HINT: run with --unsafe to allow it',
    '',
  ].join('\n'));
  const allowed = await runCli(['--unsafe', '-e', 'BEGIN { system("echo allowed"); exit(); }']);
  assert.is(allowed.stdout, 'allowed\n\n\n');
  assert.is(allowed.code, 0);
});

test('exit(3) through the CLI: the process exit status is 3', async () => {
  const result = await runCli(['-e', 'BEGIN { printf("bye\\n"); exit(3); }']);
  assert.is(result.stdout, 'bye\n\n\n');
  assert.is(result.code, 3);
});

/** `STRUCT 'name' size=N` and its members' bit offsets, from bpftool's raw dump of the kernel BTF. */
function bpftoolStruct(name: string): { size: number; bitOffsets: Map<string, number> } {
  const dump = execFileSync('bpftool', ['btf', 'dump', 'file', '/sys/kernel/btf/vmlinux'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const header = new RegExp(`^\\[\\d+\\] STRUCT '${name}' size=(\\d+) vlen=\\d+$`, 'm').exec(dump);
  if (!header) throw new Error(`bpftool's dump of the kernel BTF has no STRUCT '${name}'`);
  const bitOffsets = new Map<string, number>();
  for (const line of dump.slice(header.index + header[0].length + 1).split('\n')) {
    const member = /^\t'(\w*)' type_id=\d+ bits_offset=(\d+)/.exec(line);
    if (!member) break;
    bitOffsets.set(member[1]!, Number(member[2]));
  }
  return { size: Number(header[1]), bitOffsets };
}

needs(test, 'sizeof() and offsetof(): bpftrace types by their layout, kernel structs by their BTF (bpftool agrees)', [kernelBtf, tool('bpftool')], async () => {
  const task = bpftoolStruct('task_struct');
  const { stdout } = await runScript(`BEGIN {
    $t = (1, "ab");
    printf("%d %d %d %d %d %d\\n", sizeof(uint16), sizeof(comm), sizeof($t), sizeof(string[5]), sizeof(int32[3]), sizeof(struct task_struct *));
    printf("%d %d %d\\n", sizeof(struct task_struct), offsetof(struct task_struct, comm), offsetof(task_struct, pid));
    exit();
  }`);
  assert.is(stdout, `2 16 16 5 12 8\n${task.size} ${task.bitOffsets.get('comm')! / 8} ${task.bitOffsets.get('pid')! / 8}\n\n\n`);
  assert.is(diagnosticsOf('BEGIN { $x = sizeof(struct tsbpf_nonexistent); $y = offsetof(struct task_struct, tsbpf_nonexistent); }'), [
    'test.bt:1:21-45: ERROR: Cannot resolve unknown type "struct tsbpf_nonexistent"',
    'BEGIN { $x = sizeof(struct tsbpf_nonexistent); $y = offsetof(struct task_struct, tsbpf_nonexistent); }',
    '                    ~~~~~~~~~~~~~~~~~~~~~~~~',
    "test.bt:1:53-100: ERROR: 'struct task_struct' has no field named 'tsbpf_nonexistent'",
    'BEGIN { $x = sizeof(struct tsbpf_nonexistent); $y = offsetof(struct task_struct, tsbpf_nonexistent); }',
    '                                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('printf arguments are checked against the format at compile time, at the argument', () => {
  assert.is(diagnosticsOf('BEGIN { printf("%d %s\\n", comm, 5); }'), [
    'test.bt:1:27-31: ERROR: printf: %d needs an integer, but this is string[16]',
    'BEGIN { printf("%d %s\\n", comm, 5); }',
    '                          ~~~~',
    '',
  ].join('\n'));
});

test('kaddr() of a name the kernel does not have is a diagnostic', () => {
  assert.is(diagnosticsOf('BEGIN { $a = kaddr("tsbpf_no_such_symbol"); }'), [
    "test.bt:1:20-42: ERROR: kaddr(): no kernel symbol 'tsbpf_no_such_symbol' in /proc/kallsyms",
    'BEGIN { $a = kaddr("tsbpf_no_such_symbol"); }',
    '                   ~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test.run();
