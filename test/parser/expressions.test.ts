import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expressionOf, parseOk, shape, statementsOf, textOf, withoutSpans } from './helpers.js';

const shapeOf = (text: string) => shape(expressionOf(text));

test('binary operators follow C precedence', () => {
  assert.is(shapeOf('1 + 2 * 3'), '(+ 1 (* 2 3))');
  assert.is(shapeOf('1 * 2 + 3'), '(+ (* 1 2) 3)');
  assert.is(shapeOf('1 << 2 + 3'), '(<< 1 (+ 2 3))');
  assert.is(shapeOf('1 < 2 == 3 > 4'), '(== (< 1 2) (> 3 4))');
  assert.is(shapeOf('1 & 2 == 2'), '(& 1 (== 2 2))');
  assert.is(shapeOf('1 | 2 ^ 3 & 4'), '(| 1 (^ 2 (& 3 4)))');
  assert.is(shapeOf('1 || 2 && 3'), '(|| 1 (&& 2 3))');
  assert.is(shapeOf('$a && $b | $c'), '(&& $a (| $b $c))');
  assert.is(shapeOf('1 + 2 * 3 - 4 << 1 | 2 & 3 ^ 4 == 5 && 6 || 7'), '(|| (&& (| (<< (- (+ 1 (* 2 3)) 4) 1) (^ (& 2 3) (== 4 5))) 6) 7)');
});

test('binary operators are left-associative', () => {
  assert.is(shapeOf('10 - 3 - 2'), '(- (- 10 3) 2)');
  assert.is(shapeOf('64 / 4 / 2'), '(/ (/ 64 4) 2)');
  assert.is(shapeOf('7 % 4 * 3'), '(* (% 7 4) 3)');
  assert.is(shapeOf('1 << 2 >> 1'), '(>> (<< 1 2) 1)');
});

test('every binary operator is read', () => {
  for (const operator of ['||', '&&', '|', '^', '&', '==', '!=', '<', '<=', '>', '>=', '<<', '>>', '+', '-', '*', '/', '%']) {
    assert.is(shapeOf(`$a ${operator} $b`), `(${operator} $a $b)`, operator);
  }
});

test('parentheses group', () => {
  assert.is(shapeOf('(1 + 2) * 3'), '(* (+ 1 2) 3)');
  assert.is(shapeOf('((1))'), '1');
});

test('ternary: lowest precedence, right-associative, nests', () => {
  assert.is(shapeOf('$a > 1 ? $b + 1 : $c'), '(? (> $a 1) (+ $b 1) $c)');
  assert.is(shapeOf('$a ? $b : $c ? $d : $e'), '(? $a $b (? $c $d $e))');
  assert.is(shapeOf('$a ? $b ? 1 : 2 : 3'), '(? $a (? $b 1 2) 3)');
});

test('unary operators: ! ~ - * & and prefix/postfix ++ --', () => {
  assert.is(shapeOf('!$a'), '(! $a)');
  assert.is(shapeOf('~$a & 0xff'), '(& (~ $a) 255)');
  assert.is(shapeOf('-$a * 2'), '(* (- $a) 2)');
  assert.is(shapeOf('- -1'), '(- (- 1))');
  assert.is(shapeOf('*$p + 1'), '(+ (* $p) 1)');
  assert.is(shapeOf('&$v'), '(& $v)');
  assert.is(shapeOf('!!$a'), '(! (! $a))');
  assert.is(shapeOf('@a++'), '(++post @a)');
  assert.is(shapeOf('--@a'), '(--pre @a)');
  assert.is(shapeOf('$i++ + ++$j'), '(+ (++post $i) (++pre $j))');
});

test('casts to integer, pointer, array and record types', () => {
  const integer = expressionOf('(uint32)$x');
  assert.equal(withoutSpans(integer), {
    kind: 'cast', type: { kind: 'namedType', name: 'uint32' }, operand: { kind: 'variable', name: 'x' },
  });
  const pointer = expressionOf('(struct task_struct *)curtask');
  assert.equal(withoutSpans(pointer), {
    kind: 'cast',
    type: { kind: 'pointerType', target: { kind: 'recordType', keyword: 'struct', name: 'task_struct' } },
    operand: { kind: 'identifier', name: 'curtask' },
  });
  const array = expressionOf('(int8[8])arg0');
  assert.equal(withoutSpans(array), {
    kind: 'cast', type: { kind: 'arrayType', element: { kind: 'namedType', name: 'int8' }, length: 8 }, operand: { kind: 'identifier', name: 'arg0' },
  });
  const typedefPointer = expressionOf('(pid_t **)$p');
  assert.equal(withoutSpans(typedefPointer).kind, 'cast');
  assert.is(shapeOf('(uint8)$a + 1'), '(+ (cast $a) 1)');
  assert.is(shapeOf('(uint8)-$a'), '(cast (- $a))');
  assert.is(shapeOf('(union u *)$p'), '(cast $p)');
  assert.is(shapeOf('(enum e)$p'), '(cast $p)');
});

test('a typedef name in parentheses casts a prefixed operand, as in C: (pid_t) - 1 is -1 as a pid_t', () => {
  assert.is(shapeOf('(pid_t) - 1'), '(cast (- 1))');
  assert.is(shapeOf('(pid_t)-$a'), '(cast (- $a))');
  assert.is(shapeOf('(size_t)*$p'), '(cast (* $p))');
  assert.is(shapeOf('(uint8_t)~$a'), '(cast (~ $a))');
  assert.is(shapeOf('(bool_t)!$a'), '(cast (! $a))');
  assert.is(shapeOf('(uintptr_t)&$a'), '(cast (& $a))');
  // A builtin is no type: these stay arithmetic.
  assert.is(shapeOf('(pid) - 1'), '(- pid 1)');
  assert.is(shapeOf('(arg1)*arg0'), '(* arg1 arg0)');
});

test('parenthesized names and products are not casts', () => {
  assert.is(shapeOf('(comm)'), 'comm');
  assert.is(shapeOf('($a * $b)'), '(* $a $b)');
  assert.is(shapeOf('(pid) * 2'), '(* pid 2)');
});

test('field access with . and ->, chained, and tuple indexes', () => {
  assert.is(shapeOf('args->filename'), '(-> args filename)');
  assert.is(shapeOf('args.filename'), '(. args filename)');
  assert.is(shapeOf('curtask->parent->pid'), '(-> (-> curtask parent) pid)');
  assert.is(shapeOf('$t.0 + $t.1'), '(+ (.0 $t) (.1 $t))');
  assert.is(shapeOf('$kv.0.1'), '(.1 (.0 $kv))');
  assert.is(shapeOf('args.if'), '(. args if)');
});

test('indexing, map keys and tuples', () => {
  assert.is(shapeOf('$buf[3]'), '([] $buf 3)');
  assert.is(shapeOf('@m[pid]'), '(@m pid)');
  assert.is(shapeOf('@m[pid, comm]'), '(@m pid comm)');
  assert.is(shapeOf('@m[(1, 2)]'), '(@m (tuple 1 2))');
  assert.is(shapeOf('@'), '@');
  assert.is(shapeOf('@[tid]'), '(@ tid)');
  assert.is(shapeOf('(1, "a", (2, 3))'), '(tuple 1 "a" (tuple 2 3))');
  assert.is(shapeOf('@m[1][2]'), '([] (@m 1) 2)');
});

test('calls, and builtins with or without ()', () => {
  assert.is(shapeOf('count()'), '(call count)');
  assert.is(shapeOf('hist(args->bytes, 2)'), '(call hist (-> args bytes) 2)');
  assert.is(shapeOf('pid'), 'pid');
  assert.is(shapeOf('pid()'), '(call pid)');
  assert.is(shapeOf('str(arg0, 16)'), '(call str arg0 16)');
  assert.is(shapeOf('kstack(perf, 3)'), '(call kstack perf 3)');
  assert.is(shapeOf('nsecs(boot)'), '(call nsecs boot)');
});

test('positional parameters $1...$N and $#', () => {
  assert.equal(withoutSpans(expressionOf('$1')), { kind: 'positional', index: 1 });
  assert.equal(withoutSpans(expressionOf('$12')), { kind: 'positional', index: 12 });
  assert.equal(withoutSpans(expressionOf('$#')), { kind: 'positionalCount' });
});

test('sizeof and offsetof take types or expressions', () => {
  const type = expressionOf('sizeof(struct task_struct)');
  assert.equal(withoutSpans(type), { kind: 'sizeof', operand: { kind: 'recordType', keyword: 'struct', name: 'task_struct' } });
  assert.equal(withoutSpans(expressionOf('sizeof(uint64)')), { kind: 'sizeof', operand: { kind: 'namedType', name: 'uint64' } });
  assert.equal(withoutSpans(expressionOf('sizeof($x)')), { kind: 'sizeof', operand: { kind: 'variable', name: 'x' } });
  assert.equal(withoutSpans(expressionOf('offsetof(struct sk_buff, head.next)')), {
    kind: 'offsetof', record: { kind: 'recordType', keyword: 'struct', name: 'sk_buff' }, fields: ['head', 'next'],
  });
  assert.equal(withoutSpans(expressionOf('offsetof($s, len)')), { kind: 'offsetof', record: { kind: 'variable', name: 's' }, fields: ['len'] });
});

test('expression spans cover exactly their text', () => {
  const source = 'BEGIN { $x = (uint8)args->a[2] + @m[1, 2] * -$y ? count() : (1, 2); }';
  const statement = parseOk(source).probes[0]!.body.statements[0]!;
  if (statement.kind !== 'assignment' || statement.value.kind !== 'conditional') throw new Error('unexpected shape');
  const value = statement.value;
  assert.is(textOf(source, value.span), '(uint8)args->a[2] + @m[1, 2] * -$y ? count() : (1, 2)');
  assert.is(textOf(source, value.condition.span), '(uint8)args->a[2] + @m[1, 2] * -$y');
  assert.is(textOf(source, value.whenTrue.span), 'count()');
  assert.is(textOf(source, value.whenFalse.span), '(1, 2)');
  if (value.condition.kind !== 'binary') throw new Error('expected binary');
  assert.is(textOf(source, value.condition.left.span), '(uint8)args->a[2]');
  assert.is(textOf(source, value.condition.right.span), '@m[1, 2] * -$y');
  assert.is(textOf(source, statement.span), '$x = (uint8)args->a[2] + @m[1, 2] * -$y ? count() : (1, 2)');
});

test('division inside a predicate, and the predicate ends at / before {', () => {
  const program = parseOk('BEGIN /pid / 2 > 1/ { } END / $a / ($b / 2) / { }');
  assert.is(shape(program.probes[0]!.predicate!), '(> (/ pid 2) 1)');
  assert.is(shape(program.probes[1]!.predicate!), '(/ $a (/ $b 2))');
});

test('expression statements keep their expression', () => {
  const [call, increment] = statementsOf('printf("%d\\n", pid); @n++;');
  assert.equal(withoutSpans(call), {
    kind: 'expression',
    expression: { kind: 'call', name: 'printf', arguments: [{ kind: 'string', value: '%d\n' }, { kind: 'identifier', name: 'pid' }] },
  });
  assert.is(increment!.kind === 'expression' && shape(increment.expression), '(++post @n)');
});

test.run();
