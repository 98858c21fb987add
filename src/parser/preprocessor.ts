/**
 * Reads one `#` line (continuations included) into a definition. Nothing is expanded here: the
 * lines are kept so that later stages can say precisely what they support.
 */
import type { SourceSpan } from '../diagnostics/span.js';
import type { IncludeDefinition, MacroDefinition, PreprocessorDirective } from './ast.js';

export type PreprocessorReading =
  | { ok: true; definition: IncludeDefinition | MacroDefinition | PreprocessorDirective }
  | { ok: false; message: string };

/** Joins continuation lines and drops a trailing carriage return. */
function logicalLine(image: string): string {
  return image.replace(/\\\r?\n/g, ' ').replace(/\r$/, '');
}

export function readPreprocessorLine(image: string, span: SourceSpan): PreprocessorReading {
  const line = logicalLine(image);
  const match = /^#\s*([A-Za-z_]*)\s*(.*)$/s.exec(line)!;
  const directive = match[1]!;
  const rest = match[2]!.trim();
  if (directive === 'include') {
    const path = /^(?:<([^>]+)>|"([^"]+)")\s*$/.exec(rest);
    if (!path) return { ok: false, message: "expected <file> or \"file\" after '#include'" };
    const system = path[1] !== undefined;
    return { ok: true, definition: { kind: 'include', span, path: (path[1] ?? path[2])!, system } };
  }
  if (directive === 'define') {
    const macro = /^([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?\s*(.*)$/s.exec(rest);
    if (!macro) return { ok: false, message: "expected a name after '#define'" };
    const parameterText = macro[3];
    const parameters = parameterText === undefined ? undefined : parameterText.split(',').map((name) => name.trim()).filter((name) => name !== '');
    return {
      ok: true,
      definition: {
        kind: 'define',
        span,
        name: macro[1]!,
        ...(parameters === undefined ? {} : { parameters }),
        body: macro[4]!.trim(),
      },
    };
  }
  return { ok: true, definition: { kind: 'preprocessor', span, directive, text: rest } };
}
