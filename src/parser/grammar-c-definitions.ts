/**
 * C definitions at top level: `struct`/`union`/`enum` with C declarators (pointers, arrays of
 * arrays, bit fields, function pointers), inline member types (`struct { int x; } a;`, anonymous
 * members), and `__attribute__((…))` lists before the name, after the body and after a member. The
 * checker lays them out (src/check/script-types.ts); here they are only read.
 */
import type { IToken } from 'chevrotain';
import type {
  CAttribute, EnumDefinition, EnumValue, Expression, FieldDeclaration, RecordDefinition, RecordType, TypeExpression,
} from './ast.js';
import { warningAt } from '../diagnostics/diagnostic.js';
import { StatementGrammar } from './grammar-statements.js';
import {
  Assign, Colon, Comma, Dot, DotDot, Enum, Identifier, LeftBrace, LeftBracket, LeftParen, NumberLiteral, RightBrace,
  RightBracket, RightParen, Semicolon, Star, Struct, Union,
} from './tokens.js';

/** `[4]`, `[N * 2]` or `[]`. */
interface Length {
  readonly expression?: Expression;
  readonly close: IToken;
}

/** One C declarator: `*name[4]`, `name : 3`, `(*handler[2])(int)`. */
interface Declarator {
  readonly stars: readonly IToken[];
  readonly name?: IToken;
  readonly lengths: readonly Length[];
  readonly bitWidth?: IToken;
  readonly end?: IToken;
  /** `(*name[N])(…)`: the stars and lengths inside the parentheses of a function pointer. */
  readonly functionPointer?: { readonly stars: number; readonly lengths: readonly Length[] };
  readonly attributes: readonly CAttribute[];
}

interface RecordBody {
  readonly close: IToken;
  readonly fields: readonly FieldDeclaration[];
  readonly nested: readonly (RecordDefinition | EnumDefinition)[];
}

/** A member declaration's type part: `struct s`, `struct { … }`, `enum { … }`. */
interface TaggedType {
  readonly keyword: IToken;
  readonly name?: IToken;
  readonly body?: RecordBody | { readonly close: IToken; readonly values: readonly EnumValue[] };
  readonly attributes: readonly CAttribute[];
}

const qualifiers: ReadonlySet<string> = new Set(['const', 'volatile']);

/** C's base type words: a declaration ending in one of them names no member (`unsigned int : 3`). */
const baseTypeWords: ReadonlySet<string> = new Set(['char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', 'void', '_Bool']);

const attributeWords: ReadonlySet<string> = new Set(['__attribute__', '__attribute']);

function isEmpty(declarator: Declarator): boolean {
  return declarator.name === undefined && declarator.stars.length === 0 && declarator.lengths.length === 0
    && declarator.bitWidth === undefined && declarator.functionPointer === undefined && declarator.attributes.length === 0;
}

export abstract class CDefinitionGrammar extends StatementGrammar {
  /** `struct name { fields } __attribute__((…));` or `union …`. */
  recordDefinition = this.RULE('recordDefinition', (): RecordDefinition => {
    const keyword = this.OR([{ ALT: () => this.CONSUME(Struct) }, { ALT: () => this.CONSUME(Union) }]);
    const before = this.SUBRULE(this.attributes);
    const name = this.CONSUME(Identifier, { ERR_MSG: 'expected a name for the definition' });
    const body = this.SUBRULE(this.recordBody, { ARGS: ["expected '{' after the name"] });
    const after = this.SUBRULE2(this.attributes);
    this.OPTION(() => this.CONSUME(Semicolon));
    return this.build(() => this.recordFrom(keyword, name.image, body, [...before, ...after]));
  });

  recordBody = this.RULE('recordBody', (expectation: string): RecordBody => {
    this.CONSUME(LeftBrace, { ERR_MSG: expectation });
    const fields: FieldDeclaration[] = [];
    const nested: (RecordDefinition | EnumDefinition)[] = [];
    this.MANY({
      // A member's every part is optional (its `;` too, before `}`): only `}` ends the body.
      GATE: () => !this.nextIs(1, RightBrace),
      DEF: () => {
        const declared = this.SUBRULE(this.fieldDeclaration);
        this.ACTION(() => {
          fields.push(...(declared?.fields ?? []));
          if (declared?.nested) nested.push(declared.nested);
        });
      },
    });
    const close = this.CONSUME(RightBrace, { ERR_MSG: "expected a field or '}'" });
    return { close, fields, nested };
  });

  /** A C member declaration: `unsigned long a, *b, c[4], d : 3;`, `struct { int x; } e;` */
  fieldDeclaration = this.RULE('fieldDeclaration', (): { fields: FieldDeclaration[]; nested?: RecordDefinition | EnumDefinition } => {
    const leading: IToken[] = [];
    this.MANY({ GATE: () => qualifiers.has(this.LA(1).image), DEF: () => leading.push(this.CONSUME(Identifier)) });
    const words: IToken[] = [];
    const tagged = this.OPTION(() => this.SUBRULE(this.taggedType));
    this.MANY2({ GATE: () => tagged === undefined && !attributeWords.has(this.LA(1).image), DEF: () => words.push(this.CONSUME3(Identifier)) });
    const declarators: Declarator[] = [];
    this.MANY_SEP({ SEP: Comma, DEF: () => declarators.push(this.SUBRULE(this.declarator)) });
    const next = this.LA(1);
    const semicolon = this.OPTION2(() => this.CONSUME(Semicolon));
    this.ACTION(() => {
      if (semicolon !== undefined) return;
      // As clang: the last member's `;` may be left out, with a warning (bpftrace's own tests do).
      if (this.nextIs(1, RightBrace)) this.problems.push(warningAt(this.spanOf(next), "expected ';' at end of declaration list"));
      else this.reportExpected(next, "expected ';' after the field");
    });
    return this.build(() => this.fieldsFrom(leading, tagged, words, declarators, semicolon ?? next));
  });

  /** `struct name`, `union { … }`, `enum name { … }` as a member's type. */
  taggedType = this.RULE('taggedType', (): TaggedType => {
    const keyword = this.OR([
      { ALT: () => this.CONSUME(Struct) },
      { ALT: () => this.CONSUME(Union) },
      { ALT: () => this.CONSUME(Enum) },
    ]);
    const before = this.SUBRULE(this.attributes);
    const name = this.OPTION(() => this.CONSUME(Identifier));
    const body = this.OPTION2(() =>
      this.OR2({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { GATE: () => keyword.image === 'enum', ALT: () => this.SUBRULE(this.enumBody) },
          { ALT: () => this.SUBRULE(this.recordBody, { ARGS: ["expected '{'"] }) },
        ],
      }),
    );
    const after = this.SUBRULE2(this.attributes);
    this.ACTION(() => {
      if (name === undefined && body === undefined) this.reportExpected(this.LA(1), `expected a name or '{' after '${keyword.image}'`);
    });
    return this.build(() => ({ keyword, ...(name === undefined ? {} : { name }), ...(body === undefined ? {} : { body }), attributes: [...before, ...after] }));
  });

  declarator = this.RULE('declarator', (): Declarator => {
    const stars: IToken[] = [];
    const lengths: Length[] = [];
    let end: IToken | undefined;
    let name: IToken | undefined;
    let functionPointer: Declarator['functionPointer'];
    this.MANY(() => stars.push((end = this.CONSUME(Star))));
    this.OPTION({
      GATE: () => !attributeWords.has(this.LA(1).image),
      DEF: () => this.OR([
        { ALT: () => (name = end = this.CONSUME(Identifier)) },
        {
          ALT: () => {
            this.CONSUME(LeftParen);
            let inner = 0;
            this.AT_LEAST_ONE(() => {
              this.CONSUME2(Star);
              inner += 1;
            });
            this.OPTION2(() => (name = this.CONSUME2(Identifier)));
            const innerLengths: Length[] = [];
            this.MANY2(() => innerLengths.push(this.SUBRULE(this.cArrayLength)));
            this.CONSUME(RightParen, { ERR_MSG: "expected ')' after the function pointer's name" });
            this.CONSUME2(LeftParen, { ERR_MSG: "expected '(' and the function's parameters" });
            this.MANY3(() => this.SUBRULE(this.parameterToken));
            end = this.CONSUME2(RightParen, { ERR_MSG: "expected ')' after the function's parameters" });
            functionPointer = { stars: inner, lengths: innerLengths };
          },
        },
      ]),
    });
    this.MANY4(() => {
      const length = this.SUBRULE2(this.cArrayLength);
      lengths.push(length);
      end = length.close;
    });
    const bitWidth = this.OPTION3(() => {
      this.CONSUME(Colon);
      return (end = this.CONSUME(NumberLiteral, { ERR_MSG: 'expected the bit field width' }));
    });
    const attributes = this.SUBRULE(this.attributes);
    return {
      stars, lengths, attributes,
      ...(name === undefined ? {} : { name }), ...(bitWidth === undefined ? {} : { bitWidth }),
      ...(end === undefined ? {} : { end }), ...(functionPointer === undefined ? {} : { functionPointer }),
    };
  });

  cArrayLength = this.RULE('cArrayLength', (): Length => {
    this.CONSUME(LeftBracket);
    const expression = this.OPTION(() => this.SUBRULE(this.expression));
    const close = this.CONSUME(RightBracket, { ERR_MSG: "expected ']' after the array length" });
    return { close, ...(expression === undefined ? {} : { expression }) };
  });

  /** One token of a function pointer's parameter list: only the pointer's size matters, so they are skipped. */
  parameterToken = this.RULE('parameterToken', (): void => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(Star) },
      { ALT: () => this.CONSUME(Comma) },
      { ALT: () => this.CONSUME(Struct) },
      { ALT: () => this.CONSUME(Union) },
      { ALT: () => this.CONSUME(Enum) },
      { ALT: () => this.CONSUME(DotDot) },
      { ALT: () => this.CONSUME(Dot) },
      { ALT: () => this.CONSUME(LeftBracket) },
      { ALT: () => this.CONSUME(RightBracket) },
      { ALT: () => this.CONSUME(NumberLiteral) },
    ]);
  });

  /** Any number of `__attribute__((name, name(arguments)))` groups. */
  attributes = this.RULE('attributes', (): CAttribute[] => {
    const list: CAttribute[] = [];
    this.MANY({
      GATE: () => attributeWords.has(this.LA(1).image),
      DEF: () => {
        this.CONSUME(Identifier);
        this.CONSUME(LeftParen, { ERR_MSG: "expected '((' after __attribute__" });
        this.CONSUME2(LeftParen, { ERR_MSG: "expected '((' after __attribute__" });
        this.MANY_SEP({
          SEP: Comma,
          DEF: () => {
            const name = this.CONSUME2(Identifier, { ERR_MSG: 'expected an attribute name' });
            let close: IToken | undefined;
            const args = this.OPTION(() => {
              this.CONSUME3(LeftParen);
              const inside = this.SUBRULE(this.argumentList);
              close = this.CONSUME(RightParen, { ERR_MSG: "expected ')' after the attribute's arguments" });
              return inside;
            });
            this.ACTION(() => list.push({ kind: 'attribute', span: this.over(name, close ?? name), name: name.image, arguments: args ?? [] }));
          },
        });
        this.CONSUME2(RightParen, { ERR_MSG: "expected '))' to end the attribute list" });
        this.CONSUME3(RightParen, { ERR_MSG: "expected '))' to end the attribute list" });
      },
    });
    return list;
  });

  /** `enum name { A, B = 2, C };` (the name may be left out). */
  enumDefinition = this.RULE('enumDefinition', (): EnumDefinition => {
    const keyword = this.CONSUME(Enum);
    const name = this.OPTION(() => this.CONSUME(Identifier));
    const body = this.SUBRULE(this.enumBody);
    this.OPTION2(() => this.CONSUME(Semicolon));
    return this.build(() => ({ kind: 'enum', span: this.over(keyword, body.close), name: name?.image ?? '', values: body.values }));
  });

  enumBody = this.RULE('enumBody', (): { close: IToken; values: EnumValue[] } => {
    this.CONSUME(LeftBrace, { ERR_MSG: "expected '{' after the name" });
    const values: EnumValue[] = [];
    this.MANY(() => {
      values.push(this.SUBRULE(this.enumValue));
      const comma = this.OPTION(() => this.CONSUME(Comma));
      this.ACTION(() => {
        if (comma === undefined && !this.nextIs(1, RightBrace)) this.reportExpected(this.LA(1), "expected ',' or '}' after the enum value");
      });
    });
    const close = this.CONSUME(RightBrace, { ERR_MSG: "expected an enum value or '}'" });
    return { close, values };
  });

  enumValue = this.RULE('enumValue', (): EnumValue => {
    const name = this.CONSUME(Identifier, { ERR_MSG: 'expected an enum value name' });
    const value = this.OPTION(() => {
      this.CONSUME(Assign);
      return this.SUBRULE(this.expression);
    });
    return this.build(() =>
      value === undefined
        ? { kind: 'enumValue', span: this.spanOf(name), name: name.image }
        : { kind: 'enumValue', span: this.over(name, value), name: name.image, value },
    );
  });

  private recordFrom(keyword: IToken, name: string, body: RecordBody, attributes: readonly CAttribute[]): RecordDefinition {
    return {
      kind: 'record', span: this.over(keyword, body.close), keyword: keyword.image as 'struct' | 'union', name, fields: body.fields,
      ...(attributes.length > 0 ? { attributes } : {}), ...(body.nested.length > 0 ? { nested: body.nested } : {}),
    };
  }

  private fieldsFrom(
    leading: IToken[],
    tagged: TaggedType | undefined,
    words: IToken[],
    written: Declarator[],
    semicolon: IToken,
  ): { fields: FieldDeclaration[]; nested?: RecordDefinition | EnumDefinition } {
    const typeWords = words.filter((word) => !qualifiers.has(word.image));
    // An empty declarator is what the parser makes of `struct { … };` (nothing between type and `;`).
    if (written.length === 1 && isEmpty(written[0]!)) written = [];
    const start = leading[0] ?? tagged?.keyword ?? words[0] ?? written[0]?.stars[0] ?? written[0]?.name ?? semicolon;
    let base: TypeExpression;
    let definition: RecordDefinition | EnumDefinition | undefined;
    if (tagged !== undefined) {
      const keyword = tagged.keyword.image as 'struct' | 'union' | 'enum';
      const name = tagged.name?.image ?? '';
      const body = tagged.body;
      if (body !== undefined) {
        const span = this.over(tagged.keyword, body.close);
        definition = 'values' in body
          ? { kind: 'enum', span, name, values: body.values }
          : this.recordFrom(tagged.keyword, name, body, tagged.attributes);
      }
      const end = body?.close ?? tagged.name ?? tagged.keyword;
      base = { kind: 'recordType', span: this.over(tagged.keyword, end), keyword, name, ...(definition === undefined ? {} : { definition }) } satisfies RecordType;
      if (written.length === 0) {
        if (definition === undefined) {
          this.report(this.over(start, semicolon), 'this declaration names no member');
          return { fields: [] };
        }
        // `struct { … };` is an anonymous member; a tagged one (or an enum) only defines its type.
        if (definition.kind === 'record' && name === '') {
          return { fields: [{ kind: 'field', span: this.over(start, end), name: '', type: base }] };
        }
        return { fields: [], nested: definition };
      }
    } else if (typeWords.length > 0) {
      // `unsigned long count` arrives as three words: the last is the member's name unless it is a C
      // type word (`unsigned int : 3` names no member).
      const last = typeWords[typeWords.length - 1]!;
      const first = written[0];
      if (typeWords.length > 1 && !baseTypeWords.has(last.image) && (first === undefined || (first.name === undefined && first.stars.length === 0 && first.functionPointer === undefined))) {
        typeWords.pop();
        written = [{ ...(first ?? { stars: [], lengths: [], attributes: [] }), name: last, end: first?.end ?? last }, ...written.slice(1)];
      }
      base = { kind: 'namedType', span: this.over(typeWords[0]!, typeWords[typeWords.length - 1]!), name: typeWords.map((word) => word.image).join(' ') };
    } else {
      this.report(this.spanOf(start), 'expected a type before the field name');
      return { fields: [] };
    }
    if (written.length === 0) written = [{ stars: [], lengths: [], attributes: [] }];
    const fields = written.map((declarator): FieldDeclaration => {
      const name = declarator.name;
      const end = declarator.end ?? name ?? semicolon;
      if (name === undefined && declarator.bitWidth === undefined) this.report(this.over(start, end), 'expected a field name');
      let type: TypeExpression = base;
      for (const star of declarator.stars) type = { kind: 'pointerType', span: this.over(base, star), target: type };
      if (declarator.functionPointer !== undefined) {
        // Only the pointer's size matters to a layout: it is kept as `void *` (see NamedType).
        type = { kind: 'pointerType', span: this.over(base, end), target: { kind: 'namedType', span: this.over(base, end), name: 'void' } };
        for (let star = 1; star < declarator.functionPointer.stars; star++) type = { kind: 'pointerType', span: this.over(base, end), target: type };
        type = this.arrayOf(type, declarator.functionPointer.lengths, base, end);
      }
      type = this.arrayOf(type, declarator.lengths, base, end);
      const width = declarator.bitWidth === undefined ? undefined : this.countFrom(declarator.bitWidth);
      return {
        kind: 'field',
        span: this.over(start, end),
        name: name?.image ?? '',
        type,
        ...(width === undefined ? {} : { bitWidth: width }),
        ...(declarator.attributes.length > 0 ? { attributes: declarator.attributes } : {}),
      };
    });
    return { fields };
  }

  /** `T x[2][3]` is an array of 2 arrays of 3: the last length wraps the element first. */
  private arrayOf(element: TypeExpression, lengths: readonly Length[], base: TypeExpression, end: IToken): TypeExpression {
    let type = element;
    for (const length of [...lengths].reverse()) {
      const expression = length.expression;
      const literal = expression?.kind === 'integer' ? expression.value : undefined;
      type = {
        kind: 'arrayType', span: this.over(base, end), element: type,
        length: literal === undefined || literal > 0xffffffffn ? 0 : Number(literal),
        ...(expression === undefined || literal !== undefined ? {} : { lengthExpression: expression }),
      };
    }
    return type;
  }

  private countFrom(token: IToken): number {
    const value = this.integerLiteral(token).value;
    return value > 0xffffffffn ? 0 : Number(value);
  }
}
