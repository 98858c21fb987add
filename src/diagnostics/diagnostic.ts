import type { SourceSpan } from './span.js';

export type Severity = 'error' | 'warning';

/**
 * One message for the user, from any stage of the compiler. Rendered by `renderDiagnostic` in the
 * bpftrace shape (`file:line:col-col: ERROR: message`, the source line, `~~~` under the span).
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** One sentence, no trailing period, in words a user of the language knows (never token class names). */
  readonly message: string;
  readonly span: SourceSpan;
  /** An optional suggestion, printed on its own `HINT:` line. */
  readonly hint?: string;
}

export function errorAt(span: SourceSpan, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { severity: 'error', message, span } : { severity: 'error', message, span, hint };
}

export function warningAt(span: SourceSpan, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { severity: 'warning', message, span } : { severity: 'warning', message, span, hint };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** Orders diagnostics by file, then position in the source, keeping the original order for ties. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => {
      const left = a.diagnostic.span;
      const right = b.diagnostic.span;
      if (left.file !== right.file) return left.file < right.file ? -1 : 1;
      return left.offset - right.offset || a.index - b.index;
    })
    .map((entry) => entry.diagnostic);
}
