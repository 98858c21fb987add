/**
 * The token vocabulary. Order in `allTokens` is the lexer's order of preference (first match wins),
 * so longer operators come before their prefixes and keywords before identifiers. Every token has
 * a label: the words diagnostics use for it.
 */
import { createToken, Lexer, type ITokenConfig, type TokenType } from 'chevrotain';
import { matchAttachPoint, matchPreprocessorLine, matchShebang } from './lexer-context.js';

// Categories: never produced by the lexer, they let the parser match a family at once.
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA, label: 'an operator' });
export const AssignOperator = createToken({ name: 'AssignOperator', pattern: Lexer.NA, label: "'='" });
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA, label: 'a keyword' });
/** `! ~ - * &` in front of an operand. */
export const PrefixOperator = createToken({ name: 'PrefixOperator', pattern: Lexer.NA, label: 'an operator' });
/** `++` and `--`, before or after an operand. */
export const UpdateOperator = createToken({ name: 'UpdateOperator', pattern: Lexer.NA, label: "'++' or '--'" });
/** Tokens that can never start a top-level item: skipped, with one diagnostic, when found there. */
export const StrayAtTopLevel = createToken({ name: 'StrayAtTopLevel', pattern: Lexer.NA, label: 'a token' });
/** Tokens that can neither start a statement nor close a block: skipped, with one diagnostic. */
export const StrayInBlock = createToken({ name: 'StrayInBlock', pattern: Lexer.NA, label: 'a token' });

interface Role {
  /** Can start a top-level item (a probe, a definition, ...). */
  topLevel?: boolean;
  /** Can start a statement, or is `}`/`;` inside a block. */
  statement?: boolean;
}

/** Creates a kept token, filing it under the stray categories for the places it cannot start. */
function token(config: ITokenConfig, role: Role = {}, categories: TokenType[] = []): TokenType {
  const all = [...categories];
  if (!role.topLevel) all.push(StrayAtTopLevel);
  if (!role.statement) all.push(StrayInBlock);
  return createToken({ ...config, categories: all });
}

function skipped(config: ITokenConfig): TokenType {
  return createToken({ ...config, group: Lexer.SKIPPED });
}

const attachStartCharacters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$'];

export const Whitespace = skipped({ name: 'Whitespace', pattern: /[ \t\r\n\f\v]+/, line_breaks: true });
export const LineComment = skipped({ name: 'LineComment', pattern: /\/\/[^\n]*/ });
export const BlockComment = skipped({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, line_breaks: true });
export const Shebang = skipped({ name: 'Shebang', pattern: { exec: matchShebang }, start_chars_hint: ['#'], line_breaks: false });
/** Reported as an error by the lexer driver, then dropped. */
export const UnterminatedComment = token({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true, label: 'an unterminated comment' });
export const PreprocessorLine = token(
  { name: 'PreprocessorLine', pattern: { exec: matchPreprocessorLine }, start_chars_hint: ['#'], line_breaks: true, label: "a '#' line" },
  { topLevel: true },
);
/** A whole attach point such as `uprobe:/bin/bash:readline`, lexed only where a probe can start. */
export const AttachPointText = token(
  { name: 'AttachPointText', pattern: { exec: matchAttachPoint }, start_chars_hint: attachStartCharacters, line_breaks: false, label: 'a probe' },
  { topLevel: true },
);

export const Identifier = token({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' }, { topLevel: true, statement: true });

// Fixed texts are given as strings, not regular expressions: the lexer then needs no regular
// expression analysis for them when it is built, which is most of its start-up cost.
function keyword(word: string, role: Role = {}): TokenType {
  return token({ name: `Keyword_${word}`, pattern: word, longer_alt: Identifier, label: `'${word}'` }, role, [Keyword]);
}
const startsStatement: Role = { statement: true };
export const If = keyword('if', startsStatement);
export const Else = keyword('else');
export const Unroll = keyword('unroll', startsStatement);
export const While = keyword('while', startsStatement);
export const For = keyword('for', startsStatement);
export const Break = keyword('break', startsStatement);
export const Continue = keyword('continue', startsStatement);
export const Return = keyword('return', startsStatement);
export const Let = keyword('let', { statement: true, topLevel: true });
export const Struct = keyword('struct', { topLevel: true });
export const Union = keyword('union', { topLevel: true });
export const Enum = keyword('enum', { topLevel: true });
export const True = keyword('true', startsStatement);
export const False = keyword('false', startsStatement);
export const Dispatch = keyword('dispatch', startsStatement);
export const Sizeof = keyword('sizeof', startsStatement);
export const Offsetof = keyword('offsetof', startsStatement);

export const PositionalCount = token({ name: 'PositionalCount', pattern: /\$#/, label: "'$#'" }, startsStatement);
export const Positional = token({ name: 'Positional', pattern: /\$[0-9]+/, label: 'a positional parameter' }, startsStatement);
export const Variable = token({ name: 'Variable', pattern: /\$[A-Za-z_][A-Za-z0-9_]*/, label: 'a $variable' }, startsStatement);
export const MapName = token({ name: 'MapName', pattern: /@(?:[A-Za-z_][A-Za-z0-9_]*)?/, label: 'an @map' }, startsStatement);
/** Any run of word characters starting with a digit; literals.ts checks and converts it. */
export const NumberLiteral = token({ name: 'NumberLiteral', pattern: /[0-9][A-Za-z0-9_]*/, label: 'a number' }, startsStatement);
export const StringLiteral = token({ name: 'StringLiteral', pattern: /"(?:[^"\\\n]|\\[^\n])*"/, label: 'a string' }, startsStatement);
/** A string without its closing quote on its line: reported, then parsed as if it were closed. */
export const UnterminatedString = token({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n]|\\[^\n])*\\?/, label: 'a string' }, startsStatement);

function punctuation(name: string, text: string, role: Role = {}, categories: TokenType[] = []): TokenType {
  return token({ name, pattern: text, label: `'${text}'` }, role, categories);
}

export const LeftBrace = punctuation('LeftBrace', '{', startsStatement);
export const RightBrace = punctuation('RightBrace', '}', startsStatement);
export const LeftParen = punctuation('LeftParen', '(', startsStatement);
export const RightParen = punctuation('RightParen', ')');
export const LeftBracket = punctuation('LeftBracket', '[');
export const RightBracket = punctuation('RightBracket', ']');
export const Semicolon = punctuation('Semicolon', ';', startsStatement);
export const Comma = punctuation('Comma', ',');
export const Arrow = punctuation('Arrow', '->');
export const DotDot = punctuation('DotDot', '..');
export const Dot = punctuation('Dot', '.');
export const Question = punctuation('Question', '?');
export const Colon = punctuation('Colon', ':');

const assigning = [AssignOperator];
export const ShiftLeftAssign = punctuation('ShiftLeftAssign', '<<=', {}, assigning);
export const ShiftRightAssign = punctuation('ShiftRightAssign', '>>=', {}, assigning);
export const PlusAssign = punctuation('PlusAssign', '+=', {}, assigning);
export const MinusAssign = punctuation('MinusAssign', '-=', {}, assigning);
export const StarAssign = punctuation('StarAssign', '*=', {}, assigning);
export const SlashAssign = punctuation('SlashAssign', '/=', {}, assigning);
export const PercentAssign = punctuation('PercentAssign', '%=', {}, assigning);
export const AmpersandAssign = punctuation('AmpersandAssign', '&=', {}, assigning);
export const PipeAssign = punctuation('PipeAssign', '|=', {}, assigning);
export const CaretAssign = punctuation('CaretAssign', '^=', {}, assigning);

const binary = [BinaryOperator];
const binaryOrPrefix = [BinaryOperator, PrefixOperator];
export const Increment = punctuation('Increment', '++', startsStatement, [UpdateOperator]);
export const Decrement = punctuation('Decrement', '--', startsStatement, [UpdateOperator]);
export const LogicalOr = punctuation('LogicalOr', '||', {}, binary);
export const LogicalAnd = punctuation('LogicalAnd', '&&', {}, binary);
export const Equal = punctuation('Equal', '==', {}, binary);
export const NotEqual = punctuation('NotEqual', '!=', {}, binary);
export const ShiftLeft = punctuation('ShiftLeft', '<<', {}, binary);
export const ShiftRight = punctuation('ShiftRight', '>>', {}, binary);
export const LessEqual = punctuation('LessEqual', '<=', {}, binary);
export const GreaterEqual = punctuation('GreaterEqual', '>=', {}, binary);
export const Less = punctuation('Less', '<', {}, binary);
export const Greater = punctuation('Greater', '>', {}, binary);
export const Assign = punctuation('Assign', '=', {}, assigning);
export const Pipe = punctuation('Pipe', '|', {}, binary);
export const Caret = punctuation('Caret', '^', {}, binary);
export const Ampersand = punctuation('Ampersand', '&', startsStatement, binaryOrPrefix);
export const Plus = punctuation('Plus', '+', {}, binary);
export const Minus = punctuation('Minus', '-', startsStatement, binaryOrPrefix);
export const Star = punctuation('Star', '*', startsStatement, binaryOrPrefix);
export const Slash = punctuation('Slash', '/', {}, binary);
export const Percent = punctuation('Percent', '%', {}, binary);
export const Bang = punctuation('Bang', '!', startsStatement, [PrefixOperator]);
export const Tilde = punctuation('Tilde', '~', startsStatement, [PrefixOperator]);

export const allTokens: TokenType[] = [
  Whitespace, LineComment, BlockComment, UnterminatedComment, Shebang, PreprocessorLine, AttachPointText,
  If, Else, Unroll, While, For, Break, Continue, Return, Let, Struct, Union, Enum, True, False, Dispatch, Sizeof, Offsetof,
  Identifier, PositionalCount, Positional, Variable, MapName, NumberLiteral, StringLiteral, UnterminatedString,
  LeftBrace, RightBrace, LeftParen, RightParen, LeftBracket, RightBracket, Semicolon, Comma, Arrow, DotDot, Dot,
  Question, Colon,
  ShiftLeftAssign, ShiftRightAssign, PlusAssign, MinusAssign, StarAssign, SlashAssign, PercentAssign,
  AmpersandAssign, PipeAssign, CaretAssign,
  Increment, Decrement, LogicalOr, LogicalAnd, Equal, NotEqual, ShiftLeft, ShiftRight, LessEqual, GreaterEqual,
  Less, Greater, Assign, Pipe, Caret, Ampersand, Plus, Minus, Star, Slash, Percent, Bang, Tilde,
];

/** Token types the parser knows, including categories (which the lexer never produces). */
export const vocabulary: TokenType[] = [
  ...allTokens, BinaryOperator, AssignOperator, PrefixOperator, UpdateOperator, Keyword, StrayAtTopLevel, StrayInBlock,
];
