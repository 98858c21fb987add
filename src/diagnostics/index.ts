export type { SourceSpan } from './span.js';
export { errorAt, warningAt, hasErrors, sortDiagnostics, type Diagnostic, type Severity } from './diagnostic.js';
export { DiagnosticCollector } from './collector.js';
export { LineMap } from './line-map.js';
export { renderDiagnostic, renderDiagnostics } from './render.js';
