import type { SourceSpan } from './span.js';

/**
 * Turns character offsets of one source text into 1-based lines and columns. Lines end at '\n';
 * a '\r' before it counts as the last column of its line.
 */
export class LineMap {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      this.lineStarts.push(index + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const clamped = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - this.lineStarts[low]! + 1 };
  }

  /** A span of `length` characters at `offset`, clamped to the text. */
  span(offset: number, length: number): SourceSpan {
    const start = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
    const end = Number.isFinite(length) ? Math.max(start, Math.min(start + Math.max(0, length), this.text.length)) : start;
    const { line, column } = this.position(start);
    return { file: this.file, line, column, offset: start, length: end - start };
  }

  /** A span from `start` up to (not including) `end`. */
  range(start: number, end: number): SourceSpan {
    return this.span(start, end - start);
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === '\r') end -= 1;
    return this.text.slice(start, end);
  }
}
