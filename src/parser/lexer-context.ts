/**
 * Custom token matchers whose result depends on where they are. An attach point such as
 * `uprobe:/bin/bash:readline` or `t:syscalls:sys_enter_*` is one token, so that paths, `*`, `-` and
 * `+offset` never meet expression syntax; it is only lexed where a probe can start: at top level
 * (outside braces, brackets and parentheses) at the start of input or after `}`, `,`, `;` or a `#`
 * line. Token images are enough to tell where we are, which keeps this module free of token types.
 */
import type { CustomPatternMatcherReturn, IToken } from 'chevrotain';

/** Words that are never a probe: other top-level constructs and the language's keywords. */
const reservedWords: ReadonlySet<string> = new Set([
  'struct', 'union', 'enum', 'config', 'let', 'if', 'else', 'unroll', 'while', 'for', 'break', 'continue', 'return',
  'true', 'false', 'dispatch', 'sizeof', 'offsetof', '__attribute__',
]);

// The lexer calls the matcher at many offsets of one run with the same growing token array; the
// depth scan resumes where it stopped, so each token is looked at once.
let scannedTokens: IToken[] | undefined;
let scannedCount = 0;
let braceDepth = 0;
let groupDepth = 0;
/** A top-level `__attribute__((…))` group is open (after a C definition's closing brace). */
let inAttribute = false;
/** Index of the `)` that closed the last top-level attribute group: a probe may follow it. */
let attributeEnd = -1;

function atProbeStart(tokens: IToken[]): boolean {
  if (tokens !== scannedTokens || tokens.length < scannedCount) {
    scannedTokens = tokens;
    scannedCount = 0;
    braceDepth = 0;
    groupDepth = 0;
    inAttribute = false;
    attributeEnd = -1;
  }
  for (; scannedCount < tokens.length; scannedCount += 1) {
    const image = tokens[scannedCount]!.image;
    if (image.length !== 1) continue;
    // Only attributes after a definition's body: `struct __attribute__((packed)) s {` names no probe.
    if (image === '(' && braceDepth === 0 && groupDepth === 0) {
      inAttribute = tokens[scannedCount - 1]?.image === '__attribute__' && (tokens[scannedCount - 2]?.image === '}' || attributeEnd === scannedCount - 2);
    }
    if (image === ')' && inAttribute && groupDepth === 1) {
      inAttribute = false;
      attributeEnd = scannedCount;
    }
    // Parentheses never span a brace or a `;`: forgetting one must not hide every later probe.
    if (image === '{') {
      braceDepth += 1;
      groupDepth = 0;
    } else if (image === '}') {
      braceDepth = Math.max(0, braceDepth - 1);
      groupDepth = 0;
    } else if (image === ';') groupDepth = 0;
    else if (image === '(' || image === '[') groupDepth += 1;
    else if (image === ')' || image === ']') groupDepth = Math.max(0, groupDepth - 1);
  }
  if (braceDepth > 0 || groupDepth > 0) return false;
  const last = tokens[tokens.length - 1];
  if (last === undefined) return true;
  if (attributeEnd === tokens.length - 1) return true; // `struct s { … } __attribute__((packed)) BEGIN { … }`
  const image = last.image;
  return image === '}' || image === ',' || image === ';' || image.charCodeAt(0) === 35; /* '#' line */
}

/** A probe starts with its provider's name: a letter or `_` (wildcards come after the provider). */
function isAttachStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAttachCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 42 || // *
    code === 63 || // ?
    code === 46 || // .
    code === 43 || // +
    code === 45 || // -
    code === 64 // @
  );
}

/**
 * Spellings of the providers whose second field is a file: a `/` anywhere in it continues the path.
 * The lexer's matchers take no arguments of ours, so the parse in progress sets them (lexWith).
 */
let fileTargetProviders: ReadonlySet<string> = new Set();

/** Runs `tokenize` with the file-target spellings of the parse in progress. */
export function lexWith<T>(fileTargetSpellings: ReadonlySet<string>, tokenize: () => T): T {
  const outer = fileTargetProviders;
  fileTargetProviders = fileTargetSpellings;
  try {
    return tokenize();
  } finally {
    fileTargetProviders = outer;
  }
}

/**
 * Scans an attach point: fields separated by `:`, each made of attach characters and `"quoted"`
 * parts. A `/` belongs to a field that starts with `/` or `.` (a path), and to the file target of a
 * uprobe or usdt (`uprobe:testprogs/prog:f`, relative to the working directory as in bpftrace);
 * elsewhere it ends the attach point, so `BEGIN/pid == 1/` has a predicate while
 * `uprobe:/bin/sh:main` has a path.
 */
export function matchAttachPoint(text: string, offset: number, tokens: IToken[]): CustomPatternMatcherReturn | null {
  const start = text.charCodeAt(offset);
  const positional = start === 36 /* $ */ && isDigit(text.charCodeAt(offset + 1));
  if ((!isAttachStart(start) && !positional) || !atProbeStart(tokens)) return null;
  let index = offset;
  let fieldStart = offset;
  let fieldIndex = 0;
  let isPath = false;
  let fileTarget = false;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 58 /* : */) {
      if (fieldIndex === 0) fileTarget = fileTargetProviders.has(text.slice(offset, index));
      index += 1;
      fieldStart = index;
      fieldIndex += 1;
      isPath = fileTarget && fieldIndex === 1;
    } else if (code === 34 /* " */) {
      const close = text.indexOf('"', index + 1);
      const newline = text.indexOf('\n', index + 1);
      if (close === -1 || (newline !== -1 && newline < close)) break;
      index = close + 1;
    } else if (code === 47 /* / */) {
      if (index !== fieldStart && !isPath) break;
      isPath = true;
      index += 1;
    } else if (isAttachCharacter(code)) {
      if (index === fieldStart && code === 46) isPath = true;
      index += 1;
    } else if (code === 36 /* $ */ && isDigit(text.charCodeAt(index + 1))) {
      // A positional parameter, spliced into the text when the attach point is read.
      index += 2;
    } else break;
  }
  if (index === offset) return null;
  const image = text.slice(offset, index);
  if (reservedWords.has(image)) return null;
  return [image];
}

/** `#!...` on the first line only. */
export function matchShebang(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (offset !== 0 || !text.startsWith('#!')) return null;
  const end = text.indexOf('\n');
  return [end === -1 ? text : text.slice(0, end)];
}

/**
 * A preprocessor line: `#` first on its line (after blanks), to the end of the line, following
 * backslash-newline continuations. `#!` is left to the shebang matcher.
 */
export function matchPreprocessorLine(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 35 || (offset === 0 && text.charCodeAt(1) === 33)) return null;
  for (let before = offset - 1; before >= 0; before -= 1) {
    const code = text.charCodeAt(before);
    if (code === 10) break;
    if (code !== 32 && code !== 9) return null;
  }
  let end = offset;
  for (;;) {
    const newline = text.indexOf('\n', end);
    if (newline === -1) {
      end = text.length;
      break;
    }
    const lineEnd = newline > 0 && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    if (lineEnd > offset && text.charCodeAt(lineEnd - 1) === 92 /* \ */) {
      end = newline + 1;
      continue;
    }
    end = newline;
    break;
  }
  return [text.slice(offset, end)];
}
