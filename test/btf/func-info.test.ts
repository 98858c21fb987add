import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeFuncInfo, encodeLineInfo, FUNC_INFO_RECORD_SIZE, LINE_INFO_RECORD_SIZE } from '../../src/btf/index.js';

function words(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, index) => view.getUint32(index * 4, true));
}

test('func_info records are {insn_off, type_id} pairs sorted by offset', () => {
  const section = encodeFuncInfo([{ instructionOffset: 12, typeId: 7 }, { instructionOffset: 0, typeId: 5 }]);
  assert.is(section.funcInfoRecordSize, FUNC_INFO_RECORD_SIZE);
  assert.is(FUNC_INFO_RECORD_SIZE, 8);
  assert.is(section.funcInfoCount, 2);
  assert.equal(words(section.funcInfo), [0, 5, 12, 7]);
});

test('func_info must start at instruction 0 and not repeat an offset', () => {
  assert.throws(() => encodeFuncInfo([{ instructionOffset: 3, typeId: 1 }]), /start at instruction 0/);
  assert.throws(() => encodeFuncInfo([{ instructionOffset: 0, typeId: 1 }, { instructionOffset: 0, typeId: 2 }]), /two functions/);
  assert.is(encodeFuncInfo([]).funcInfoCount, 0);
});

test('line_info packs line and column into line_col', () => {
  const section = encodeLineInfo([
    { instructionOffset: 4, fileNameOffset: 1, lineTextOffset: 9, line: 3, column: 17 },
    { instructionOffset: 0, fileNameOffset: 1, lineTextOffset: 5, line: 1, column: 2000 },
  ]);
  assert.is(section.lineInfoRecordSize, LINE_INFO_RECORD_SIZE);
  assert.is(LINE_INFO_RECORD_SIZE, 16);
  assert.is(section.lineInfoCount, 2);
  // The column keeps 10 bits, so 2000 clamps to 1023 rather than spilling into the line.
  assert.equal(words(section.lineInfo), [0, 1, 5, (1 << 10) | 1023, 4, 1, 9, (3 << 10) | 17]);
});

test.run();
