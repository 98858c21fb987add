import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BtfWriter, globToRegExp, isGlob, parseBtf } from '../../src/btf/index.js';

const writer = new BtfWriter();
const char = writer.int('char', 1, { char: true });
const uint = writer.int('unsigned int', 4);
const long = writer.int('long int', 8, { signed: true });
const task = writer.struct('task_struct', 0, []);
const anonymous = writer.union('', 8, []);
const mode = writer.enum('mode', 4, [{ name: 'ON', value: 1 }]);
const forward = writer.forward('file');
const sizeT = writer.typedef('size_t', writer.int('long unsigned int', 8));
const ids = {
  taskPointer: writer.pointer(task),
  comm: writer.array(char, 16),
  matrix: writer.array(writer.array(uint, 4), 2),
  constCharPointer: writer.pointer(writer.const(char)),
  constPointer: writer.const(writer.pointer(char)),
  pointerPointer: writer.pointer(writer.pointer(char)),
  arrayOfPointers: writer.array(writer.pointer(char), 3),
  pointerToArray: writer.pointer(writer.array(char, 16)),
  callback: writer.pointer(writer.funcProto(long, [{ name: 'ctx', type: writer.pointer(0) }, { name: 'n', type: sizeT }])),
  noParams: writer.funcProto(0, []),
  volatileUint: writer.volatile(uint),
  forwardPointer: writer.pointer(forward),
  anonymousPointer: writer.pointer(anonymous),
};
const reader = parseBtf(writer.toBytes());

test('base types print their C spelling', () => {
  assert.is(reader.typeName(0), 'void');
  assert.is(reader.typeName(uint), 'unsigned int');
  assert.is(reader.typeName(task), 'struct task_struct');
  assert.is(reader.typeName(mode), 'enum mode');
  assert.is(reader.typeName(forward), 'struct file');
  assert.is(reader.typeName(sizeT), 'size_t');
  assert.is(reader.typeName(anonymous), 'union (anonymous)');
});

test('declarators compose like C', () => {
  assert.is(reader.typeName(ids.taskPointer), 'struct task_struct *');
  assert.is(reader.typeName(ids.comm), 'char[16]');
  assert.is(reader.typeName(ids.matrix), 'unsigned int[2][4]');
  assert.is(reader.typeName(ids.constCharPointer), 'const char *');
  assert.is(reader.typeName(ids.constPointer), 'char *const');
  assert.is(reader.typeName(ids.pointerPointer), 'char **');
  assert.is(reader.typeName(ids.arrayOfPointers), 'char *[3]');
  assert.is(reader.typeName(ids.pointerToArray), 'char (*)[16]');
  assert.is(reader.typeName(ids.callback), 'long int (*)(void *, size_t)');
  assert.is(reader.typeName(ids.noParams), 'void(void)');
  assert.is(reader.typeName(ids.volatileUint), 'volatile unsigned int');
  assert.is(reader.typeName(ids.forwardPointer), 'struct file *');
  assert.is(reader.typeName(ids.anonymousPointer), 'union (anonymous) *');
});

test('funcPrototype follows a typedef to a function pointer', () => {
  const local = new BtfWriter();
  const int = local.int('int', 4, { signed: true });
  const proto = local.funcProto(0, [{ name: '__data', type: local.pointer(0) }, { name: 'value', type: int }]);
  local.typedef('btf_trace_demo', local.pointer(proto));
  const parsed = parseBtf(local.toBytes());
  const found = parsed.funcPrototype('btf_trace_demo');
  assert.is(found?.id, proto);
  assert.equal(found?.params.map((param) => [param.name, parsed.typeName(param.type)]), [['__data', 'void *'], ['value', 'int']]);
  assert.is(parsed.funcPrototype('int'), undefined);
  assert.is(parsed.funcPrototype('missing'), undefined);
});

test('types() lists one kind, filtered by a glob', () => {
  const local = new BtfWriter();
  const int = local.int('int', 4, { signed: true });
  for (const name of ['btf_trace_sched_switch', 'btf_trace_sched_wakeup', 'btf_trace_sys_enter', 'other_sched']) local.typedef(name, int);
  local.struct('btf_trace_sched_fake', 0, []);
  const parsed = parseBtf(local.toBytes());
  const names = (kind: 'typedef' | 'struct', glob?: string) => [...parsed.types(kind, glob)].map((type) => type.name);
  assert.equal(names('typedef', 'btf_trace_sched_*'), ['btf_trace_sched_switch', 'btf_trace_sched_wakeup']);
  assert.equal(names('typedef', '*sched*'), ['btf_trace_sched_switch', 'btf_trace_sched_wakeup', 'other_sched']);
  assert.equal(names('typedef', 'btf_trace_sys_ente?'), ['btf_trace_sys_enter']);
  assert.equal(names('typedef').length, 4);
  assert.equal(names('struct', 'btf_trace_*'), ['btf_trace_sched_fake']);
  assert.equal(names('typedef', 'btf_trace_sched_switch'), ['btf_trace_sched_switch']);
});

test('globs: wildcards, classes, and literal regex characters', () => {
  assert.ok(globToRegExp('sys_enter_*').test('sys_enter_openat'));
  assert.not.ok(globToRegExp('sys_enter_*').test('sys_exit_openat'));
  assert.ok(globToRegExp('a?c').test('abc'));
  assert.not.ok(globToRegExp('a?c').test('ac'));
  assert.ok(globToRegExp('vfs_[rw]*').test('vfs_write'));
  assert.not.ok(globToRegExp('vfs_[!rw]*').test('vfs_read'));
  assert.ok(globToRegExp('vfs_[!rw]*').test('vfs_open'));
  assert.ok(globToRegExp('a.b+c').test('a.b+c'));
  assert.not.ok(globToRegExp('a.b').test('axb'));
  assert.ok(isGlob('x*'));
  assert.not.ok(isGlob('plain_name'));
});

test.run();
