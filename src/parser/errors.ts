/**
 * Syntax error wording. Chevrotain's messages name token classes; ours say what was expected in
 * the language's own words ("expected an expression"), and the parse driver appends what was
 * found ("found ')'").
 */
import { EOF, tokenLabel, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { AttachPointText, NumberLiteral, StringLiteral, UnterminatedString } from './tokens.js';

/** What a rule stands for, when an alternative inside it could not be chosen. */
const ruleExpectations: Readonly<Record<string, string>> = {
  expression: 'an expression',
  unary: 'an expression',
  cast: 'an expression',
  primary: 'an expression',
  typeExpression: 'a type',
  fieldName: 'a field name',
  program: 'a probe, a definition or a config block',
  simpleStatement: 'a statement',
  fieldDeclaration: 'a field declaration',
};

function labelOf(tokenType: TokenType): string {
  return tokenType === EOF ? 'end of input' : tokenLabel(tokenType);
}

function alternatives(labels: string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** Names a set of possible next tokens; a long list that includes numbers means "an expression". */
function summarise(types: TokenType[]): string {
  if (types.length > 3 && types.includes(NumberLiteral)) return 'an expression';
  return alternatives(types.map(labelOf));
}

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected }) {
    return `expected ${labelOf(expected)}`;
  },
  buildNotAllInputParsedMessage() {
    return `expected ${ruleExpectations['program']}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, customUserDescription, ruleName }) {
    if (customUserDescription) return `expected ${customUserDescription}`;
    const known = ruleExpectations[ruleName];
    if (known) return `expected ${known}`;
    const firsts = expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0])).filter((type) => type !== undefined);
    return `expected ${summarise(firsts)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, customUserDescription, ruleName }) {
    if (customUserDescription) return `expected ${customUserDescription}`;
    const known = ruleExpectations[ruleName];
    if (known) return `expected ${known}`;
    const firsts = expectedIterationPaths.map((path) => path[0]).filter((type) => type !== undefined);
    return `expected ${summarise(firsts)}`;
  },
};

function shorten(text: string, limit: number): string {
  const line = text.split('\n')[0]!;
  return line.length > limit ? `${line.slice(0, limit - 3)}...` : line;
}

/** How a token is named after "found": `end of input`, `'$y'`, `the string "abc"`. */
export function describeToken(token: IToken): string {
  const type = token.tokenType;
  if (type === EOF || token.image === '') return 'end of input';
  if (type === StringLiteral || type === UnterminatedString) return `the string ${shorten(token.image, 24)}`;
  return `'${shorten(token.image, type === AttachPointText ? 40 : 24)}'`;
}
