import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BtfLookupError, BtfWriter, parseBtf } from '../../src/btf/index.js';

// struct inner { short a; short b; };
// struct outer {
//   long head;                        // 0
//   union { int as_int; char as_bytes[4]; };  // 8, anonymous
//   struct { struct inner in; unsigned int x:3, y:13; };  // 12, anonymous; in @12, x @16 bit 0, y @16 bit 3
//   char comm[16];                    // 20
//   struct inner *link;               // 40
//   unsigned int legacy;              // 48: old-style bitfield, an int type of 5 bits at bit offset 2
// };  size 56
function buildLayout() {
  const writer = new BtfWriter();
  const short = writer.int('short', 2, { signed: true });
  const int = writer.int('int', 4, { signed: true });
  const uint = writer.int('unsigned int', 4);
  const long = writer.int('long', 8, { signed: true });
  const char = writer.int('char', 1, { char: true });
  const legacyBits = writer.int('unsigned int', 4, { bits: 5, bitOffset: 2 });
  const inner = writer.struct('inner', 4, [{ name: 'a', type: short, bitOffset: 0 }, { name: 'b', type: short, bitOffset: 16 }]);
  const innerAlias = writer.typedef('inner_t', writer.const(inner));
  const bytes4 = writer.array(char, 4);
  const anonymousUnion = writer.union('', 4, [{ name: 'as_int', type: int, bitOffset: 0 }, { name: 'as_bytes', type: bytes4, bitOffset: 0 }]);
  const anonymousStruct = writer.struct('', 8, [
    { name: 'in', type: innerAlias, bitOffset: 0 },
    { name: 'x', type: uint, bitOffset: 32, bitfieldSize: 3 },
    { name: 'y', type: uint, bitOffset: 35, bitfieldSize: 13 },
  ]);
  const comm = writer.array(char, 16);
  const outer = writer.struct('outer', 56, [
    { name: 'head', type: long, bitOffset: 0 },
    { name: '', type: anonymousUnion, bitOffset: 64 },
    { name: '', type: anonymousStruct, bitOffset: 96 },
    { name: 'comm', type: comm, bitOffset: 160 },
    { name: 'link', type: writer.pointer(inner), bitOffset: 320 },
    { name: 'legacy', type: legacyBits, bitOffset: 384 },
  ]);
  const outerAlias = writer.typedef('outer_t', outer);
  return { reader: parseBtf(writer.toBytes()), ids: { short, int, uint, char, inner, innerAlias, comm, outer, outerAlias } };
}

const { reader, ids } = buildLayout();

test('plain members give byte and bit offsets and sizes', () => {
  assert.equal(reader.memberOffset('outer', 'head'), { type: reader.findType('long')!.id, bitOffset: 0, bitfieldSize: 0, byteOffset: 0, size: 8 });
  const comm = reader.memberOffset('struct outer', 'comm');
  assert.is(comm.byteOffset, 20);
  assert.is(comm.size, 16);
  assert.is(comm.type, ids.comm);
  assert.is(reader.memberOffset('outer', 'link').byteOffset, 40);
});

test('anonymous unions and structs are searched through', () => {
  assert.is(reader.memberOffset('outer', 'as_int').byteOffset, 8);
  assert.is(reader.memberOffset('outer', 'as_bytes').size, 4);
  const inner = reader.memberOffset('outer', 'in');
  assert.is(inner.byteOffset, 12);
  assert.is(inner.type, ids.innerAlias);
});

test('nested paths go through typedefs and qualifiers to the struct', () => {
  assert.is(reader.memberOffset('outer', 'in.b').byteOffset, 14);
  assert.is(reader.memberOffset('outer', ['in', 'b']).byteOffset, 14);
  assert.is(reader.memberOffset('outer', 'in.a').size, 2);
  assert.is(reader.memberOffset('outer_t', 'in.b').byteOffset, 14);
  assert.is(reader.member(ids.outerAlias, 'head').size, 8);
});

test('array indexes step by the element size', () => {
  assert.is(reader.memberOffset('outer', 'comm[0]').byteOffset, 20);
  assert.is(reader.memberOffset('outer', 'comm[15]').byteOffset, 35);
  assert.is(reader.memberOffset('outer', 'comm[3]').size, 1);
  assert.is(reader.memberOffset('outer', 'as_bytes[2]').byteOffset, 10);
});

test('kind-flag bitfields report bit offset and width', () => {
  const x = reader.memberOffset('outer', 'x');
  assert.equal([x.bitOffset, x.bitfieldSize, x.byteOffset, x.size], [128, 3, 16, 4]);
  const y = reader.memberOffset('outer', 'y');
  assert.equal([y.bitOffset, y.bitfieldSize, y.byteOffset, y.size], [131, 13, 16, 4]);
});

test('old-style bitfields take width and shift from the int type', () => {
  const legacy = reader.memberOffset('outer', 'legacy');
  assert.equal([legacy.bitOffset, legacy.bitfieldSize, legacy.byteOffset, legacy.size], [386, 5, 48, 4]);
});

test('lookup failures are BtfLookupErrors with a message naming the problem', () => {
  const failure = (run: () => unknown, pattern: RegExp) =>
    assert.throws(run, (error: unknown) => error instanceof BtfLookupError && pattern.test(error.message));
  failure(() => reader.memberOffset('outer', 'nope'), /struct outer has no field named 'nope'/);
  failure(() => reader.memberOffset('outer', 'link.a'), /behind a pointer/);
  failure(() => reader.memberOffset('outer', 'comm[16]'), /out of bounds/);
  failure(() => reader.memberOffset('outer', 'head.x'), /not a struct or union/);
  failure(() => reader.memberOffset('outer', 'head[1]'), /not an array/);
  failure(() => reader.memberOffset('outer', 'x.y'), /bitfield has no members/);
  failure(() => reader.memberOffset('missing', 'x'), /unknown type 'missing'/);
  failure(() => reader.memberOffset('int', 'x'), /'int' is not a struct or union/);
  failure(() => reader.memberOffset('outer', ''), /empty field path/);
});

test('sizeof follows typedefs, arrays and pointers', () => {
  assert.is(reader.sizeof(ids.outer), 56);
  assert.is(reader.sizeof(ids.outerAlias), 56);
  assert.is(reader.sizeof(ids.innerAlias), 4);
  assert.is(reader.sizeof(ids.comm), 16);
  assert.is(reader.sizeof(reader.member(ids.outer, 'link').type), 8);
  assert.is(reader.sizeof(0), 0);
});

test('findType prefers a definition to a forward declaration and honours tags', () => {
  const writer = new BtfWriter();
  const forward = writer.forward('thing');
  const definition = writer.struct('thing', 0, []);
  const alias = writer.typedef('thing', definition);
  const reader = parseBtf(writer.toBytes());
  assert.is(reader.findType('thing')?.id, definition);
  assert.is(reader.findType('thing', 'forward')?.id, forward);
  assert.is(reader.findType('thing', 'typedef')?.id, alias);
  assert.equal(reader.findTypes('struct thing').map((type) => type.id), [definition]);
  assert.is(reader.findType('union thing'), undefined);
  assert.is(reader.findType('nothing'), undefined);
  assert.equal(reader.findTypes(''), []);
});

test.run();
