/**
 * Shared machinery of the grammar classes: configuration, span arithmetic, lookahead helpers and
 * the diagnostics found while building nodes. The grammar is split over three classes
 * (expressions → statements → program), each adding rules; only the last runs self-analysis.
 */
import { EmbeddedActionsParser, EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import { errorAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from '../diagnostics/line-map.js';
import type { SourceSpan } from '../diagnostics/span.js';
import { errorMessageProvider, describeToken } from './errors.js';
import type { ProviderSyntaxTable } from '../model/provider-syntax.js';
import {
  Enum, Identifier, LeftBrace, LeftBracket, LeftParen, RightBrace, RightParen, Star, Struct, Union, Comma, vocabulary,
} from './tokens.js';

export interface GrammarOptions {
  /** Run Chevrotain's grammar checks while building the parser: on in tests, off for the CLI. */
  readonly validateGrammar: boolean;
  /**
   * Recover from syntax errors to report several at once. Building a recovering parser costs more
   * (follow sets), so the driver parses with a non-recovering one first and only builds the other
   * when a script has a syntax error.
   */
  readonly recoverFromErrors: boolean;
}

/** A node or a token: anything with a start and an end in the source. */
export type Located = { readonly span: SourceSpan } | IToken;

/** Chevrotain internals used by the resynchronisation override below (stable since v7). */
interface FollowSetAccess {
  buildFullFollowKeyStack(): unknown[];
  getFollowSetFromFollowKey(key: unknown): TokenType[] | undefined;
}

/** Scalar type names that make `(name)` a cast rather than a parenthesized expression. */
const castableTypeNames: ReadonlySet<string> = new Set([
  'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'string', 'buffer', 'void',
  'char', 'short', 'int', 'long',
]);

/**
 * Tokens that can start an operand: after `(name_t)`, they make it a cast of a typedef name. Prefix
 * operators count, as in C and bpftrace: `(pid_t) - 1` is -1 as a pid_t, `(mytype)*p` a cast of *p.
 */
const operandStarts: ReadonlySet<string> = new Set([
  'NumberLiteral', 'Variable', 'Identifier', 'LeftParen', 'MapName', 'Positional', 'StringLiteral',
  'Minus', 'Star', 'Bang', 'Tilde', 'Ampersand',
]);

export abstract class GrammarBase extends EmbeddedActionsParser {
  /** Positions of the source being parsed; set by `begin`. */
  protected lines!: LineMap;
  /** How each provider is written; set by `begin`. */
  protected providers!: ProviderSyntaxTable;
  /** Positional parameters to splice into attach points (`interval:ms:$1`); absent: left as written. */
  protected positional: readonly string[] | undefined;
  /** Problems found by the grammar's actions (as opposed to Chevrotain's recognition errors). */
  protected problems: Diagnostic[] = [];
  /** `expected ...` reports from actions: like recognition errors, they can echo an earlier one. */
  protected syntaxProblems: Diagnostic[] = [];
  /** Problems that are never echoes but make a complaint about the next token one (bad probes). */
  protected leadingProblems: Diagnostic[] = [];
  /** Whether actions may meet the half-built pieces that error recovery leaves behind. */
  private readonly recovering: boolean;

  constructor(options: GrammarOptions) {
    super(vocabulary, {
      recoveryEnabled: options.recoverFromErrors,
      // Every choice in the grammar is decided by one token (and a gate where `(` starts both a
      // cast and a parenthesized expression); a longer lookahead only made errors surface early.
      maxLookahead: 1,
      skipValidations: !options.validateGrammar,
      errorMessageProvider,
    });
    this.recovering = options.recoverFromErrors;
  }

  /** Prepares for one parse. */
  begin(tokens: IToken[], lines: LineMap, providers: ProviderSyntaxTable, positional?: readonly string[]): void {
    this.lines = lines;
    this.providers = providers;
    this.positional = positional;
    this.problems = [];
    this.syntaxProblems = [];
    this.leadingProblems = [];
    this.input = tokens;
  }

  /**
   * Problems found by actions: `independent` ones stand alone, `syntax` ones may echo an earlier
   * error, `leading` ones are never echoes but silence a complaint about the token after them.
   */
  takeProblems(): { independent: Diagnostic[]; syntax: Diagnostic[]; leading: Diagnostic[] } {
    return { independent: this.problems, syntax: this.syntaxProblems, leading: this.leadingProblems };
  }

  // ─── Spans ────────────────────────────────────────────────────────────────────────────────────

  protected startOf(item: Located): number {
    return 'span' in item ? item.span.offset : item.startOffset;
  }

  protected endOf(item: Located): number {
    return 'span' in item ? item.span.offset + item.span.length : item.startOffset + item.image.length;
  }

  /**
   * The span from the start of `first` to the end of `last`. A token invented by error recovery
   * has no position; the other end then stands for both.
   */
  protected over(first: Located, last: Located): SourceSpan {
    let start = this.startOf(first);
    let end = this.endOf(last);
    // Usually the line and column of the start are known already (from the lexer, or from the
    // first child's span), which saves a search per node.
    const line = 'span' in first ? first.span.line : first.startLine;
    const column = 'span' in first ? first.span.column : first.startColumn;
    if (line !== undefined && column !== undefined && Number.isFinite(start) && end >= start) {
      return { file: this.lines.file, line, column, offset: start, length: end - start };
    }
    if (!Number.isFinite(end)) end = Number.isFinite(start) ? this.endOf(first) : 0;
    if (!Number.isFinite(start)) start = Number.isFinite(this.startOf(last)) ? this.startOf(last) : end;
    if (!Number.isFinite(end)) end = start;
    return this.lines.range(start, Math.max(start, end));
  }

  protected spanOf(item: Located): SourceSpan {
    return this.over(item, item);
  }

  // ─── Diagnostics from actions ─────────────────────────────────────────────────────────────────

  protected report(span: SourceSpan, message: string, hint?: string): void {
    this.problems.push(errorAt(span, message, hint));
  }

  /** Reports `expected ...` at a token, naming what was found there. */
  protected reportExpected(token: IToken, expectation: string, hint?: string): void {
    this.syntaxProblems.push(errorAt(this.tokenOrEndSpan(token), `${expectation}, found ${describeToken(token)}`, hint));
  }

  /** A token's span, or for the end of input a point just after the last real token. */
  protected tokenOrEndSpan(token: IToken): SourceSpan {
    if (token.tokenType !== EOF && Number.isFinite(token.startOffset)) return this.spanOf(token);
    return this.lines.span(this.endOfInput(), 0);
  }

  private endOfInput(): number {
    for (let index = this.input.length - 1; index >= 0; index -= 1) {
      const token = this.input[index]!;
      if (Number.isFinite(token.startOffset)) return token.startOffset + token.image.length;
    }
    return 0;
  }

  /**
   * Runs a node-building action. Actions are skipped while Chevrotain records the grammar. After a
   * syntax error, recovery may hand actions missing pieces; the result is discarded then anyway,
   * so a failure to build is only a real fault when no error has been seen.
   */
  protected build<T>(make: () => T): T {
    if (!this.recovering) return this.ACTION(make);
    return this.ACTION(() => {
      try {
        return make();
      } catch (error) {
        if (this.errors.length > 0 || this.problems.length + this.syntaxProblems.length + this.leadingProblems.length > 0) {
          return undefined as T;
        }
        throw error;
      }
    });
  }

  /**
   * Chevrotain's error recovery skips ahead to a token that may follow one of the rules being
   * parsed and resumes in that rule. It looks at the rules outermost first, so a mistake inside a
   * statement often made it abandon the whole probe. Looking innermost first (for the nearest such
   * token) resumes at the statement, and later mistakes in the same probe are reported too.
   */
  findReSyncTokenType(): TokenType {
    const access = this as unknown as FollowSetAccess;
    const levels = access.buildFullFollowKeyStack().map((key) => access.getFollowSetFromFollowKey(key) ?? []).reverse();
    for (let ahead = 1; ; ahead += 1) {
      const token = this.LA(ahead);
      for (const follows of levels) {
        const found = follows.find((type) => tokenMatcher(token, type));
        if (found !== undefined) return found;
      }
      if (token.tokenType === EOF) return EOF;
    }
  }

  /**
   * Recovery may pretend a missing token was there. Not for a brace: a block invented where the
   * author wrote none swallows the statements after it and the real mistake gets buried.
   */
  protected override canTokenTypeBeInsertedInRecovery(tokenType: TokenType): boolean {
    return tokenType !== LeftBrace && tokenType !== RightBrace;
  }

  // ─── Lookahead helpers (used in GATEs, at parse time only) ────────────────────────────────────

  protected nextIs(offset: number, type: TokenType): boolean {
    return this.LA(offset).tokenType === type;
  }

  /**
   * Does a type start at lookahead position `at`? `struct/union/enum ...`, a bpftrace scalar name
   * followed by `)`, `*`, `[` or `,`, or any name followed by one or more `*` and `)`.
   */
  protected typeAhead(at: number): boolean {
    const first = this.LA(at).tokenType;
    if (first === Struct || first === Union || first === Enum) return true;
    if (this.typeofAhead(at)) return true;
    if (first !== Identifier) return false;
    if (castableTypeNames.has(this.LA(at).image)) {
      const next = this.LA(at + 1).tokenType;
      return next === RightParen || next === Star || next === LeftBracket || next === Comma;
    }
    let position = at + 1;
    while (this.LA(position).tokenType === Star) position += 1;
    if (position > at + 1 && this.LA(position).tokenType === RightParen) return true;
    // A C typedef name (`uint64_t`, `pid_t`) followed by `)` and an operand: `(uint64_t)1`.
    return position === at + 1 && /_t$/.test(this.LA(at).image) && this.LA(position).tokenType === RightParen
      && operandStarts.has(this.LA(position + 1).tokenType.name);
  }

  /** `typeof(` at lookahead position `at`. */
  protected typeofAhead(at: number): boolean {
    return this.LA(at).tokenType === Identifier && this.LA(at).image === 'typeof' && this.LA(at + 1).tokenType === LeftParen;
  }

  /** `(type)` follows: a cast. */
  protected castAhead(): boolean {
    return this.LA(1).tokenType === LeftParen && this.typeAhead(2);
  }
}
