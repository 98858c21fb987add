import type { SourceSpan } from '../diagnostics/span.js';

/**
 * A program the assembler cannot encode: an unresolved or duplicate label, a jump out of range, an
 * operand that does not fit its field, an unknown map. `span` points at the script text when known.
 */
export class AssemblyError extends Error {
  readonly span: SourceSpan | undefined;

  constructor(message: string, span?: SourceSpan) {
    super(message);
    this.name = 'AssemblyError';
    this.span = span;
  }
}
