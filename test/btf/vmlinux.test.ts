// The reader on the running kernel's BTF, checked against bpftool's independent decoding of the same file.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openVmlinuxBtf, VMLINUX_BTF_PATH, type BtfReader, type BtfType } from '../../src/btf/index.js';
import { kernelBtf, needs, tool, type Requirement } from '../support/skip.js';

let reader: BtfReader | undefined;

interface RawType { readonly kind: string; readonly name: string; readonly fields: Map<string, string>; readonly members: string[] }

let rawDump: Map<number, RawType> | undefined;

/** `bpftool btf dump … format raw`, one entry per `[id] KIND 'name' k=v…` line plus its indented lines (read once; a bpftool failure throws). */
function bpftoolRawDump(): Map<number, RawType> {
  if (rawDump) return rawDump;
  const text = execFileSync('bpftool', ['btf', 'dump', 'file', VMLINUX_BTF_PATH, 'format', 'raw'], { encoding: 'utf8', maxBuffer: 512 << 20 });
  const types = new Map<number, RawType>();
  let current: RawType | undefined;
  for (const line of text.split('\n')) {
    const header = /^\[(\d+)\] (\w+) '([^']*)'(.*)$/.exec(line);
    if (header) {
      const fields = new Map([...header[4]!.matchAll(/(\w+)=([^\s,]+)/g)].map((match) => [match[1]!, match[2]!] as [string, string]));
      current = { kind: header[2]!, name: header[3] === '(anon)' ? '' : header[3]!, fields, members: [] };
      types.set(Number(header[1]), current);
    } else if (line.startsWith('\t') && current) {
      current.members.push(line.trim());
    }
  }
  rawDump = types;
  return types;
}

const bpftoolKinds: Record<string, BtfType['kind']> = {
  INT: 'int', PTR: 'pointer', ARRAY: 'array', STRUCT: 'struct', UNION: 'union', ENUM: 'enum', FWD: 'forward',
  TYPEDEF: 'typedef', VOLATILE: 'volatile', CONST: 'const', RESTRICT: 'restrict', FUNC: 'func', FUNC_PROTO: 'funcProto',
  VAR: 'variable', DATASEC: 'dataSection', FLOAT: 'float', DECL_TAG: 'declTag', TYPE_TAG: 'typeTag', ENUM64: 'enum64',
};

/** A test on the running kernel's BTF (skipped only where the kernel has none). */
function kernelTest(name: string, body: (reader: BtfReader) => void, more: Requirement[] = []): void {
  needs(test, name, [kernelBtf, ...more], () => {
    reader ??= openVmlinuxBtf();
    body(reader);
  });
}

const bpftool = tool('bpftool');

kernelTest('finds struct task_struct, and tgid and comm in it', (btf) => {
  const task = btf.findType('task_struct', 'struct');
  assert.ok(task && task.kind === 'struct');
  if (!task || task.kind !== 'struct') return;
  assert.ok(task.size > 1000, `task_struct is ${task.size} bytes`);
  const tgid = btf.memberOffset('task_struct', 'tgid');
  assert.is(btf.typeName(tgid.type), 'pid_t');
  assert.is(tgid.size, 4);
  assert.is(tgid.bitfieldSize, 0);
  assert.is(tgid.byteOffset * 8, tgid.bitOffset);
  const comm = btf.memberOffset('struct task_struct', 'comm');
  assert.is(btf.typeName(comm.type), 'char[16]');
  assert.is(comm.size, 16);
  assert.is(btf.typeName(btf.member(task.id, 'mm').type), 'struct mm_struct *');
  assert.is(btf.typeName(btf.findType('task_struct')!.id), 'struct task_struct');
});

kernelTest('struct file exists with a known size', (btf) => {
  const file = btf.findType('struct file');
  assert.ok(file && file.kind === 'struct');
  assert.ok(btf.sizeof(file!.id) > 64);
  assert.is(btf.typeName(btf.memberOffset('file', 'f_inode').type), 'struct inode *');
});

kernelTest('btf_trace_sys_enter resolves to a prototype with 3 params', (btf) => {
  const typedef = btf.findType('btf_trace_sys_enter', 'typedef');
  assert.ok(typedef);
  const resolved = btf.resolve(typedef!.id);
  assert.is(resolved.kind, 'pointer');
  const proto = btf.funcPrototype('btf_trace_sys_enter');
  assert.ok(proto);
  assert.is(proto!.params.length, 3);
  assert.equal(proto!.params.map((param) => btf.typeName(param.type)), ['void *', 'struct pt_regs *', 'long int']);
  assert.is(btf.typeName(proto!.returnType), 'void');
});

kernelTest('functions have named parameters', (btf) => {
  const proto = btf.funcPrototype('vfs_read');
  assert.ok(proto);
  assert.equal(proto!.params.map((param) => param.name), ['file', 'buf', 'count', 'pos']);
  assert.is(btf.typeName(btf.findType('vfs_read', 'func')!.id), 'ssize_t vfs_read(struct file *, char *, size_t, loff_t *)');
});

kernelTest('types() enumerates raw tracepoint typedefs by glob', (btf) => {
  const names = [...btf.types('typedef', 'btf_trace_sched_*')].map((type) => type.name);
  assert.ok(names.includes('btf_trace_sched_switch'));
  assert.ok(names.every((name) => name.startsWith('btf_trace_sched_')));
  assert.ok(names.length > 10);
});

kernelTest('enums decode with their values', (btf) => {
  const mapType = btf.findType('enum bpf_map_type');
  assert.ok(mapType && (mapType.kind === 'enum' || mapType.kind === 'enum64'));
  if (!mapType || (mapType.kind !== 'enum' && mapType.kind !== 'enum64')) return;
  const ringbuf = mapType.values.find((value) => value.name === 'BPF_MAP_TYPE_RINGBUF');
  assert.is(ringbuf?.value, 27n);
});

kernelTest('every type agrees with bpftool: kind, name, sizes and struct members', (btf) => {
  const raw = bpftoolRawDump();
  assert.is(btf.typeCount, raw.size);
  let structs = 0;
  for (const [id, expected] of raw) {
    const type = btf.typeById(id);
    const where = `type [${id}] ${expected.kind} '${expected.name}'`;
    if (type.kind !== bpftoolKinds[expected.kind] || type.name !== expected.name) {
      assert.unreachable(`${where}: decoded as ${type.kind} '${type.name}'`);
    }
    const size = expected.fields.get('size');
    if (size !== undefined && 'size' in type && type.size !== Number(size)) assert.unreachable(`${where}: size ${type.size}`);
    const target = expected.fields.get('type_id');
    if (target !== undefined && 'type' in type && type.type !== Number(target)) assert.unreachable(`${where}: type ${type.type}`);
    if (type.kind === 'array' && type.count !== Number(expected.fields.get('nr_elems'))) assert.unreachable(`${where}: count ${type.count}`);
    if (type.kind === 'struct' || type.kind === 'union') {
      structs += 1;
      const members = type.members.map((member) =>
        `'${member.name || '(anon)'}' type_id=${member.type} bits_offset=${member.bitOffset}${member.bitfieldSize ? ` bitfield_size=${member.bitfieldSize}` : ''}`);
      if (members.join('\n') !== expected.members.join('\n')) {
        assert.fixture(members.join('\n'), expected.members.join('\n'), `${where} members`);
      }
    }
    if (type.kind === 'int') {
      const encoding = type.bool ? 'BOOL' : type.char ? 'CHAR' : type.signed ? 'SIGNED' : '(none)';
      const decoded = `bits_offset=${type.bitOffset} nr_bits=${type.bits} encoding=${encoding}`;
      const listed = ['bits_offset', 'nr_bits', 'encoding'].map((key) => `${key}=${expected.fields.get(key)}`).join(' ');
      if (decoded !== listed) assert.unreachable(`${where}: ${decoded}, bpftool ${listed}`);
    }
    if (type.kind === 'enum' || type.kind === 'enum64') {
      if ((type.signed ? 'SIGNED' : 'UNSIGNED') !== expected.fields.get('encoding')) assert.unreachable(`${where}: signedness`);
      assert.equal(type.values.map((value) => `'${value.name}' val=${value.value}`), expected.members.map((line) => line.replace(/U?LL$/, '')), `${where} values`);
    }
    if (type.kind === 'func' || type.kind === 'variable') {
      if (type.linkage !== expected.fields.get('linkage')) assert.unreachable(`${where}: linkage ${type.linkage}`);
    }
    if (type.kind === 'dataSection') {
      const variables = type.variables.map((entry) => `type_id=${entry.type} offset=${entry.offset} size=${entry.size}`);
      assert.equal(variables, expected.members.map((line) => line.replace(/ \(.*\)$/, '')), `${where} variables`);
    }
    if (type.kind === 'funcProto') {
      const params = type.params.map((param) => `'${param.name || '(anon)'}' type_id=${param.type}`);
      if (type.variadic) params.push(`'(anon)' type_id=0`);
      if (params.join('\n') !== expected.members.join('\n')) assert.fixture(params.join('\n'), expected.members.join('\n'), `${where} params`);
    }
  }
  assert.ok(structs > 1000);
}, [bpftool]);

kernelTest('the offset of task_struct.tgid matches bpftool', (btf) => {
  const raw = bpftoolRawDump();
  const task = [...raw].find(([, type]) => type.kind === 'STRUCT' && type.name === 'task_struct');
  assert.ok(task);
  const line = task![1].members.find((member) => member.startsWith("'tgid' "));
  const bits = Number(/bits_offset=(\d+)/.exec(line ?? '')?.[1]);
  assert.ok(bits > 0);
  assert.is(btf.memberOffset('task_struct', 'tgid').bitOffset, bits);
  assert.is(btf.memberOffset('task_struct', 'tgid').byteOffset, bits / 8);
}, [bpftool]);

kernelTest('an enumerator by name: its enum and value, decoding only that enum', () => {
  const fresh = openVmlinuxBtf();
  const found = fresh.findEnumerator('BPF_MAP_TYPE_RINGBUF');
  assert.is(found?.type.name, 'bpf_map_type');
  assert.is(found?.value, 27n, 'the uapi value (a stable ABI number)');
  assert.equal(fresh.decodedIds(), [found!.type.id]);
  assert.is(fresh.findEnumerator('TSBPF_NO_SUCH_ENUMERATOR'), undefined);
});

test.run();
