/**
 * The front end's entry point: source text in, a Program and/or diagnostics out. Parsing never
 * throws for user input. The lexer and parser are built once, on first use; building them checks
 * the grammar only when asked (tests do, the CLI does not).
 */
import { EOF, Lexer, type ILexingError, type IRecognitionException, type IToken } from 'chevrotain';
import { errorAt, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { LineMap } from '../diagnostics/line-map.js';
import type { Program } from './ast.js';
import { describeToken } from './errors.js';
import { ProgramGrammar } from './grammar-program.js';
import { allTokens, UnterminatedComment, UnterminatedString } from './tokens.js';
import { substitutePositional } from './positional-parameters.js';
import { lexWith } from './lexer-context.js';
import type { ProviderSyntaxTable } from '../model/provider-syntax.js';

export interface ParseResult {
  /** Present when there are no errors (warnings may still be reported). */
  readonly program?: Program;
  /** In source order; at most one per position. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParserOptions {
  /** Run Chevrotain's lexer and grammar checks while building (slower start; for tests). */
  readonly validateGrammar?: boolean;
}

/** What one parse is given besides the source. */
export interface ParseOptions {
  /** How each provider is written: built from the provider records by the caller (`defaultProviders.syntax`). */
  readonly providers: ProviderSyntaxTable;
  /** `$1`, `$2`, …: substituted into attach points and expressions (see positional-parameters.ts). */
  readonly positional?: readonly string[];
}

export interface Parser {
  parse(source: string, fileName: string, options: ParseOptions): ParseResult;
}

export function createParser(options: ParserOptions = {}): Parser {
  const validate = options.validateGrammar ?? false;
  const lexer = new Lexer(allTokens, {
    // Start lines and columns are counted as the lexer goes, with '\n' alone ending a line, as
    // LineMap counts them.
    positionTracking: 'onlyStart',
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ['\n'],
    ensureOptimizations: validate,
    skipValidations: !validate,
  });
  // Most scripts are valid: read them with the cheaper grammar; on a syntax error, read again with
  // the recovering one (built then, once) to report every mistake.
  const fast = new ProgramGrammar({ validateGrammar: validate, recoverFromErrors: false });
  let recovering: ProgramGrammar | undefined;
  const grammars: Grammars = {
    fast,
    recovering: () => (recovering ??= new ProgramGrammar({ validateGrammar: validate, recoverFromErrors: true })),
  };
  return { parse: (source, fileName, options) => run(lexer, grammars, source, fileName, options) };
}

interface Grammars {
  readonly fast: ProgramGrammar;
  readonly recovering: () => ProgramGrammar;
}

let shared: Parser | undefined;

/** Parses with a shared parser built without grammar checks. */
export function parse(source: string, fileName: string, options: ParseOptions): ParseResult {
  shared ??= createParser();
  return shared.parse(source, fileName, options);
}

function run(lexer: Lexer, grammars: Grammars, source: string, fileName: string, options: ParseOptions): ParseResult {
  const lines = new LineMap(fileName, source);
  try {
    const lexed = lexWith(options.providers.fileTargetSpellings, () => lexer.tokenize(source));
    const lexical: Diagnostic[] = lexed.errors.map((error) => lexingDiagnostic(error, source, lines));
    const tokens: IToken[] = [];
    let depth = 0;
    let tooDeep: IToken | undefined;
    for (const token of lexed.tokens) {
      const image = token.image;
      if (image === '(' || image === '[' || image === '{') {
        depth += 1;
        if (depth > maximumNesting) tooDeep ??= token;
      } else if (image === ')' || image === ']' || image === '}') depth = Math.max(0, depth - 1);
      if (token.tokenType === UnterminatedComment) {
        lexical.push(errorAt(lines.span(token.startOffset, 2), 'unterminated comment: missing */'));
        continue;
      }
      if (token.tokenType === UnterminatedString) {
        lexical.push(errorAt(lines.span(token.startOffset, token.image.length), 'unterminated string: missing "'));
      }
      tokens.push(token);
    }
    if (tooDeep !== undefined) {
      const message = `brackets are nested too deeply: more than ${maximumNesting} levels`;
      return { diagnostics: sortDiagnostics([...lexical, errorAt(lines.span(tooDeep.startOffset, 1), message)]) };
    }
    let grammar = grammars.fast;
    grammar.begin(tokens, lines, options.providers, options.positional);
    let program = grammar.program();
    if (grammar.errors.length > 0) {
      grammar = grammars.recovering();
      grammar.begin(tokens, lines, options.providers, options.positional);
      program = grammar.program();
    }
    const problems = grammar.takeProblems();
    const syntax = grammar.errors.map((error) => recognitionDiagnostic(error, tokens, lines));
    // A string that runs to the end of its line takes the `)` or `}` the parser then misses: that
    // second report is an echo of the first. So is `expected '{'` after a word that is no probe.
    const leading = [...lexical, ...problems.leading];
    const echoing = withoutEchoes(sortDiagnostics([...leading, ...syntax, ...problems.syntax]), tokens, new Set(leading));
    const unique = firstPerPosition(sortDiagnostics([...echoing, ...problems.independent]));
    if (hasErrors(unique) || program === undefined) return { diagnostics: unique };
    const shebang = /^#![^\n]*/.exec(source)?.[0]?.replace(/\r$/, '');
    const parsed = shebang === undefined ? program : { ...program, shebang };
    if (!options.positional) return { program: parsed, diagnostics: unique };
    const substituted = substitutePositional(parsed, options.positional);
    return { program: substituted.program, diagnostics: sortDiagnostics([...unique, ...substituted.warnings]) };
  } catch (error) {
    // Long chains such as `- - - ... x` or `else if` × 1000 recurse without brackets.
    if (error instanceof RangeError) {
      return { diagnostics: [errorAt(lines.span(0, 0), 'the program is nested too deeply to parse')] };
    }
    // A bug in the parser must still come out as a diagnostic, never as a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    return { diagnostics: [errorAt(lines.span(0, 0), `internal error in the parser: ${message}`)] };
  }
}

/** Deeper bracket nesting than any real script; beyond it the recursive parser could run out of stack. */
const maximumNesting = 128;

function lexingDiagnostic(error: ILexingError, source: string, lines: LineMap): Diagnostic {
  const text = source.slice(error.offset, error.offset + error.length);
  const shown = text.length > 12 ? `${text.slice(0, 12)}...` : text;
  const message = text.length === 1 ? `unexpected character '${text}'` : `unexpected characters '${shown}'`;
  return errorAt(lines.span(error.offset, error.length), message);
}

function recognitionDiagnostic(error: IRecognitionException, tokens: IToken[], lines: LineMap): Diagnostic {
  const token = error.token;
  const atEnd = token.tokenType === EOF || !Number.isFinite(token.startOffset);
  let span;
  if (!atEnd) span = lines.span(token.startOffset, token.image.length);
  else {
    const last = tokens[tokens.length - 1];
    span = lines.span(last === undefined ? 0 : last.startOffset + last.image.length, 0);
  }
  return errorAt(span, `${error.message}, found ${describeToken(token)}`);
}

/**
 * Drops syntax errors on the token right after an earlier one: after a mistake, the parser's
 * recovery often trips once more on the next token, and that second report only adds noise.
 * Diagnostics in `kept` are never dropped, but they do silence the token after them.
 */
function withoutEchoes(diagnostics: Diagnostic[], tokens: IToken[], kept: ReadonlySet<Diagnostic>): Diagnostic[] {
  let lastIndex = -2;
  return diagnostics.filter((diagnostic) => {
    const index = tokenIndexAt(tokens, diagnostic.span.offset);
    const echo = index <= lastIndex + 1;
    lastIndex = Math.max(lastIndex, index);
    return !echo || kept.has(diagnostic);
  });
}

/** Index of the first token starting at or after `offset` (tokens.length at the end of input). */
function tokenIndexAt(tokens: IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[middle]!.startOffset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Keeps the first diagnostic at each position: later ones there are echoes of the same mistake. */
function firstPerPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.span.file}:${diagnostic.span.offset}:${diagnostic.severity}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
