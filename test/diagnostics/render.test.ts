import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorAt, warningAt } from '../../src/diagnostics/diagnostic.js';
import { LineMap } from '../../src/diagnostics/line-map.js';
import { renderDiagnostic, renderDiagnostics } from '../../src/diagnostics/render.js';

const source = 'BEGIN { @x = foo(1); }\nEND {\n  print(@x);\n}\n';
const lines = new LineMap('stdin', source);

test('an error: location with a column range, the line, and ~ under the span', () => {
  const text = renderDiagnostic(errorAt(lines.span(13, 3), 'Unknown function: foo'), source);
  assert.is(text, 'stdin:1:14-17: ERROR: Unknown function: foo\nBEGIN { @x = foo(1); }\n             ~~~\n');
});

test('a warning uses the same shape', () => {
  const text = renderDiagnostic(warningAt(lines.span(source.indexOf('END'), 3), 'unused probe'), source);
  assert.is(text, 'stdin:2:1-4: WARNING: unused probe\nEND {\n~~~\n');
});

test('a zero-length span gets a caret and a single column', () => {
  const text = renderDiagnostic(errorAt(lines.span(source.indexOf('{\n  ') + 1, 0), "expected '}'"), source);
  assert.is(text, "stdin:2:6: ERROR: expected '}'\nEND {\n     ^\n");
});

test('a span over several lines is located by lines and marked to the end of its first line', () => {
  const start = source.indexOf('END');
  const end = source.lastIndexOf('}') + 1;
  const text = renderDiagnostic(errorAt(lines.range(start, end), 'whole probe'), source);
  assert.is(text, 'stdin:2-4: ERROR: whole probe\nEND {\n~~~~~\n');
});

test('a hint is printed on its own line', () => {
  const text = renderDiagnostic(errorAt(lines.span(source.indexOf('print'), 5), 'bad call', 'try print(@x, 10)'), source);
  assert.is(text, 'stdin:3:3-8: ERROR: bad call\n  print(@x);\n  ~~~~~\nHINT: try print(@x, 10)\n');
});

test('tabs before the span are kept so the marker lines up', () => {
  const tabbed = 'BEGIN {\n\t\t$x = ;\n}';
  const map = new LineMap('t.bt', tabbed);
  const text = renderDiagnostic(errorAt(map.span(tabbed.indexOf(';'), 1), 'expected an expression'), tabbed);
  assert.is(text, 't.bt:2:8-9: ERROR: expected an expression\n\t\t$x = ;\n\t\t     ~\n');
});

test('carriage returns are not part of the shown line', () => {
  const crlf = 'BEGIN {\r\n  $x = ;\r\n}\r\n';
  const map = new LineMap('w.bt', crlf);
  const text = renderDiagnostic(errorAt(map.span(crlf.indexOf(';'), 1), 'expected an expression'), map);
  assert.is(text, 'w.bt:2:8-9: ERROR: expected an expression\n  $x = ;\n       ~\n');
});

test('a point at the very end of the text is shown after the last character', () => {
  const text = renderDiagnostic(errorAt(lines.span(source.length, 0), 'end'), source);
  assert.is(text, 'stdin:5:1: ERROR: end\n\n^\n');
});

test('without the source, only the location, message and hint', () => {
  assert.is(renderDiagnostic(errorAt(lines.span(13, 3), 'm', 'h')), 'stdin:1:14-17: ERROR: m\nHINT: h\n');
});

test('several diagnostics, from several files', () => {
  const other = 'kprobe:x {}';
  const otherLines = new LineMap('lib.bt', other);
  const text = renderDiagnostics(
    [errorAt(lines.span(13, 3), 'first'), errorAt(otherLines.span(0, 6), 'second')],
    (file) => (file === 'stdin' ? source : file === 'lib.bt' ? other : undefined),
  );
  assert.is(text, 'stdin:1:14-17: ERROR: first\nBEGIN { @x = foo(1); }\n             ~~~\nlib.bt:1:1-7: ERROR: second\nkprobe:x {}\n~~~~~~\n');
});

test.run();
