import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Lexer } from 'chevrotain';
import { createParser } from '../../src/parser/parse.js';
import { parse } from '../support/parse.js';
import { allTokens } from '../../src/parser/tokens.js';
import { parser, withoutSpans } from './helpers.js';
import { loadExamples } from './examples.js';

/** Token type names of a source, from a lexer built with all of Chevrotain's checks. */
const checkedLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
function tokenNames(source: string): string[] {
  const result = checkedLexer.tokenize(source);
  assert.equal(result.errors, []);
  return result.tokens.map((token) => `${token.tokenType.name.replace('Keyword_', '')}:${token.image}`);
}

test('the grammar and lexer pass Chevrotain validation (helpers build the parser with it on)', () => {
  assert.ok(parser);
  assert.not.throws(() => createParser({ validateGrammar: true }));
});

test('the unvalidated parser used by the CLI reads exactly the same trees', () => {
  for (const example of loadExamples()) {
    const fast = parse(example.source, example.name);
    const checked = parser.parse(example.source, example.name);
    assert.equal(fast.diagnostics, checked.diagnostics, example.name);
    assert.equal(fast.program, checked.program, example.name);
  }
});

test('a parser is reusable: no state leaks from one parse to the next', () => {
  const bad = parser.parse('BEGIN { $x = ; }', 'a.bt');
  const good = parser.parse('BEGIN { $x = 1; }', 'b.bt');
  assert.is(bad.diagnostics.length, 1);
  assert.equal(good.diagnostics, []);
  assert.is(good.program!.span.file, 'b.bt');
  assert.equal(withoutSpans(parser.parse('BEGIN { $x = 1; }', 'c.bt').program), withoutSpans(good.program));
});

test('an attach point is one token where a probe can start, and words elsewhere', () => {
  assert.equal(tokenNames('uprobe:/bin/bash:readline /pid/ { @x = pid; }'), [
    'AttachPointText:uprobe:/bin/bash:readline', 'Slash:/', 'Identifier:pid', 'Slash:/', 'LeftBrace:{',
    'MapName:@x', 'Assign:=', 'Identifier:pid', 'Semicolon:;', 'RightBrace:}',
  ]);
  assert.equal(tokenNames('BEGIN/1/{}'), ['AttachPointText:BEGIN', 'Slash:/', 'NumberLiteral:1', 'Slash:/', 'LeftBrace:{', 'RightBrace:}']);
  assert.equal(tokenNames('a:b,\n  c:d-e+8 {}'), ['AttachPointText:a:b', 'Comma:,', 'AttachPointText:c:d-e+8', 'LeftBrace:{', 'RightBrace:}']);
});

test('after a definition, a declaration or a # line, the next word is a probe again', () => {
  const names = tokenNames('#define X 1\nBEGIN {} struct s { int a; }; END {} let @m = hash(1); i:s:1 {}');
  assert.ok(names.includes('AttachPointText:BEGIN'));
  assert.ok(names.includes('struct:struct') && names.includes('Identifier:s') && names.includes('Identifier:int'));
  assert.ok(names.includes('AttachPointText:END'));
  assert.ok(names.includes('let:let') && names.includes('Identifier:hash'));
  assert.ok(names.includes('AttachPointText:i:s:1'));
});

test('inside a predicate, commas and parentheses never start a probe', () => {
  const names = tokenNames('BEGIN / strncmp(comm, "x", 1) == 0 / { }');
  assert.ok(names.includes('Identifier:comm'));
  assert.ok(!names.some((name) => name.startsWith('AttachPointText:') && name !== 'AttachPointText:BEGIN'));
});

test('keywords and top-level words are never probes', () => {
  assert.equal(tokenNames('config = {}').slice(0, 2), ['Identifier:config', 'Assign:=']);
  assert.equal(tokenNames('if')[0], 'if:if');
  assert.equal(tokenNames('struct')[0], 'struct:struct');
});

test('a forgotten parenthesis does not hide the probes after the next brace', () => {
  const names = tokenNames('BEGIN { if ($x { } }\nEND { }');
  assert.ok(names.includes('AttachPointText:END'));
});

test('comments, shebangs and blank space are skipped; # lines are single tokens', () => {
  assert.equal(tokenNames('#!/bin/tsbpf\n// c\n/* c\n */\n  #include <a.h>\n#define L \\\n 2\n'), [
    'PreprocessorLine:#include <a.h>', 'PreprocessorLine:#define L \\\n 2',
  ]);
});

test('number tokens take every word character, for precise literal diagnostics', () => {
  assert.equal(tokenNames('BEGIN { $x = 0x1fULL + 10ms + 1_0 + $1 + $#; }').slice(4, 13), [
    'NumberLiteral:0x1fULL', 'Plus:+', 'NumberLiteral:10ms', 'Plus:+', 'NumberLiteral:1_0', 'Plus:+', 'Positional:$1', 'Plus:+',
    'PositionalCount:$#',
  ]);
});

test.run();
