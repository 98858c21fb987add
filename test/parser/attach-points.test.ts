import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttachPoint } from '../../src/parser/attach-point-ast.js';
import { parseErrors, parseOk, textOf, withoutSpans } from './helpers.js';

function attachPointsOf(header: string): AttachPoint[] {
  return parseOk(`${header} { }`).probes[0]!.attachPoints.map((point) => point);
}

function onlyAttachPoint(header: string): Record<string, unknown> {
  const points = attachPointsOf(header);
  assert.is(points.length, 1);
  return withoutSpans(points[0]!) as unknown as Record<string, unknown>;
}

test('every short provider alias normalises to its long name', () => {
  const cases: Array<[string, string]> = [
    ['t:sched:sched_switch', 'tracepoint'],
    ['rt:sched_switch', 'rawtracepoint'],
    ['u:/bin/bash:readline', 'uprobe'],
    ['ur:/bin/bash:readline', 'uretprobe'],
    ['k:vfs_read', 'kprobe'],
    ['kr:vfs_read', 'kretprobe'],
    ['p:hz:99', 'profile'],
    ['i:s:1', 'interval'],
    ['s:faults:100', 'software'],
    ['h:cycles:1000000', 'hardware'],
    ['U:/bin/app:probe', 'usdt'],
    ['f:vfs_read', 'fentry'],
    ['fr:vfs_read', 'fexit'],
    ['kfunc:vfs_read', 'fentry'],
    ['kretfunc:vfs_read', 'fexit'],
    ['it:task', 'iter'],
    ['w:0x1000:8:rw', 'watchpoint'],
  ];
  for (const [header, provider] of cases) {
    const point = onlyAttachPoint(header);
    assert.is(point['provider'], provider, header);
    assert.is(point['providerSpelling'], header.split(':')[0], header);
    assert.is(point['raw'], header);
  }
});

test('BEGIN/END and begin/end are the special probes', () => {
  for (const [spelling, provider] of [['BEGIN', 'begin'], ['begin', 'begin'], ['END', 'end'], ['end', 'end']]) {
    assert.equal(onlyAttachPoint(spelling!), {
      kind: 'attachPoint', raw: spelling, providerSpelling: spelling, fields: [], wildcard: false, provider,
    });
  }
});

test('tracepoint: category and event, with wildcards', () => {
  assert.equal(onlyAttachPoint('tracepoint:syscalls:sys_enter_openat'), {
    kind: 'attachPoint', raw: 'tracepoint:syscalls:sys_enter_openat', providerSpelling: 'tracepoint',
    fields: ['syscalls', 'sys_enter_openat'], wildcard: false, provider: 'tracepoint', category: 'syscalls', event: 'sys_enter_openat',
  });
  const wild = onlyAttachPoint('t:syscalls:sys_enter_*');
  assert.is(wild['wildcard'], true);
  assert.is(wild['event'], 'sys_enter_*');
  const single = onlyAttachPoint('t:sys?alls:sys_enter_read');
  assert.is(single['wildcard'], true);
  assert.is(single['category'], 'sys?alls');
});

test('uprobe: path and function, library and function+offset, address, language, bare function', () => {
  assert.equal(onlyAttachPoint('uprobe:/bin/bash:readline'), {
    kind: 'attachPoint', raw: 'uprobe:/bin/bash:readline', providerSpelling: 'uprobe', fields: ['/bin/bash', 'readline'],
    wildcard: false, provider: 'uprobe', target: '/bin/bash', function: 'readline',
  });
  const offset = onlyAttachPoint('uprobe:libc:malloc+8');
  assert.is(offset['target'], 'libc');
  assert.is(offset['function'], 'malloc');
  assert.is(offset['offset'], 8n);
  assert.is(onlyAttachPoint('uprobe:libc:malloc+0x10')['offset'], 16n);
  const address = onlyAttachPoint('uprobe:/bin/true:0x1234');
  assert.is(address['address'], 0x1234n);
  assert.is(address['function'], undefined);
  const cpp = onlyAttachPoint('uprobe:/bin/app:cpp:"ns::fn(int)"');
  assert.is(cpp['language'], 'cpp');
  assert.is(cpp['function'], 'ns::fn(int)');
  const bare = onlyAttachPoint('uprobe:readline');
  assert.is(bare['target'], undefined);
  assert.is(bare['function'], 'readline');
  const relative = onlyAttachPoint('uretprobe:./a.out:main');
  assert.is(relative['provider'], 'uretprobe');
  assert.is(relative['target'], './a.out');
});

test('quoted fields may hold spaces and colons, and their * is not a wildcard', () => {
  const point = onlyAttachPoint('uprobe:"/opt/my app/bin":"a*b"');
  assert.is(point['target'], '/opt/my app/bin');
  assert.is(point['function'], 'a*b');
  assert.is(point['wildcard'], false);
});

test('usdt: target, optional namespace, probe name', () => {
  const full = onlyAttachPoint('usdt:/usr/lib/libpython3.so:python:function__entry');
  assert.equal([full['target'], full['namespace'], full['name']], ['/usr/lib/libpython3.so', 'python', 'function__entry']);
  const short = onlyAttachPoint('usdt:/bin/app:ready');
  assert.equal([short['target'], short['namespace'], short['name']], ['/bin/app', undefined, 'ready']);
});

test('kprobe: function, module, offset and wildcards', () => {
  const wild = onlyAttachPoint('k:do_sys_open*');
  assert.equal([wild['provider'], wild['function'], wild['wildcard']], ['kprobe', 'do_sys_open*', true]);
  const module = onlyAttachPoint('kprobe:ext4:ext4_file_open+4');
  assert.equal([module['module'], module['function'], module['offset']], ['ext4', 'ext4_file_open', 4n]);
  const rawtp = onlyAttachPoint('rawtracepoint:module:event');
  assert.equal([rawtp['module'], rawtp['event']], ['module', 'event']);
});

test('interval and profile: unit and value, or a duration', () => {
  const forms: Array<[string, string, bigint]> = [
    ['interval:s:1', 's', 1n],
    ['interval:1s', 's', 1n],
    ['interval:ms:250', 'ms', 250n],
    ['interval:100ms', 'ms', 100n],
    ['profile:hz:99', 'hz', 99n],
    ['profile:us:1_000', 'us', 1000n],
    ['interval:1000000', 'ns', 1000000n],
  ];
  for (const [header, unit, value] of forms) {
    const point = onlyAttachPoint(header);
    assert.is(point['unit'], unit, header);
    assert.is(point['value'], value, header);
  }
});

test('software and hardware: event with an optional count', () => {
  const faults = onlyAttachPoint('software:faults:100');
  assert.equal([faults['event'], faults['count']], ['faults', 100n]);
  const clock = onlyAttachPoint('software:cpu-clock');
  assert.equal([clock['event'], clock['count']], ['cpu-clock', undefined]);
  const misses = onlyAttachPoint('hardware:cache-misses:1000000');
  assert.equal([misses['provider'], misses['event'], misses['count']], ['hardware', 'cache-misses', 1000000n]);
});

test('watchpoint and iter', () => {
  const watch = onlyAttachPoint('watchpoint:0x10000000:8:rw');
  assert.equal([watch['target'], watch['length'], watch['mode']], ['0x10000000', 8n, 'rw']);
  const iter = onlyAttachPoint('iter:task_file');
  assert.is(iter['object'], 'task_file');
});

test('comma-separated lists, over several lines, with spans on each attach point', () => {
  const source = 'tracepoint:syscalls:sys_enter_open,\n  tracepoint:syscalls:sys_enter_openat , BEGIN\n{ }';
  const probe = parseOk(source).probes[0]!;
  assert.equal(probe.attachPoints.map((point) => point.raw), [
    'tracepoint:syscalls:sys_enter_open', 'tracepoint:syscalls:sys_enter_openat', 'BEGIN',
  ]);
  assert.equal(probe.attachPoints.map((point) => textOf(source, point.span)), probe.attachPoints.map((point) => point.raw));
  assert.equal([probe.attachPoints[1]!.span.line, probe.attachPoints[1]!.span.column], [2, 3]);
});

test('a predicate may follow without a space, and a path keeps its slashes', () => {
  const program = parseOk('BEGIN/1/{ } uprobe:/bin/bash:readline/pid == 1/ { }');
  assert.equal(program.probes.map((probe) => probe.attachPoints[0]!.raw), ['BEGIN', 'uprobe:/bin/bash:readline']);
  assert.ok(program.probes.every((probe) => probe.predicate !== undefined));
});

test('malformed attach points are diagnosed at the offending field', () => {
  const cases: Array<[string, string, string]> = [
    ['tracepoint:syscalls { }', "tracepoint probe 'tracepoint:syscalls' does not have the form tracepoint:category:event", 'tracepoint:syscalls'],
    ['nosuch:thing { }', "unknown probe type 'nosuch'", 'nosuch'],
    ['interval:xs:1 { }', "unknown unit 'xs' in interval probe", 'xs'],
    ['interval:s:one { }', "expected a number, found 'one'", 'one'],
    ['kretprobe:vfs_read+4 { }', 'a kretprobe cannot have an offset', 'vfs_read+4'],
    ['BEGIN:x { }', 'BEGIN takes no arguments', 'BEGIN:x'],
    ['t:syscalls: { }', "empty field in tracepoint probe 't:syscalls:'", ''],
    ['profile:hz:* { }', 'wildcards are not allowed in profile probes', 'profile:hz:*'],
  ];
  for (const [source, message, marked] of cases) {
    const diagnostics = parseErrors(source);
    assert.is(diagnostics[0]!.message, message, source);
    assert.is(textOf(source, diagnostics[0]!.span), marked, source);
  }
});

test('every bad attach point of a program is reported', () => {
  const diagnostics = parseErrors('foo:a { } BEGIN { } bar:b { }');
  assert.equal(diagnostics.map((d) => d.message), ["unknown probe type 'foo'", "unknown probe type 'bar'"]);
});

test.run();
