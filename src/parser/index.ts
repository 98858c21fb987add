/** The language front end: source text → syntax tree (+ diagnostics), and back to source. */
export { parse, createParser, type ParseOptions, type ParseResult, type Parser, type ParserOptions } from './parse.js';
export { printProgram, printProbe, printDefinition, printStatement, printExpression, printType, quoteString } from './printer.js';
export type * from './ast.js';
export type * from './attach-point-ast.js';
