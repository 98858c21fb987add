import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineMap } from '../../src/diagnostics/line-map.js';

test('positions are 1-based lines and columns', () => {
  const map = new LineMap('f', 'ab\ncde\n\nf');
  assert.equal(map.position(0), { line: 1, column: 1 });
  assert.equal(map.position(2), { line: 1, column: 3 });
  assert.equal(map.position(3), { line: 2, column: 1 });
  assert.equal(map.position(6), { line: 2, column: 4 });
  assert.equal(map.position(7), { line: 3, column: 1 });
  assert.equal(map.position(8), { line: 4, column: 1 });
  assert.equal(map.position(9), { line: 4, column: 2 });
  assert.is(map.lineCount, 4);
});

test('spans are clamped into the text', () => {
  const map = new LineMap('f', 'abc');
  assert.equal(map.span(1, 10), { file: 'f', line: 1, column: 2, offset: 1, length: 2 });
  assert.equal(map.span(-4, 2), { file: 'f', line: 1, column: 1, offset: 0, length: 2 });
  assert.equal(map.span(9, 1), { file: 'f', line: 1, column: 4, offset: 3, length: 0 });
  assert.equal(map.range(1, 3), { file: 'f', line: 1, column: 2, offset: 1, length: 2 });
});

test('line texts exclude their terminators', () => {
  const map = new LineMap('f', 'one\r\ntwo\n\nlast');
  assert.equal([1, 2, 3, 4, 5].map((line) => map.lineText(line)), ['one', 'two', '', 'last', '']);
});

test('agrees with a naive scan at every offset', () => {
  const text = 'x\n\n  yy\r\nz\n';
  const map = new LineMap('f', text);
  for (let offset = 0; offset <= text.length; offset += 1) {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    assert.equal(map.position(offset), { line, column }, `offset ${offset}`);
  }
});

test.run();
