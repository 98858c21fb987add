/** Where a piece of source text sits: every AST node, diagnostic and emitted instruction carries one. */
export interface SourceSpan {
  /** File name as shown to the user: a path, `stdin`, or `-e` text's name. */
  readonly file: string;
  /** 1-based line of the first character. */
  readonly line: number;
  /** 1-based column of the first character. */
  readonly column: number;
  /** 0-based character offset of the first character in the source. */
  readonly offset: number;
  /** Length in characters (0 for a point, e.g. end of input). */
  readonly length: number;
}
