// The lookup rules of FunctionIndex on hand-built symbol tables: sizes bound functions, nested
// functions resolve to the innermost, size-less ones reach the next symbol, aliases pick the public
// name, and addresses above 2^32 still sort exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile } from '../../src/elf/index.js';
import { FunctionIndex } from '../../src/symbols/index.js';
import { buildElf, symbolSections, type SymbolSpec } from '../elf/build-elf.js';

const local = 0;
const global = 1;
const object = 1;

function indexOf(symbols: readonly SymbolSpec[]): FunctionIndex {
  return FunctionIndex.build([ElfFile.fromBytes(buildElf(symbolSections(symbols)))]);
}

test('inside the size, outside it nothing; objects and undefined symbols are not functions', () => {
  const index = indexOf([
    { name: 'first', value: 0x1000n, size: 0x10 },
    { name: 'second', value: 0x1020n, size: 0x10 },
    { name: 'a_variable', value: 0x1040n, size: 0x10, type: object },
    { name: 'imported', value: 0x1060n, size: 0x10, section: 0 },
  ]);
  assert.equal(index.lookup(0x100f), { name: 'first', offset: 15 });
  assert.is(index.lookup(0x1010), undefined, 'padding between functions');
  assert.equal(index.lookup(0x1020), { name: 'second', offset: 0 });
  assert.is(index.lookup(0x1045), undefined);
  assert.is(index.lookup(0x1065), undefined);
  assert.is(index.size, 2);
});

test('nested functions: the innermost contains the address, the outer one the rest', () => {
  const index = indexOf([
    { name: 'outer', value: 0x2000n, size: 0x100 },
    { name: 'inner', value: 0x2040n, size: 0x10 },
  ]);
  assert.equal(index.lookup(0x2044), { name: 'inner', offset: 4 });
  assert.equal(index.lookup(0x2050), { name: 'outer', offset: 0x50 });
  assert.equal(index.lookup(0x2010), { name: 'outer', offset: 0x10 });
});

test('a size-less function (assembly) extends to the next symbol', () => {
  const index = indexOf([
    { name: '_start', value: 0x3000n, size: 0 },
    { name: 'after', value: 0x3080n, size: 0x10 },
  ]);
  assert.equal(index.lookup(0x307f), { name: '_start', offset: 0x7f });
  assert.equal(index.lookup(0x3080), { name: 'after', offset: 0 });
});

test('aliases: global over local, then fewer leading underscores, then shorter', () => {
  const index = indexOf([
    { name: '__GI___libc_malloc', value: 0x4000n, size: 0x20, binding: local },
    { name: '__libc_malloc', value: 0x4000n, size: 0x20, binding: global },
    { name: 'malloc', value: 0x4000n, size: 0x20, binding: global },
    { name: 'hidden_name', value: 0x5000n, size: 0x20, binding: local },
    { name: '__public', value: 0x5000n, size: 0x20, binding: global },
  ]);
  assert.equal(index.lookup(0x4008), { name: 'malloc', offset: 8 });
  assert.equal(index.lookup(0x5000), { name: '__public', offset: 0 });
});

test('addresses beyond 2^32 and near 2^52 keep their order and exact offsets', () => {
  const high = 0x000f_ffff_ffff_0000n;
  const index = indexOf([
    { name: 'very_high', value: high, size: 0x100 },
    { name: 'low', value: 0x1000n, size: 0x10 },
    { name: 'above_4g', value: 0x1_0000_1000n, size: 0x10 },
  ]);
  assert.equal(index.lookup(Number(high) + 0x42), { name: 'very_high', offset: 0x42 });
  assert.equal(index.lookup(0x1_0000_100f), { name: 'above_4g', offset: 15 });
  assert.equal(index.lookup(0x1001), { name: 'low', offset: 1 });
});

test.run();
