// `-f json` through real sessions: every kind of output a script can produce, each line parsed as
// JSON with bpftrace's type and field names (NDJSON, `{"type": T, "data": D}`), values as bpftrace
// 0.17 writes them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callGetppid, self } from './harness.js';
import { runScript, stackTargetPath, startTarget } from './functions-support.js';
import { cc, needs } from '../support/skip.js';

const directory = mkdtempSync(join(tmpdir(), 'tsbpf-json-'));

function messages(stdout: string): unknown[] {
  assert.ok(stdout.endsWith('\n'), 'every message ends its line');
  return stdout.slice(0, -1).split('\n').map((line) => JSON.parse(line) as unknown);
}

test('printf, time, cat, system, print() of values and maps, and every kind of map at exit', async () => {
  const path = join(directory, 'cat.txt');
  writeFileSync(path, 'cat text\n');
  const year = new Date().getFullYear();
  const { stdout, stderr } = await runScript(`BEGIN {
    printf("hi %d\\n", 5); time("%Y\\n"); cat("${path}"); system("echo sys");
    print(7); print("str"); print((1, "a")); print(ksym(kaddr("vfs_read"))); print(-1);
    @scalar = 5; @keyed[1] = 2; @keyed[3] = 4; @pair["x", "y"] = 1; @tuple = (1, "a"); @text["k"] = "v";
    @h = hist(5); @h = hist(100); @l = lhist(3, 0, 10, 2); @l = lhist(100, 0, 10, 2); @l = lhist(-1, 0, 10, 2);
    @a = avg(4); @a = avg(6); @s = stats(3); @c = count(); @mn = min(-3); @mx = max(9); @sm = sum(10);
    print(@keyed); print(@h);
    exit();
  }`, { format: 'json', unsafe: true, banner: true });
  assert.is(stderr, '');
  const keyed = { type: 'map', data: { '@keyed': { 1: 2, 3: 4 } } };
  const hist = { type: 'hist', data: { '@h': [
    { min: 4, max: 7, count: 1 }, { min: 8, max: 15, count: 0 }, { min: 16, max: 31, count: 0 }, { min: 32, max: 63, count: 0 }, { min: 64, max: 127, count: 1 },
  ] } };
  assert.equal(messages(stdout), [
    { type: 'attached_probes', count: 1, data: { probes: 1 } },
    { type: 'printf', data: 'hi 5\n' },
    { type: 'time', data: `${year}\n` },
    { type: 'cat', data: 'cat text\n' },
    { type: 'syscall', data: 'sys\n' },
    { type: 'value', data: 7 },
    { type: 'value', data: 'str' },
    { type: 'value', data: [1, 'a'] },
    { type: 'value', data: 'vfs_read' },
    { type: 'value', data: -1 },
    keyed,
    hist,
    // At exit: every map in name order.
    { type: 'stats', data: { '@a': 5 } },
    { type: 'map', data: { '@c': 1 } },
    hist,
    keyed,
    { type: 'hist', data: { '@l': [
      { max: -1, count: 1 }, { min: 0, max: 1, count: 0 }, { min: 2, max: 3, count: 1 }, { min: 4, max: 5, count: 0 },
      { min: 6, max: 7, count: 0 }, { min: 8, max: 9, count: 0 }, { min: 10, count: 1 },
    ] } },
    { type: 'map', data: { '@mn': -3 } },
    { type: 'map', data: { '@mx': 9 } },
    { type: 'map', data: { '@pair': { 'x,y': 1 } } },
    { type: 'stats', data: { '@s': { count: 1, average: 3, total: 3 } } },
    { type: 'map', data: { '@scalar': 5 } },
    { type: 'map', data: { '@sm': 10 } },
    { type: 'map', data: { '@text': { k: 'v' } } },
    { type: 'map', data: { '@tuple': [1, 'a'] } },
  ]);
});

test('stacks: print() of a kstack and a kstack map value are the stack\'s text', async () => {
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_getppid /tid == ${self.pid}/ { print(kstack(2)); @v = kstack(2); }`, {
    format: 'json',
    trigger: () => callGetppid(1),
  });
  const [printed, atExit] = messages(stdout) as { type: string; data: unknown }[];
  assert.is(printed!.type, 'value');
  const text = printed!.data as string;
  assert.ok(/^\n( {8}[A-Za-z_][\w.]*\+\d+\n){2}$/.test(text), JSON.stringify(text));
  assert.equal(atExit, { type: 'map', data: { '@v': text } });
});

needs(test, 'join: the joined argv of an execve', [cc], async () => {
  const targetPath = stackTargetPath();
  const target = startTarget(targetPath, ['exec', 'a', 'b']);
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_execve /pid == ${target.pid}/ { join(args.argv, "-"); }`, {
    format: 'json',
    trigger: async () => {
      target.release();
      await target.exited;
    },
  });
  assert.equal(messages(stdout), [{ type: 'join', data: '/bin/true-a-b' }]);
});

test('lost_events: what a full ring buffer dropped, counted exactly', async () => {
  // One 4 KiB ring buffer page, 2000 records written while this thread keeps the consumer away.
  const calls = 2000;
  const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_getppid /tid == ${self.pid}/ { printf("%d\\n", 1); }`, {
    format: 'json',
    ringBufferBytes: 4096,
    trigger: () => callGetppid(calls),
  });
  const all = messages(stdout) as { type: string; data: unknown }[];
  const printed = all.filter((message) => message.type === 'printf');
  const lost = all.filter((message) => message.type === 'lost_events');
  assert.ok(lost.length >= 1, 'a lost_events message');
  for (const message of printed) assert.equal(message, { type: 'printf', data: '1\n' });
  let lostCount = 0;
  for (const message of lost) {
    const data = message.data as { events: number };
    assert.equal(Object.keys(data), ['events']);
    lostCount += data.events;
  }
  assert.is(printed.length + lostCount, calls, 'every event either printed or counted as lost');
});

test('the banner message is the first line, with the probe count', async () => {
  const { stdout } = await runScript('BEGIN { exit(); } END { }', { format: 'json', banner: true });
  assert.equal(messages(stdout), [{ type: 'attached_probes', count: 2, data: { probes: 2 } }]);
});

test.run();
