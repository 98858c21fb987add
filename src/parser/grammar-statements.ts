/** Statement and block rules. */
import { EOF, type IToken } from 'chevrotain';
import type {
  AssignmentOperator, BlockStatement, DispatchCase, Expression, IfStatement, IntegerLiteral, Statement, TypeExpression,
  VariableExpression,
} from './ast.js';
import { ExpressionGrammar } from './grammar-expressions.js';
import {
  Assign, AssignOperator, Break, Colon, Comma, Continue, Dispatch, DotDot, Else, For, If, LeftBrace, LeftParen, Let,
  NumberLiteral, Return, RightBrace, RightParen, Semicolon, StrayInBlock, Unroll, Variable, While,
} from './tokens.js';

export abstract class StatementGrammar extends ExpressionGrammar {
  /**
   * `{ statement; ... }`. Statements that end in a block need no `;`; the last simple statement
   * may omit it. Tokens that cannot start a statement are skipped with one diagnostic per run.
   */
  block = this.RULE('block', (expectation?: string): BlockStatement => {
    const open = this.CONSUME(LeftBrace, { ERR_MSG: expectation ?? "expected '{' to start a block" });
    const statements: Statement[] = [];
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(Semicolon) },
        { ALT: () => statements.push(this.SUBRULE(this.ifStatement)) },
        { ALT: () => statements.push(this.SUBRULE(this.unrollStatement)) },
        { ALT: () => statements.push(this.SUBRULE(this.whileStatement)) },
        { ALT: () => statements.push(this.SUBRULE(this.forStatement)) },
        { ALT: () => statements.push(this.SUBRULE(this.dispatchStatement)) },
        { ALT: () => statements.push(this.SUBRULE(this.block)) },
        {
          ALT: () => {
            statements.push(this.SUBRULE(this.simpleStatement));
            this.SUBRULE(this.terminator, { ARGS: ["expected ';' or '}' after the statement"] });
          },
        },
        { ALT: () => this.SUBRULE(this.strayInBlock) },
      ]),
    );
    const close = this.CONSUME(RightBrace, { ERR_MSG: this.closingExpectation(open) });
    return this.build(() => ({ kind: 'block', span: this.over(open, close), statements }));
  });

  /** What a missing `}` is reported as: at the end of input, name the line of the open brace. */
  private closingExpectation(open: IToken): string {
    if (this.RECORDING_PHASE || !this.nextIs(1, EOF) || !Number.isFinite(open.startOffset)) return "expected a statement or '}'";
    return `expected '}' to close the block opened on line ${this.lines.position(open.startOffset).line}`;
  }

  /** An optional `;`, required unless a `}` follows: reported, not thrown, so parsing goes on. */
  terminator = this.RULE('terminator', (expectation: string): void => {
    const semicolon = this.OPTION(() => this.CONSUME(Semicolon));
    this.ACTION(() => {
      if (semicolon === undefined && !this.nextIs(1, RightBrace) && !this.nextIs(1, EOF)) {
        this.reportExpected(this.LA(1), expectation);
      }
    });
  });

  /** A run of tokens that cannot start a statement: one diagnostic, then parsing goes on. */
  strayInBlock = this.RULE('strayInBlock', (): void => {
    const first = this.CONSUME(StrayInBlock);
    this.MANY(() => this.CONSUME2(StrayInBlock));
    this.ACTION(() => this.reportExpected(first, 'expected a statement'));
  });

  simpleStatement = this.RULE('simpleStatement', (): Statement =>
    this.OR([
      { ALT: () => this.SUBRULE(this.letStatement) },
      {
        ALT: () => {
          const keyword = this.CONSUME(Break);
          return this.build(() => ({ kind: 'break', span: this.spanOf(keyword) }));
        },
      },
      {
        ALT: () => {
          const keyword = this.CONSUME(Continue);
          return this.build(() => ({ kind: 'continue', span: this.spanOf(keyword) }));
        },
      },
      {
        ALT: () => {
          const keyword = this.CONSUME(Return);
          const value = this.OPTION(() => this.SUBRULE(this.expression));
          return this.build(() =>
            value === undefined
              ? { kind: 'return', span: this.spanOf(keyword) }
              : { kind: 'return', span: this.over(keyword, value), value },
          );
        },
      },
      { ALT: () => this.SUBRULE(this.expressionOrAssignment) },
    ]),
  );

  /** `expression`, or `target = value` / `target op= value` where target is a map or variable. */
  expressionOrAssignment = this.RULE('expressionOrAssignment', (): Statement => {
    const target = this.SUBRULE(this.expression);
    const assignment = this.OPTION(() => {
      const operator = this.CONSUME(AssignOperator);
      const value = this.SUBRULE2(this.expression);
      return { operator, value };
    });
    return this.build((): Statement => {
      if (assignment === undefined) return { kind: 'expression', span: target.span, expression: target };
      const { operator, value } = assignment;
      if (target.kind !== 'map' && target.kind !== 'variable') {
        this.report(target.span, 'only $variables and @maps can be assigned to');
        return { kind: 'expression', span: target.span, expression: target };
      }
      return { kind: 'assignment', span: this.over(target, value), target, operator: operator.image as AssignmentOperator, value };
    });
  });

  /** `let $name[: type] [= value]` */
  letStatement = this.RULE('letStatement', (): Statement => {
    const keyword = this.CONSUME(Let);
    const variable = this.SUBRULE(this.variable);
    const type = this.OPTION(() => {
      this.CONSUME(Colon);
      return this.SUBRULE(this.typeExpression);
    });
    const value = this.OPTION2(() => {
      this.CONSUME(Assign);
      return this.SUBRULE(this.expression);
    });
    return this.build(() => {
      const last: Expression | TypeExpression | VariableExpression = value ?? type ?? variable;
      return {
        kind: 'let',
        span: this.over(keyword, last),
        variable,
        ...(type === undefined ? {} : { type }),
        ...(value === undefined ? {} : { value }),
      };
    });
  });

  variable = this.RULE('variable', (): VariableExpression => {
    const token = this.CONSUME(Variable, { ERR_MSG: 'expected a $variable' });
    return this.build(() => ({ kind: 'variable', span: this.spanOf(token), name: token.image.slice(1) }));
  });

  /** `(expression)` after `if`, `while`, `unroll`, `dispatch`. */
  condition = this.RULE('condition', (): Expression => {
    this.CONSUME(LeftParen, { ERR_MSG: "expected '('" });
    const value = this.SUBRULE(this.expression);
    this.CONSUME(RightParen, { ERR_MSG: "expected ')'" });
    return value;
  });

  /**
   * `if (c) { } else if (c) { } ... else { }`. The `else if` chain is read as a loop, not by
   * recursion, so that a long chain cannot exhaust the stack; the tree nests it as usual.
   */
  ifStatement = this.RULE('ifStatement', (): IfStatement => {
    const branches: Array<{ keyword: IToken; condition: Expression; then: BlockStatement }> = [];
    const keyword = this.CONSUME(If);
    const condition = this.SUBRULE(this.condition);
    const then = this.SUBRULE(this.block);
    this.ACTION(() => branches.push({ keyword, condition, then }));
    this.MANY({
      GATE: () => this.nextIs(2, If),
      DEF: () => {
        this.CONSUME(Else);
        const nextKeyword = this.CONSUME2(If);
        const nextCondition = this.SUBRULE2(this.condition);
        const nextThen = this.SUBRULE2(this.block);
        this.ACTION(() => branches.push({ keyword: nextKeyword, condition: nextCondition, then: nextThen }));
      },
    });
    const otherwise = this.OPTION(() => {
      this.CONSUME2(Else);
      return this.SUBRULE3(this.block, { ARGS: ["expected 'if' or '{' after 'else'"] });
    });
    return this.build(() => {
      let tail: BlockStatement | IfStatement | undefined = otherwise;
      for (let index = branches.length - 1; index >= 0; index -= 1) {
        const branch = branches[index]!;
        tail = {
          kind: 'if',
          span: this.over(branch.keyword, tail ?? branch.then),
          condition: branch.condition,
          then: branch.then,
          ...(tail === undefined ? {} : { else: tail }),
        };
      }
      return tail as IfStatement;
    });
  });

  unrollStatement = this.RULE('unrollStatement', (): Statement => {
    const keyword = this.CONSUME(Unroll);
    const count = this.SUBRULE(this.condition);
    const body = this.SUBRULE(this.block);
    return this.build(() => ({ kind: 'unroll', span: this.over(keyword, body), count, body }));
  });

  whileStatement = this.RULE('whileStatement', (): Statement => {
    const keyword = this.CONSUME(While);
    const condition = this.SUBRULE(this.condition);
    const body = this.SUBRULE(this.block);
    return this.build(() => ({ kind: 'while', span: this.over(keyword, body), condition, body }));
  });

  /** `for ($kv : @map) { ... }` or `for ($i : start..end) { ... }` */
  forStatement = this.RULE('forStatement', (): Statement => {
    const keyword = this.CONSUME(For);
    this.CONSUME(LeftParen, { ERR_MSG: "expected '(' after 'for'" });
    const variable = this.SUBRULE(this.variable);
    this.CONSUME(Colon, { ERR_MSG: "expected ':' after the loop variable" });
    const start = this.SUBRULE(this.expression);
    const end = this.OPTION(() => {
      this.CONSUME(DotDot);
      return this.SUBRULE2(this.expression);
    });
    this.CONSUME(RightParen, { ERR_MSG: "expected ')'" });
    const body = this.SUBRULE(this.block);
    return this.build((): Statement => {
      const span = this.over(keyword, body);
      if (end !== undefined) return { kind: 'forRange', span, variable, start, end, body };
      if (start.kind !== 'map') {
        this.report(start.span, "expected an @map or a range 'start..end' to loop over");
        return { kind: 'forRange', span, variable, start, end: start, body };
      }
      return { kind: 'forMap', span, variable, map: start, body };
    });
  });

  /** `dispatch (selector) { 59: { ... } 222, 223: { ... } }` */
  dispatchStatement = this.RULE('dispatchStatement', (): Statement => {
    const keyword = this.CONSUME(Dispatch);
    const selector = this.SUBRULE(this.condition);
    this.CONSUME(LeftBrace, { ERR_MSG: "expected '{' after the dispatch selector" });
    const cases: DispatchCase[] = [];
    this.MANY(() => cases.push(this.SUBRULE(this.dispatchCase)));
    const close = this.CONSUME(RightBrace, { ERR_MSG: "expected a case label or '}'" });
    return this.build(() => ({ kind: 'dispatch', span: this.over(keyword, close), selector, cases }));
  });

  dispatchCase = this.RULE('dispatchCase', (): DispatchCase => {
    const labels: IntegerLiteral[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => labels.push(this.integerLiteral(this.CONSUME(NumberLiteral))), ERR_MSG: 'a case label' });
    this.CONSUME(Colon, { ERR_MSG: "expected ':' after the case label" });
    const body = this.SUBRULE(this.block);
    return this.build(() => ({ kind: 'dispatchCase', span: this.over(labels[0]!, body), labels, body }));
  });
}
