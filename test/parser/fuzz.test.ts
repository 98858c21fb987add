/**
 * Property test: thousands of seeded random mutations of valid programs never make the parser
 * throw or hang. Each input yields either a tree (and then no errors, sound spans, and a printer
 * round trip) or at least one error, every diagnostic with a span inside the source whose line and
 * column agree with its offset. Set FUZZ_SEED / FUZZ_COUNT to explore further.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../support/parse.js';
import { printProgram } from '../../src/parser/printer.js';
import { loadExamples } from './examples.js';
import { pathologicalInputs } from './pathological.js';
import { allSpans, spanProblem, withoutSpans } from './helpers.js';

const seed = Number(process.env['FUZZ_SEED'] ?? 20240611);
const count = Number(process.env['FUZZ_COUNT'] ?? 3000);

/** mulberry32: a small, fast, seedable generator. */
function generator(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const snippets = [
  'BEGIN { @x[1, 2] = 3; $t = (1, "a"); print($t.0); }',
  'k:do_sys_open* /pid / 2 > 1/ { $x = (int8[8])arg0; }',
  'uprobe:libc:malloc+8 { @[ustack] = count(); }',
  'i:s:1 { time(); print(@); clear(@); } interval:100ms { exit(); }',
  'BEGIN { for ($i : 0..10) { if ($i % 2) { continue; } @e[$i] = $i; } unroll (3) { @u++; } }',
  'tracepoint:raw_syscalls:sys_enter { dispatch (args.id) { 59: { @exec++; } 0, 1: { @io++; } } }',
  'struct s { int a; char b[4]; }; enum e { A, B = 2 }; config = { max_strlen = 32 } let @h = hash(8);',
  '#include <linux/sched.h>\n#define X 1\nBEGIN { $x = sizeof(struct task_struct) + offsetof(struct s, a); }',
  'BEGIN { $s = "a\\tb\\x41\\101\\"q\\\\"; let $v: uint32 = 1_000 + 0x10 + 0b1 + 017 + 1e3 + 5ms + 7ull; }',
];

const fragments = [
  '{', '}', '(', ')', '[', ']', ';', ',', ':', '/', '"', "'", '\\', '*', '$', '@', '#', '.', '..', '->', '=', '==', '+=',
  '++', '--', '?', '!', '&&', '||', '<<=', 'if', 'else', 'for', 'while', 'unroll', 'dispatch', 'let', 'struct', 'enum',
  'config', 'BEGIN', 'END', 't:a:b', 'uprobe:/bin/x:f', '$1', '$#', '@m[1]', '/*', '*/', '//', '\n#define Y 2\n',
  '\n#include <x.h>\n', '0x', '1e999', '99999999999999999999', '"\\q', '\n', '\t', ' ', 'é', '\u0000', '\r\n', 'sizeof(',
  '(uint8 *)', 'return', 'break', '1.5', '`',
];

const characters = '{}()[];,:/"\'\\*$@#.-+=!<>&|^~?%abcXYZ019_ \n\t\r\u00e9\u0000';

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Rough token boundaries: runs of word characters, runs of blanks, or single other characters. */
function roughTokens(text: string): Array<[number, number]> {
  const tokens: Array<[number, number]> = [];
  for (const match of text.matchAll(/\w+|\s+|[^\w\s]/g)) tokens.push([match.index!, match.index! + match[0].length]);
  return tokens;
}

function mutate(random: Random, text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 8)) {
    case 0:
      return text.slice(0, at) + pick(random, [...characters]) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 5));
    case 2: {
      if (text.length < 2) return text;
      const other = Math.floor(random() * text.length);
      const chars = [...text];
      const first = Math.min(at, chars.length - 1);
      [chars[first], chars[other]] = [chars[other]!, chars[first]!];
      return chars.join('');
    }
    case 3:
      return text.slice(0, at) + pick(random, fragments) + text.slice(at);
    case 4: {
      const tokens = roughTokens(text);
      if (tokens.length === 0) return text;
      const [start, end] = pick(random, tokens);
      return text.slice(0, start) + text.slice(end);
    }
    case 5: {
      const tokens = roughTokens(text);
      if (tokens.length < 2) return text;
      let [a, b] = [pick(random, tokens), pick(random, tokens)];
      if (a[0] > b[0]) [a, b] = [b, a];
      if (a[1] > b[0]) return text;
      return text.slice(0, a[0]) + text.slice(b[0], b[1]) + text.slice(a[1], b[0]) + text.slice(a[0], a[1]) + text.slice(b[1]);
    }
    case 6: {
      const end = Math.min(text.length, at + Math.floor(random() * 40));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    default:
      return text.slice(0, at);
  }
}

/** Parses `source` and checks the result (how fast is for the bench: bench/pathological-parse.ts). */
function check(source: string, label: string): void {
  let result;
  try {
    result = parse(source, 'fuzz.bt');
  } catch (error) {
    assert.unreachable(`${label}: parse threw ${String(error)} for:\n${JSON.stringify(source)}`);
    return;
  }
  const context = `${label}:\n${JSON.stringify(source)}`;
  for (const diagnostic of result.diagnostics) {
    const problem = spanProblem(diagnostic.span, source, 'fuzz.bt');
    if (problem) assert.unreachable(`${context}\ndiagnostic "${diagnostic.message}": ${problem}`);
    assert.not.match(diagnostic.message, /internal error/, context);
    assert.ok(diagnostic.message.length > 0, context);
  }
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (result.program === undefined) {
    assert.ok(errors.length > 0, `${context}\nno tree and no error`);
  } else {
    assert.is(errors.length, 0, `${context}\na tree despite errors`);
    for (const { path, span } of allSpans(result.program)) {
      const problem = spanProblem(span, source, 'fuzz.bt');
      if (problem) assert.unreachable(`${context}\n${path}: ${problem}`);
    }
    const printed = printProgram(result.program);
    const again = parse(printed, 'fuzz.bt');
    assert.equal(again.diagnostics.map((d) => d.message), [], `${context}\nprinted form does not parse:\n${printed}`);
    assert.equal(withoutSpans(again.program), withoutSpans(result.program), `${context}\nround trip changed the tree`);
  }
}

test(`${count} seeded mutations (seed ${seed}) never crash the parser`, () => {
  const random = generator(seed);
  const corpus = [...loadExamples().map((example) => example.source), ...snippets];
  let accepted = 0;
  for (let index = 0; index < count; index += 1) {
    let source = pick(random, corpus);
    const mutations = 1 + Math.floor(random() * 4);
    for (let step = 0; step < mutations; step += 1) source = mutate(random, source);
    check(source, `input ${index} (seed ${seed})`);
    if (parse(source, 'fuzz.bt').program !== undefined) accepted += 1;
  }
  // Mutations must exercise both outcomes, or the test is not testing much.
  assert.ok(accepted > count / 50 && accepted < count - count / 10, `${accepted} of ${count} mutated inputs parsed`);
});

test('pathological inputs: deep nesting, long lines, only junk', () => {
  pathologicalInputs.forEach((input, index) => check(input, `pathological input ${index}`));
});

test.run();
