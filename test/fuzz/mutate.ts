// Mutations that reach past the parser: most keep the text parseable but break its meaning — a
// builtin where a map was, a string where an integer was, a function with the wrong arguments, a
// probe that does not exist — so that the checker and the code generator see hostile programs too.
// (test/parser/fuzz.test.ts covers character-level damage to the parser; a share of that is here
// as well, so that the later stages also meet what error recovery makes of broken text.)
import type { Random } from './random.js';

const identifiers = [
  'pid', 'tid', 'uid', 'comm', 'nsecs', 'elapsed', 'cpu', 'rand', 'cgroup', 'curtask', 'retval', 'func', 'probe', 'args',
  'arg0', 'arg9', 'kstack', 'ustack', 'jiffies', 'username', 'ctx', 'nosuch', 'count', 'hist', 'printf', 'str', 'exit',
];
const calls = [
  'count()', 'sum()', 'sum(1, 2)', 'hist(1, 9)', 'lhist(1, 10, 0, 1)', 'lhist(5, 0, 100000, 1)', 'avg("s")', 'min(comm)',
  'stats(1)', 'str()', 'str(comm, 0)', 'str(1, -1)', 'buf(1, 0)', 'strncmp("a", "b")', 'strncmp("a", "b", pid)',
  'strcontains(1, "a")', 'strlen(5)', 'ksym()', 'usym(comm)', 'kaddr("no_such_symbol_here")', 'kstack(bogus)',
  'ustack(0)', 'kstack(200)', 'ntop(comm)', 'time(5)', 'strftime(1, 2)', 'join(comm)', 'cat(1)', 'system("x")',
  'signal("SIGNOPE")', 'exit("code")', 'print()', 'print(@nosuch)', 'print(1, 2)', 'clear(1)', 'zero(@x[1])',
  'delete(1)', 'delete(@x, 1, 2)', 'has_key(1)', 'len(@x[1])', 'len()', 'printf()', 'printf(comm)', 'printf("%d")',
  'printf("%s %s", 1)', 'printf("%q", 1)', 'printf("%-*d", 1, 2)', 'printf("%r", 1)', 'debugf("%s", comm)',
  'sizeof(struct task_struct)', 'offsetof(struct x, y)', 'unknown_function(1)', 'nsecs(boot)', 'pid(1)', 'comm()',
];
const numbers = [
  '0', '-1', '18446744073709551615', '18446744073709551616', '0x7fffffffffffffff', '-9223372036854775808',
  '99999999999999999999999', '1e9', '1_000_000', '0b1010', '07', '5ms', '2h', '1e19', '1e20', '-0',
];
const strings = [
  '""', '"x"', `"${'y'.repeat(300)}"`, '"\\x41\\101\\n"', '"%d %s"', '"\\0"', '"tab\\t"', '"é"', '"\\u0000"',
];
const probes = [
  'BEGIN', 'END', 'tracepoint:syscalls:sys_enter_openat', 'tracepoint:nosuch:event', 'tracepoint:syscalls:*',
  'tracepoint:sched:sched_switch', 't:*:sys_enter_nope*', 'rawtracepoint:sys_enter', 'rawtracepoint:nope',
  'interval:ms:0', 'interval:s:1', 'profile:hz:0', 'profile:hz:99', 'software:cpu-clock:', 'software:nope:1',
  'hardware:cycles:1000', 'uprobe:/nonexistent:f', 'uprobe:/bin/sh:nosuchsymbol', 'uretprobe:/bin/sh:main',
  'kprobe:vfs_read', 'kretprobe:nosuch', 'fentry:vfs_read', 'usdt:/bin/sh:p:n', 'watchpoint:0x0:8:w', 'i:ms:1',
  'BEGIN, END', 'tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_exit_openat',
];
const operators = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '==', '!=', '<', '<=', '>', '>=', '&&', '||'];
const statements = [
  '@x = 1;', '@x[1] = count();', '@x = "s";', '@x[1, "a"] = (1, 2);', '$v = comm;', '$v += 1;', 'let $v: uint8 = 300;',
  'let $v: string[2] = "long";', 'let $v: struct x = 1;', 'if (comm) { }', 'while (1) { break; }', 'for ($i : 0..comm) { }',
  'for ($kv : @x) { exit(); }', 'for ($kv : @nosuch) { }', 'unroll(0) { }', 'unroll(1000) { }', 'return 1;', 'break;',
  'continue;', 'dispatch (comm) { 1: { } }', 'dispatch (1) { 1: { } 1: { } }', '@x++;', '$undefined++;', '@x[kstack] = 1;',
  'printf("%s\\n", args.nosuch);', 'print(@x, -1, 0);', '$t = (1, "a"); $t.5;', '@x = (1, 2).0;', '$p = *pid;', '$q = &comm;',
  '@x = (uint128)1;', '@x = (string)1;', '@x[1] = hist(pid); @x[1] = lhist(pid, 0, 10, 1);', 'exit(); exit();',
];

/** A token-ish unit of text: a word, a number, a string literal, or one other character. */
function tokens(text: string): { start: number; end: number; text: string }[] {
  const found: { start: number; end: number; text: string }[] = [];
  for (const match of text.matchAll(/"(?:[^"\\\n]|\\.)*"|[A-Za-z_$@][\w]*|\d[\w.]*|\s+|[^\s]/g)) {
    found.push({ start: match.index!, end: match.index! + match[0].length, text: match[0] });
  }
  return found;
}

function replaceToken(random: Random, text: string, accept: (token: string) => boolean, replacements: readonly string[]): string {
  const candidates = tokens(text).filter((token) => accept(token.text));
  if (candidates.length === 0) return text;
  const token = random.pick(candidates);
  return text.slice(0, token.start) + random.pick(replacements) + text.slice(token.end);
}

/** Points just after a `;` or `{`: where a statement can start. */
function statementPoints(text: string): number[] {
  const points: number[] = [];
  for (let index = 0; index < text.length; index++) if (text[index] === ';' || text[index] === '{') points.push(index + 1);
  return points;
}

export function mutateProgram(random: Random, text: string): string {
  const at = random.integer(0, text.length);
  switch (random.integer(0, 13)) {
    case 0: return replaceToken(random, text, (token) => /^[a-z_]\w*$/.test(token), identifiers);
    case 1: return replaceToken(random, text, (token) => /^\d/.test(token), numbers);
    case 2: return replaceToken(random, text, (token) => token.startsWith('"'), strings);
    case 3: return replaceToken(random, text, (token) => /^[a-z_]\w*$/.test(token), calls);
    case 4: return replaceToken(random, text, (token) => /^[-+*/%&|^<>=!]$/.test(token), operators);
    case 5: return replaceToken(random, text, (token) => /^[$@]\w*$/.test(token), ['@x', '@', '$v', '$kv', '@nosuch', '$1', '$#', 'args']);
    case 6: {
      const points = statementPoints(text);
      if (points.length === 0) return text;
      const point = random.pick(points);
      return `${text.slice(0, point)} ${random.pick(statements)} ${text.slice(point)}`;
    }
    case 7: {
      // A whole probe header swapped for another.
      const header = /^(?:[A-Za-z][\w:/.*,+ -]*?)(?=\s*(?:\/|\{|\n\{))/m.exec(text);
      if (!header) return `${random.pick(probes)} { ${random.pick(statements)} }\n${text}`;
      return text.slice(0, header.index) + random.pick(probes) + text.slice(header.index + header[0].length);
    }
    case 8: {
      // A call's argument list emptied or doubled.
      const call = /\w+\(([^()]*)\)/g;
      const matches = [...text.matchAll(call)];
      if (matches.length === 0) return text;
      const match = random.pick(matches);
      const inner = match[1]!;
      const replacement = random.chance(0.5) ? '' : inner === '' ? '1' : `${inner}, ${inner}`;
      const start = match.index! + match[0].indexOf('(') + 1;
      return text.slice(0, start) + replacement + text.slice(start + inner.length);
    }
    case 9: return text.slice(0, at) + random.pick(['{', '}', '(', ')', ';', '"', '/', ',', ':', '..', '?', '#']) + text.slice(at);
    case 10: return text.slice(0, at) + text.slice(at + random.integer(1, 12));
    case 11: {
      const end = Math.min(text.length, at + random.integer(1, 60));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 12: return `${random.pick(['config = { max_strlen = 1 }\n', 'config = { max_strlen = 100000 }\n', 'config = { max_map_keys = 0 }\n', '#define X 1\n', '#include <nope.h>\n', 'struct s { int a; };\n'])}${text}`;
    default: return text.slice(0, at);
  }
}

/** A random run of tokens of the language: mostly nonsense, sometimes a program. */
export function tokenSoup(random: Random): string {
  const vocabulary = [
    ...identifiers, ...operators, ...numbers.slice(0, 6), '"s"', '{', '}', '(', ')', '[', ']', ';', ',', ':', '/', '?', '.', '..', '->',
    '=', '+=', '++', '@', '@x', '$v', '$1', 'if', 'else', 'while', 'for', 'unroll', 'let', 'return', 'BEGIN', 'END',
    'tracepoint:syscalls:sys_enter_openat', 'printf("%d\\n", 1)', '\n',
  ];
  const parts: string[] = [];
  for (let count = random.integer(1, 60); count > 0; count--) parts.push(random.pick(vocabulary));
  return parts.join(random.pick([' ', '']));
}
