import { errorAt, sortDiagnostics, warningAt, type Diagnostic } from './diagnostic.js';
import type { SourceSpan } from './span.js';

/**
 * Gathers the diagnostics of one compilation. Stages report into it and keep going where they can,
 * so that several independent mistakes are reported together.
 */
export class DiagnosticCollector {
  private readonly items: Diagnostic[] = [];
  private errorCount = 0;

  add(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
    if (diagnostic.severity === 'error') this.errorCount += 1;
  }

  addAll(diagnostics: Iterable<Diagnostic>): void {
    for (const diagnostic of diagnostics) this.add(diagnostic);
  }

  error(span: SourceSpan, message: string, hint?: string): void {
    this.add(errorAt(span, message, hint));
  }

  warning(span: SourceSpan, message: string, hint?: string): void {
    this.add(warningAt(span, message, hint));
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  get size(): number {
    return this.items.length;
  }

  /** All diagnostics in source order. */
  sorted(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }

  /** All diagnostics in the order they were reported. */
  all(): readonly Diagnostic[] {
    return this.items;
  }
}
