import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BtfError, BtfWriter, parseBtf } from '../../src/btf/index.js';

function header(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    magic: view.getUint16(0, true), version: view.getUint8(2), flags: view.getUint8(3), headerLength: view.getUint32(4, true),
    typeOffset: view.getUint32(8, true), typeLength: view.getUint32(12, true), stringOffset: view.getUint32(16, true),
    stringLength: view.getUint32(20, true),
  };
}

test('header fields describe the sections exactly', () => {
  const writer = new BtfWriter();
  writer.int('int', 4, { signed: true });
  const bytes = writer.toBytes();
  const fields = header(bytes);
  assert.is(fields.magic, 0xeb9f);
  assert.is(bytes[0], 0x9f); // little-endian on the wire
  assert.is(fields.version, 1);
  assert.is(fields.flags, 0);
  assert.is(fields.headerLength, 24);
  assert.is(fields.typeOffset, 0);
  assert.is(fields.typeLength, 16); // btf_type + the INT's u32
  assert.is(fields.stringOffset, 16);
  assert.is(fields.stringLength, 5); // "\0int\0"
  assert.is(bytes.length, 24 + 16 + 5);
  assert.equal([...bytes.subarray(40)], [0, 0x69, 0x6e, 0x74, 0]);
});

test('an empty writer still produces a valid blob with the empty string', () => {
  const bytes = new BtfWriter().toBytes();
  assert.is(header(bytes).stringLength, 1);
  assert.is(parseBtf(bytes).typeCount, 0);
});

test('strings are stored once however often they are used', () => {
  const writer = new BtfWriter();
  const intId = writer.int('counter', 8);
  writer.typedef('counter', intId);
  writer.struct('counter', 8, [{ name: 'counter', type: intId, bitOffset: 0 }]);
  const offset = writer.string('counter');
  assert.is(offset, 1);
  assert.is(writer.string(''), 0);
  const bytes = writer.toBytes();
  assert.is(header(bytes).stringLength, 1 + 'counter'.length + 1);
  const reader = parseBtf(bytes);
  assert.equal(reader.findTypes('counter').map((type) => type.kind), ['int', 'typedef', 'struct']);
});

test('int, float and pointer round-trip', () => {
  const writer = new BtfWriter();
  const u8 = writer.int('unsigned char', 1, { char: true });
  const s64 = writer.int('long', 8, { signed: true });
  const flag = writer.int('_Bool', 1, { bool: true });
  const narrow = writer.int('nibble', 4, { bits: 4, bitOffset: 8 });
  const double = writer.float('double', 8);
  const pointer = writer.pointer(s64);
  const voidPointer = writer.pointer(0);
  const reader = parseBtf(writer.toBytes());
  assert.equal(reader.typeById(u8), { kind: 'int', id: u8, name: 'unsigned char', size: 1, bits: 8, bitOffset: 0, signed: false, char: true, bool: false });
  assert.equal(reader.typeById(s64), { kind: 'int', id: s64, name: 'long', size: 8, bits: 64, bitOffset: 0, signed: true, char: false, bool: false });
  const flagType = reader.typeById(flag);
  assert.ok(flagType.kind === 'int' && flagType.bool && !flagType.signed);
  const narrowType = reader.typeById(narrow);
  assert.ok(narrowType.kind === 'int' && narrowType.bits === 4 && narrowType.bitOffset === 8 && narrowType.size === 4);
  assert.equal(reader.typeById(double), { kind: 'float', id: double, name: 'double', size: 8 });
  assert.equal(reader.typeById(pointer), { kind: 'pointer', id: pointer, name: '', type: s64 });
  assert.equal(reader.typeById(voidPointer), { kind: 'pointer', id: voidPointer, name: '', type: 0 });
  assert.is(reader.typeName(voidPointer), 'void *');
});

test('array round-trips and gets an index type when none is given', () => {
  const writer = new BtfWriter();
  const char = writer.int('char', 1, { char: true });
  const comm = writer.array(char, 16);
  const reader = parseBtf(writer.toBytes());
  const array = reader.typeById(comm);
  assert.ok(array.kind === 'array');
  if (array.kind !== 'array') return;
  assert.is(array.type, char);
  assert.is(array.count, 16);
  const index = reader.typeById(array.indexType);
  assert.ok(index.kind === 'int' && index.size === 4 && !index.signed);
  assert.is(reader.sizeof(comm), 16);
  assert.is(reader.typeName(comm), 'char[16]');
});

test('an existing unsigned int is reused as the array index type', () => {
  const writer = new BtfWriter();
  const uint = writer.int('unsigned int', 4);
  const array = writer.array(uint, 3);
  assert.is(writer.typeCount, 2);
  const type = parseBtf(writer.toBytes()).typeById(array);
  assert.ok(type.kind === 'array' && type.indexType === uint);
});

test('struct and union round-trip with members and bit offsets', () => {
  const writer = new BtfWriter();
  const int = writer.int('int', 4, { signed: true });
  const long = writer.int('long', 8, { signed: true });
  const pair = writer.struct('pair', 16, [
    { name: 'first', type: int, bitOffset: 0 },
    { name: 'second', type: long, bitOffset: 64 },
  ]);
  const either = writer.union('either', 8, [
    { name: 'small', type: int, bitOffset: 0 },
    { name: 'large', type: long, bitOffset: 0 },
  ]);
  const reader = parseBtf(writer.toBytes());
  assert.equal(reader.typeById(pair), {
    kind: 'struct', id: pair, name: 'pair', size: 16, members: [
      { name: 'first', type: int, bitOffset: 0, bitfieldSize: 0 },
      { name: 'second', type: long, bitOffset: 64, bitfieldSize: 0 },
    ],
  });
  const union = reader.typeById(either);
  assert.is(union.kind, 'union');
  assert.is(reader.typeName(either), 'union either');
});

test('bitfield members set the kind flag and keep their sizes', () => {
  const writer = new BtfWriter();
  const uint = writer.int('unsigned int', 4);
  const flags = writer.struct('flags', 4, [
    { name: 'low', type: uint, bitOffset: 0, bitfieldSize: 3 },
    { name: 'high', type: uint, bitOffset: 3, bitfieldSize: 29 },
  ]);
  const bytes = writer.toBytes();
  const structStart = 24 + 16; // after the header and the INT (btf_type + its u32)
  const info = new DataView(bytes.buffer).getUint32(structStart + 4, true);
  assert.is(info >>> 31, 1);
  const struct = parseBtf(bytes).typeById(flags);
  assert.ok(struct.kind === 'struct');
  if (struct.kind !== 'struct') return;
  assert.equal(struct.members.map((member) => [member.name, member.bitOffset, member.bitfieldSize]), [['low', 0, 3], ['high', 3, 29]]);
});

test('a struct can point to itself through setMembers', () => {
  const writer = new BtfWriter();
  const node = writer.struct('node', 16, []);
  const next = writer.pointer(node);
  const long = writer.int('long', 8, { signed: true });
  writer.setMembers(node, [{ name: 'next', type: next, bitOffset: 0 }, { name: 'value', type: long, bitOffset: 64 }]);
  const reader = parseBtf(writer.toBytes());
  assert.is(reader.typeName(reader.member(node, 'next').type), 'struct node *');
  assert.is(reader.member(node, 'value').byteOffset, 8);
  assert.throws(() => writer.setMembers(long, []), (error: unknown) => error instanceof BtfError && /not a struct/.test(error.message));
});

test('enum and enum64 round-trip with signedness', () => {
  const writer = new BtfWriter();
  const state = writer.enum('state', 4, [{ name: 'IDLE', value: 0 }, { name: 'BUSY', value: 7 }, { name: 'TOP', value: 0xffffffff }]);
  const signed = writer.enum('delta', 4, [{ name: 'DOWN', value: -1 }, { name: 'UP', value: 1 }]);
  const wide = writer.enum('wide', 8, [{ name: 'HUGE', value: 0x1_0000_0001n }, { name: 'NEG', value: -2n }], { signed: true });
  const reader = parseBtf(writer.toBytes());
  assert.equal(reader.typeById(state), {
    kind: 'enum', id: state, name: 'state', size: 4, signed: false,
    values: [{ name: 'IDLE', value: 0n }, { name: 'BUSY', value: 7n }, { name: 'TOP', value: 0xffffffffn }],
  });
  const delta = reader.typeById(signed);
  assert.ok(delta.kind === 'enum' && delta.signed && delta.values[0]!.value === -1n);
  assert.equal(reader.typeById(wide), {
    kind: 'enum64', id: wide, name: 'wide', size: 8, signed: true,
    values: [{ name: 'HUGE', value: 0x1_0000_0001n }, { name: 'NEG', value: -2n }],
  });
  assert.is(reader.findType('wide', 'enum')?.id, wide);
  assert.is(reader.typeName(wide), 'enum wide');
});

test('forward, typedef and qualifiers round-trip and resolve', () => {
  const writer = new BtfWriter();
  const opaque = writer.forward('opaque');
  const either = writer.forward('either', 'union');
  const char = writer.int('char', 1, { char: true });
  const constChar = writer.const(char);
  const volatileChar = writer.volatile(constChar);
  const restricted = writer.restrict(writer.pointer(char));
  const alias = writer.typedef('name_t', volatileChar);
  const tagged = writer.typeTag('user', char);
  const reader = parseBtf(writer.toBytes());
  assert.equal(reader.typeById(opaque), { kind: 'forward', id: opaque, name: 'opaque', union: false });
  assert.equal(reader.typeById(either), { kind: 'forward', id: either, name: 'either', union: true });
  assert.equal(reader.typeById(constChar), { kind: 'const', id: constChar, name: '', type: char });
  assert.equal(reader.typeById(alias), { kind: 'typedef', id: alias, name: 'name_t', type: volatileChar });
  assert.equal(reader.typeById(tagged), { kind: 'typeTag', id: tagged, name: 'user', type: char });
  assert.is(reader.resolve(alias).id, char);
  assert.is(reader.resolve(restricted).kind, 'pointer');
  assert.is(reader.sizeof(alias), 1);
  assert.is(reader.typeName(reader.typeById(restricted).id), 'char *restrict');
});

test('func_proto and func round-trip with parameter names, linkage and varargs', () => {
  const writer = new BtfWriter();
  const int = writer.int('int', 4, { signed: true });
  const charPointer = writer.pointer(writer.int('char', 1, { char: true }));
  const proto = writer.funcProto(int, [{ name: 'fd', type: int }, { type: charPointer }]);
  const printfProto = writer.funcProto(int, [{ name: 'format', type: charPointer }], { variadic: true });
  const main = writer.func('main', proto, 'global');
  const helper = writer.func('helper', proto);
  const reader = parseBtf(writer.toBytes());
  assert.equal(reader.typeById(proto), {
    kind: 'funcProto', id: proto, name: '', returnType: int, variadic: false,
    params: [{ name: 'fd', type: int }, { name: '', type: charPointer }],
  });
  const variadic = reader.typeById(printfProto);
  assert.ok(variadic.kind === 'funcProto' && variadic.variadic && variadic.params.length === 1);
  assert.equal(reader.typeById(main), { kind: 'func', id: main, name: 'main', type: proto, linkage: 'global' });
  const helperType = reader.typeById(helper);
  assert.is(helperType.kind === 'func' ? helperType.linkage : undefined, 'static');
  assert.is(reader.funcPrototype('main')?.id, proto);
  assert.is(reader.typeName(main), 'int main(int, char *)');
  assert.is(reader.typeName(printfProto), 'int(char *, ...)');
});

test('var, datasec and decl tags round-trip', () => {
  const writer = new BtfWriter();
  const int = writer.int('int', 4, { signed: true });
  const counter = writer.variable('counter', int);
  const local = writer.variable('local', int, 'static');
  const section = writer.dataSection('.bss', 8, [{ type: counter, offset: 0, size: 4 }, { type: local, offset: 4, size: 4 }]);
  const tag = writer.declTag('percpu', counter);
  const memberTag = writer.declTag('user', int, 2);
  const reader = parseBtf(writer.toBytes());
  assert.equal(reader.typeById(counter), { kind: 'variable', id: counter, name: 'counter', type: int, linkage: 'global' });
  assert.equal(reader.typeById(local), { kind: 'variable', id: local, name: 'local', type: int, linkage: 'static' });
  assert.equal(reader.typeById(section), {
    kind: 'dataSection', id: section, name: '.bss', size: 8,
    variables: [{ type: counter, offset: 0, size: 4 }, { type: local, offset: 4, size: 4 }],
  });
  assert.equal(reader.typeById(tag), { kind: 'declTag', id: tag, name: 'percpu', type: counter, componentIndex: -1 });
  assert.equal(reader.typeById(memberTag), { kind: 'declTag', id: memberTag, name: 'user', type: int, componentIndex: 2 });
  assert.is(reader.sizeof(section), 8);
});

test('writer misuse is reported, not encoded', () => {
  const writer = new BtfWriter();
  assert.throws(() => writer.pointer(5), /does not exist yet/);
  assert.throws(() => writer.int('odd', 3), /size 3/);
  assert.throws(() => writer.int('wide', 4, { bits: 40 }), /exceed/);
  assert.throws(() => writer.enum('e', 3, []), /size 3/);
  assert.throws(() => writer.string('a\0b'), /NUL/);
  assert.throws(() => writer.int('schar', 1, { signed: true, char: true }), /exclusive/);
  assert.is(writer.typeCount, 0);
});

test('the reader rejects malformed blobs with a BtfError', () => {
  const writer = new BtfWriter();
  writer.pointer(writer.int('int', 4, { signed: true }));
  const good = writer.toBytes();
  const broken = (mutate: (view: DataView, bytes: Uint8Array) => Uint8Array | void) => {
    const bytes = good.slice();
    return mutate(new DataView(bytes.buffer), bytes) ?? bytes;
  };
  const rejects = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(() => parseBtf(bytes), (error: unknown) => error instanceof BtfError && pattern.test(error.message));
  rejects(good.subarray(0, 10), /shorter than its header/);
  rejects(broken((view) => view.setUint16(0, 0x9feb, true)), /other byte order/);
  rejects(broken((view) => view.setUint16(0, 0x1234, true)), /not BTF/);
  rejects(broken((view) => view.setUint32(20, 1000, true)), /outside the blob/);
  rejects(broken((view) => view.setUint32(24 + 16 + 4, 0x1f000000, true)), /unknown kind 31/);
  rejects(broken((view) => view.setUint32(12, 20, true)), /runs past the end|cut off/);
  const badName = parseBtf(broken((view) => view.setUint32(24, 500, true)));
  assert.throws(() => badName.typeById(1), /outside the string section/);
  assert.throws(() => badName.typeById(3), /out of range/);
});

test.run();
