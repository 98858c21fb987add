/** Expression and type rules. */
import type { IToken } from 'chevrotain';
import type {
  BinaryOperator, Expression, IntegerLiteral, MapExpression, StringLiteral as StringNode, TypeExpression, UnaryExpression,
} from './ast.js';
import { GrammarBase } from './grammar-base.js';
import { readInteger, readString } from './literals.js';
import { foldBinaryChain } from './precedence.js';
import {
  Arrow, BinaryOperator as BinaryOperatorToken, Colon, Comma, Dot, Enum, False, Identifier, Keyword, LeftBrace,
  LeftBracket, LeftParen, MapName, NumberLiteral, Offsetof, Positional, PositionalCount, PrefixOperator, Question,
  RightBracket, RightParen, Sizeof, Slash, Star, StringLiteral, Struct, True, Union, UnterminatedString,
  UpdateOperator, Variable,
} from './tokens.js';

export abstract class ExpressionGrammar extends GrammarBase {
  /**
   * `unary (operator unary)* [? expression : expression]`: the operator chain is folded by
   * precedence, the conditional is right-associative. A `/` directly followed by `{` closes a
   * predicate instead of dividing, so `/pid / 2 > 1/ {` reads as bpftrace does. (One rule for what
   * could be many: each rule invocation costs, and every operand passes through here.)
   */
  expression = this.RULE('expression', (): Expression => {
    const operands: Expression[] = [this.SUBRULE(this.unary)];
    const operators: BinaryOperator[] = [];
    this.MANY({
      GATE: () => !(this.nextIs(1, Slash) && this.nextIs(2, LeftBrace)),
      DEF: () => {
        const operator = this.CONSUME(BinaryOperatorToken);
        operands.push(this.SUBRULE2(this.unary));
        this.ACTION(() => operators.push(operator.image as BinaryOperator));
      },
    });
    const branches = this.OPTION(() => {
      this.CONSUME(Question);
      const whenTrue = this.SUBRULE(this.expression);
      this.CONSUME(Colon, { ERR_MSG: "expected ':' in the conditional expression" });
      const whenFalse = this.SUBRULE2(this.expression);
      return { whenTrue, whenFalse };
    });
    return this.build(() => {
      const condition =
        operators.length === 0 ? operands[0]! : foldBinaryChain(operands, operators, (left, right) => this.over(left, right));
      return branches === undefined
        ? condition
        : { kind: 'conditional', span: this.over(condition, branches.whenFalse), condition, ...branches };
    });
  });

  /** Prefix operators, casts, and a primary followed by `.field`, `->field`, `.0`, `[i]`, `++`, `--`. */
  unary = this.RULE('unary', (): Expression =>
    this.OR([
      {
        ALT: () => {
          const operator = this.CONSUME(PrefixOperator);
          const operand = this.SUBRULE(this.unary);
          return this.build(() => ({
            kind: 'unary',
            span: this.over(operator, operand),
            operator: operator.image as UnaryExpression['operator'],
            operand,
          }));
        },
      },
      {
        ALT: () => {
          const operator = this.CONSUME(UpdateOperator);
          const operand = this.SUBRULE2(this.unary);
          return this.build(() => ({
            kind: 'update',
            span: this.over(operator, operand),
            operator: operator.image as '++' | '--',
            prefix: true,
            operand,
          }));
        },
      },
      { GATE: () => this.castAhead(), ALT: () => this.SUBRULE(this.cast) },
      { ALT: () => this.postfix() },
    ]),
  );

  cast = this.RULE('cast', (): Expression => {
    const open = this.CONSUME(LeftParen);
    const type = this.SUBRULE(this.typeExpression);
    this.CONSUME(RightParen, { ERR_MSG: "expected ')' after the type of a cast" });
    const operand = this.SUBRULE(this.unary);
    return this.build(() => ({ kind: 'cast', span: this.over(open, operand), type, operand }));
  });

  /** Part of `unary`: a primary and its postfix operators. */
  private postfix(): Expression {
    let result = this.SUBRULE(this.primary);
    this.MANY(() =>
      this.OR2([
        {
          ALT: () => {
            const dot = this.CONSUME(Dot);
            this.OR3({
              DEF: [
                {
                  ALT: () => {
                    const name = this.SUBRULE(this.fieldName);
                    result = this.build(() => ({ kind: 'fieldAccess', span: this.over(result, name), object: result, field: name.image, arrow: false }));
                  },
                },
                {
                  ALT: () => {
                    const number = this.CONSUME(NumberLiteral);
                    result = this.build(() => this.tupleIndex(result, dot, number));
                  },
                },
              ],
              ERR_MSG: "a field name or tuple index after '.'",
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Arrow);
            const name = this.SUBRULE2(this.fieldName);
            result = this.build(() => ({ kind: 'fieldAccess', span: this.over(result, name), object: result, field: name.image, arrow: true }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(LeftBracket);
            const index = this.SUBRULE(this.expression);
            const close = this.CONSUME(RightBracket, { ERR_MSG: "expected ']' after the index" });
            result = this.build(() => ({ kind: 'index', span: this.over(result, close), object: result, index }));
          },
        },
        {
          ALT: () => {
            const operator = this.CONSUME2(UpdateOperator);
            result = this.build(() => ({
              kind: 'update',
              span: this.over(result, operator),
              operator: operator.image as '++' | '--',
              prefix: false,
              operand: result,
            }));
          },
        },
      ]),
    );
    return result;
  }

  fieldName = this.RULE('fieldName', (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(Keyword) }]),
  );

  primary = this.RULE('primary', (): Expression =>
    this.OR([
      { ALT: () => this.integerLiteral(this.CONSUME(NumberLiteral)) },
      { ALT: () => this.stringLiteral(this.CONSUME(StringLiteral)) },
      { ALT: () => this.stringLiteral(this.CONSUME(UnterminatedString)) },
      { ALT: () => this.booleanLiteral(this.CONSUME(True), true) },
      { ALT: () => this.booleanLiteral(this.CONSUME(False), false) },
      {
        ALT: () => {
          const token = this.CONSUME(Variable);
          return this.build(() => ({ kind: 'variable', span: this.spanOf(token), name: token.image.slice(1) }));
        },
      },
      {
        ALT: () => {
          const token = this.CONSUME(Positional);
          return this.build(() => ({ kind: 'positional', span: this.spanOf(token), index: Number(token.image.slice(1)) }));
        },
      },
      {
        ALT: () => {
          const token = this.CONSUME(PositionalCount);
          return this.build(() => ({ kind: 'positionalCount', span: this.spanOf(token) }));
        },
      },
      { ALT: () => this.mapExpression() },
      { ALT: () => this.identifierOrCall() },
      { ALT: () => this.SUBRULE(this.sizeofExpression) },
      { ALT: () => this.SUBRULE(this.offsetofExpression) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ]),
  );

  /** Part of `primary`: `@name` or `@name[key, ...]`. */
  private mapExpression(): MapExpression {
    const name = this.CONSUME(MapName);
    let end: IToken = name;
    const keys: Expression[] = [];
    this.OPTION(() => {
      this.CONSUME(LeftBracket);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => keys.push(this.SUBRULE(this.expression)), ERR_MSG: 'a map key' });
      end = this.CONSUME(RightBracket, { ERR_MSG: "expected ']' after the map key" });
    });
    return this.build(() => ({ kind: 'map', span: this.over(name, end), name: name.image.slice(1), keys }));
  }

  /** Part of `primary`: `name` (a builtin, an enum value, ...) or `name(arguments...)`. */
  private identifierOrCall(): Expression {
    const name = this.CONSUME(Identifier);
    const call = this.OPTION2(() => {
      this.CONSUME(LeftParen);
      const args = this.SUBRULE(this.argumentList);
      const close = this.CONSUME(RightParen, { ERR_MSG: "expected ',' or ')' in the argument list" });
      return { args, close };
    });
    return this.build(() =>
      call === undefined
        ? { kind: 'identifier', span: this.spanOf(name), name: name.image }
        : { kind: 'call', span: this.over(name, call.close), name: name.image, arguments: call.args },
    );
  }

  argumentList = this.RULE('argumentList', (): Expression[] => {
    const args: Expression[] = [];
    this.MANY_SEP({ SEP: Comma, DEF: () => args.push(this.SUBRULE(this.expression)) });
    return args;
  });

  sizeofExpression = this.RULE('sizeofExpression', (): Expression => {
    const keyword = this.CONSUME(Sizeof);
    this.CONSUME(LeftParen, { ERR_MSG: "expected '(' after 'sizeof'" });
    const operand = this.SUBRULE(this.typeOrExpression);
    const close = this.CONSUME(RightParen, { ERR_MSG: "expected ')' after the operand of 'sizeof'" });
    return this.build(() => ({ kind: 'sizeof', span: this.over(keyword, close), operand }));
  });

  /** `offsetof(struct foo, a.b)` */
  offsetofExpression = this.RULE('offsetofExpression', (): Expression => {
    const keyword = this.CONSUME(Offsetof);
    this.CONSUME(LeftParen, { ERR_MSG: "expected '(' after 'offsetof'" });
    const record = this.SUBRULE(this.typeOrExpression);
    this.CONSUME(Comma, { ERR_MSG: "expected ',' and a field name in 'offsetof'" });
    const fields: string[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: Dot, DEF: () => fields.push(this.SUBRULE(this.fieldName).image), ERR_MSG: 'a field name' });
    const close = this.CONSUME(RightParen, { ERR_MSG: "expected ')' after the field of 'offsetof'" });
    return this.build(() => ({ kind: 'offsetof', span: this.over(keyword, close), record, fields }));
  });

  typeOrExpression = this.RULE('typeOrExpression', (): TypeExpression | Expression =>
    this.OR([
      { GATE: () => this.typeAhead(1), ALT: () => this.SUBRULE(this.typeExpression) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]),
  );

  /** `(expression)` is the expression itself; `(a, b, ...)` is a tuple. */
  parenthesized = this.RULE('parenthesized', (): Expression => {
    const open = this.CONSUME(LeftParen);
    const elements: Expression[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => elements.push(this.SUBRULE(this.expression)), ERR_MSG: 'an expression' });
    const close = this.CONSUME(RightParen, { ERR_MSG: "expected ')'" });
    return this.build(() => (elements.length === 1 ? elements[0]! : { kind: 'tuple', span: this.over(open, close), elements }));
  });

  /** `int8`, `struct foo`, `struct foo *`, `int8[8]`, `string[16]`, `pid_t *`. */
  typeExpression = this.RULE('typeExpression', (): TypeExpression => {
    let type: TypeExpression = this.OR([
      {
        GATE: () => this.typeofAhead(1),
        ALT: () => {
          const keyword = this.CONSUME3(Identifier);
          this.CONSUME(LeftParen);
          const operand = this.SUBRULE(this.typeOrExpression);
          const close = this.CONSUME(RightParen, { ERR_MSG: "expected ')' after the operand of 'typeof'" });
          return this.build(() => ({ kind: 'typeofType' as const, span: this.over(keyword, close), operand }));
        },
      },
      {
        ALT: () => {
          const keyword = this.OR2([
            { ALT: () => this.CONSUME(Struct) },
            { ALT: () => this.CONSUME(Union) },
            { ALT: () => this.CONSUME(Enum) },
          ]);
          const name = this.CONSUME(Identifier, { ERR_MSG: `expected a name after the keyword` });
          return this.build(() => ({
            kind: 'recordType' as const,
            span: this.over(keyword, name),
            keyword: keyword.image as 'struct' | 'union' | 'enum',
            name: name.image,
          }));
        },
      },
      {
        GATE: () => !this.typeofAhead(1),
        ALT: () => {
          const name = this.CONSUME2(Identifier);
          return this.build(() => ({ kind: 'namedType' as const, span: this.spanOf(name), name: name.image }));
        },
      },
    ]);
    this.MANY(() => {
      const star = this.CONSUME(Star);
      type = this.build(() => ({ kind: 'pointerType', span: this.over(type, star), target: type }));
    });
    this.MANY2(() => {
      this.CONSUME(LeftBracket);
      const length = this.OPTION3(() => this.CONSUME(NumberLiteral, { ERR_MSG: 'expected the array length' }));
      const close = this.CONSUME(RightBracket, { ERR_MSG: "expected ']' after the array length" });
      type = this.build(() => length === undefined
        ? { kind: 'arrayType', span: this.over(type, close), element: type, length: 0, unsized: true }
        : { kind: 'arrayType', span: this.over(type, close), element: type, length: this.arrayLength(length) });
    });
    return type;
  });

  // ─── Literal helpers (called inside rules) ────────────────────────────────────────────────────

  protected integerLiteral(token: IToken): IntegerLiteral {
    return this.build(() => {
      const span = this.spanOf(token);
      const reading = readInteger(token.image);
      if (!reading.ok) {
        this.report(span, reading.message);
        return { kind: 'integer', span, value: 0n, text: token.image };
      }
      const { value, suffix, unit } = reading;
      return { kind: 'integer', span, value, text: token.image, ...(suffix === undefined ? {} : { suffix }), ...(unit === undefined ? {} : { unit }) };
    });
  }

  protected stringLiteral(token: IToken): StringNode {
    return this.build(() => {
      const { value, problems } = readString(token.image);
      for (const problem of problems) {
        this.report(this.lines.span(token.startOffset + problem.offset, problem.length), problem.message);
      }
      return { kind: 'string', span: this.spanOf(token), value };
    });
  }

  private booleanLiteral(token: IToken, value: boolean): Expression {
    return this.build(() => ({ kind: 'boolean', span: this.spanOf(token), value }));
  }

  private tupleIndex(object: Expression, dot: IToken, number: IToken): Expression {
    const span = this.over(object, number);
    const adjacent = this.endOf(object) === dot.startOffset && dot.startOffset + 1 === number.startOffset;
    if (object.kind === 'integer' && adjacent) {
      this.report(span, 'floating-point numbers are not supported');
    } else if (!/^[0-9]+$/.test(number.image)) {
      this.report(this.spanOf(number), `expected a tuple index after '.', found '${number.image}'`);
    }
    return { kind: 'tupleIndex', span, object, index: Number.parseInt(number.image, 10) || 0 };
  }

  private arrayLength(token: IToken): number {
    const reading = readInteger(token.image);
    if (!reading.ok || reading.unit !== undefined || reading.value > 0xffffffffn) {
      this.report(this.spanOf(token), `invalid array length '${token.image}'`);
      return 0;
    }
    return Number(reading.value);
  }
}
