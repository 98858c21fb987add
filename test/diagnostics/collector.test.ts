import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiagnosticCollector } from '../../src/diagnostics/collector.js';
import { hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { LineMap } from '../../src/diagnostics/line-map.js';

const lines = new LineMap('a.bt', 'BEGIN { $x = 1; }\nEND { }');

test('collects errors and warnings and knows whether any error was seen', () => {
  const collector = new DiagnosticCollector();
  assert.is(collector.hasErrors, false);
  collector.warning(lines.span(8, 2), 'unused variable');
  assert.is(collector.hasErrors, false);
  collector.error(lines.span(0, 5), 'bad probe', 'check the name');
  assert.is(collector.hasErrors, true);
  assert.is(collector.size, 2);
  assert.equal(collector.all().map((d) => [d.severity, d.message, d.hint]), [
    ['warning', 'unused variable', undefined],
    ['error', 'bad probe', 'check the name'],
  ]);
});

test('sorted() orders by position and keeps report order for ties', () => {
  const collector = new DiagnosticCollector();
  collector.error(lines.span(18, 3), 'third');
  collector.error(lines.span(0, 1), 'first');
  collector.warning(lines.span(18, 3), 'fourth');
  collector.error(lines.span(8, 1), 'second');
  assert.equal(collector.sorted().map((d) => d.message), ['first', 'second', 'third', 'fourth']);
});

test('sortDiagnostics groups by file first', () => {
  const other = new LineMap('b.bt', 'x');
  const sorted = sortDiagnostics([
    { severity: 'error', message: 'b', span: other.span(0, 1) },
    { severity: 'error', message: 'a', span: lines.span(5, 1) },
  ]);
  assert.equal(sorted.map((d) => d.message), ['a', 'b']);
  assert.is(hasErrors(sorted), true);
  assert.is(hasErrors([{ severity: 'warning', message: 'w', span: other.span(0, 0) }]), false);
});

test('addAll takes any iterable', () => {
  const collector = new DiagnosticCollector();
  collector.addAll(new Set([{ severity: 'error' as const, message: 'x', span: lines.span(0, 0) }]));
  assert.is(collector.hasErrors, true);
});

test.run();
