// The parser as tests call it: given the provider table's syntax, as compile() and the CLI give it
// (the parser itself knows no provider).
import { parse as parseWith, type ParseOptions, type ParseResult, type Parser } from '../../src/parser/parse.js';
import { defaultProviders } from '../../src/providers/index.js';

export const providerSyntax = defaultProviders.syntax;

/** Parse options with the providers' syntax, plus `options` (positional parameters). */
export function withProviders(options: Omit<ParseOptions, 'providers'> = {}): ParseOptions {
  return { providers: providerSyntax, ...options };
}

/** parse() with the providers' syntax. */
export function parse(source: string, fileName = 'stdin', options: Omit<ParseOptions, 'providers'> = {}): ParseResult {
  return parseWith(source, fileName, withProviders(options));
}

/** `parser` with the providers' syntax given to each parse. */
export function withSyntax(parser: Parser): { parse(source: string, fileName?: string, options?: Omit<ParseOptions, 'providers'>): ParseResult } {
  return { parse: (source, fileName = 'stdin', options = {}) => parser.parse(source, fileName, withProviders(options)) };
}
