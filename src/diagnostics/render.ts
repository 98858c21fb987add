import type { Diagnostic } from './diagnostic.js';
import { LineMap } from './line-map.js';

/**
 * Renders a diagnostic the way bpftrace does:
 *
 *     stdin:1:14-17: ERROR: Unknown function: foo
 *     BEGIN { @x = foo(1); }
 *                  ~~~
 *     HINT: ...
 *
 * A zero-length span gets a caret `^` and a `line:col` location; a span over several lines is
 * located as `line-line` and marked from its start to the end of its first line. Without the
 * source text only the first line (and the hint) is printed. The result ends with a newline.
 */
export function renderDiagnostic(diagnostic: Diagnostic, source?: string | LineMap): string {
  const lines = source === undefined ? undefined : typeof source === 'string' ? new LineMap(diagnostic.span.file, source) : source;
  const { span } = diagnostic;
  const label = diagnostic.severity === 'error' ? 'ERROR' : 'WARNING';
  const end = lines?.position(span.offset + span.length);
  let location: string;
  if (span.length === 0) location = `${span.line}:${span.column}`;
  else if (end !== undefined && end.line > span.line && !(end.line === span.line + 1 && end.column === 1)) {
    location = `${span.line}-${end.line}`;
  } else location = `${span.line}:${span.column}-${span.column + span.length}`;
  let text = `${span.file}:${location}: ${label}: ${diagnostic.message}\n`;
  if (lines !== undefined && span.line <= lines.lineCount) {
    const lineText = lines.lineText(span.line);
    text += `${lineText}\n${marker(lineText, span.column, span.length)}\n`;
  }
  if (diagnostic.hint !== undefined) text += `HINT: ${diagnostic.hint}\n`;
  return text;
}

/** Renders several diagnostics; `sourceFor` supplies the text of each file named by a span. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sourceFor: (file: string) => string | undefined,
): string {
  const maps = new Map<string, LineMap | undefined>();
  let text = '';
  for (const diagnostic of diagnostics) {
    const file = diagnostic.span.file;
    if (!maps.has(file)) {
      const source = sourceFor(file);
      maps.set(file, source === undefined ? undefined : new LineMap(file, source));
    }
    text += renderDiagnostic(diagnostic, maps.get(file));
  }
  return text;
}

/** The `~~~` (or `^`) line under a span, keeping tabs so that it lines up with the source line. */
function marker(lineText: string, column: number, length: number): string {
  const before = lineText.slice(0, column - 1).replace(/[^\t]/g, ' ');
  const padding = ' '.repeat(Math.max(0, column - 1 - lineText.length));
  if (length === 0) return `${before}${padding}^`;
  const available = lineText.length - (column - 1);
  return `${before}${padding}${'~'.repeat(Math.max(1, Math.min(length, available)))}`;
}
