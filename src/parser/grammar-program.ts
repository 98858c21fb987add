/** Top-level rules: probes, definitions, config, map declarations. Runs self-analysis. */
import type { IToken } from 'chevrotain';
import type {
  AttachPoint, ConfigBlock, ConfigEntry, Definition, EnumDefinition, EnumValue, FieldDeclaration,
  MapDeclaration, ProbeBlock, Program, RecordDefinition, TypeExpression,
} from './ast.js';
import { readAttachPoint } from './attach-points.js';
import type { GrammarOptions } from './grammar-base.js';
import { StatementGrammar } from './grammar-statements.js';
import { readPreprocessorLine } from './preprocessor.js';
import { spliceAttachPoint } from './positional-parameters.js';
import {
  Assign, AttachPointText, Colon, Comma, Enum, Identifier, LeftBrace, LeftBracket, LeftParen, Let, MapName,
  NumberLiteral, PreprocessorLine, RightBrace, RightBracket, RightParen, Semicolon, Slash, Star, StrayAtTopLevel,
  Struct, Union,
} from './tokens.js';

/** One C declarator: `*name[4]`, `name : 3`. */
interface Declarator {
  readonly stars: readonly IToken[];
  readonly name?: IToken;
  readonly lengths: readonly IToken[];
  readonly bitWidth?: IToken;
  readonly end?: IToken;
}

const qualifiers: ReadonlySet<string> = new Set(['const', 'volatile']);

export class ProgramGrammar extends StatementGrammar {
  program = this.RULE('program', (): Program => {
    const definitions: Definition[] = [];
    const configs: ConfigBlock[] = [];
    const mapDeclarations: MapDeclaration[] = [];
    const probes: ProbeBlock[] = [];
    this.MANY(() =>
      this.OR([
        { ALT: () => this.preprocessorLine(this.CONSUME(PreprocessorLine), definitions) },
        { ALT: () => definitions.push(this.SUBRULE(this.recordDefinition)) },
        { ALT: () => definitions.push(this.SUBRULE(this.enumDefinition)) },
        { GATE: () => this.LA(1).image === 'config', ALT: () => configs.push(this.SUBRULE(this.configBlock)) },
        { ALT: () => mapDeclarations.push(this.SUBRULE(this.mapDeclaration)) },
        { ALT: () => probes.push(this.SUBRULE(this.probe)) },
        { ALT: () => this.SUBRULE(this.strayAtTopLevel) },
      ]),
    );
    return this.build(() => ({
      kind: 'program',
      span: this.lines.range(0, this.lines.text.length),
      definitions,
      configs,
      mapDeclarations,
      probes,
    }));
  });

  /** A run of tokens that cannot start a top-level item (a name is one, unless it is `config`). */
  strayAtTopLevel = this.RULE('strayAtTopLevel', (): void => {
    const first = this.OR([{ ALT: () => this.CONSUME(StrayAtTopLevel) }, { ALT: () => this.CONSUME(Identifier) }]);
    this.MANY({
      GATE: () => this.LA(1).image !== 'config',
      DEF: () => this.OR2([{ ALT: () => this.CONSUME2(StrayAtTopLevel) }, { ALT: () => this.CONSUME2(Identifier) }]),
    });
    this.ACTION(() => this.reportExpected(first, 'expected a probe, a definition or a config block'));
  });

  /** `attach, attach... [/predicate/] { body }` */
  probe = this.RULE('probe', (): ProbeBlock => {
    const first = this.CONSUME(AttachPointText);
    const attachPoints: AttachPoint[] = [];
    this.readAttachPoint(first, attachPoints);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.readAttachPoint(this.CONSUME2(AttachPointText, { ERR_MSG: "expected a probe after ','" }), attachPoints);
    });
    const predicate = this.OPTION(() => {
      this.CONSUME(Slash);
      const condition = this.SUBRULE(this.expression);
      this.CONSUME2(Slash, { ERR_MSG: "expected '/' to end the predicate" });
      return condition;
    });
    const body = this.SUBRULE(this.block);
    return this.build(() => ({
      kind: 'probe',
      span: this.over(first, body),
      attachPoints,
      ...(predicate === undefined ? {} : { predicate }),
      body,
    }));
  });

  /** `config = { key = value; ... }` (the word `config` arrives as a plain name). */
  configBlock = this.RULE('configBlock', (): ConfigBlock => {
    const word = this.CONSUME(Identifier);
    this.CONSUME(Assign, { ERR_MSG: "expected '=' after 'config'" });
    this.CONSUME(LeftBrace, { ERR_MSG: "expected '{' after 'config ='" });
    const entries: ConfigEntry[] = [];
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(Semicolon) },
        {
          ALT: () => {
            entries.push(this.SUBRULE(this.configEntry));
            this.SUBRULE(this.terminator, { ARGS: ["expected ';' or '}' after the setting"] });
          },
        },
      ]),
    );
    const close = this.CONSUME(RightBrace, { ERR_MSG: "expected a setting or '}'" });
    this.OPTION(() => this.CONSUME2(Semicolon));
    return this.build(() => ({ kind: 'config', span: this.over(word, close), entries }));
  });

  configEntry = this.RULE('configEntry', (): ConfigEntry => {
    const key = this.CONSUME(Identifier, { ERR_MSG: 'expected a setting name' });
    this.CONSUME(Assign, { ERR_MSG: "expected '=' after the setting name" });
    const value = this.SUBRULE(this.expression);
    return this.build(() => ({ kind: 'configEntry', span: this.over(key, value), key: key.image, value }));
  });

  /** `let @name = type(arguments...);` */
  mapDeclaration = this.RULE('mapDeclaration', (): MapDeclaration => {
    const keyword = this.CONSUME(Let);
    const name = this.CONSUME(MapName, { ERR_MSG: "expected an @map after 'let' outside a probe" });
    this.CONSUME(Assign, { ERR_MSG: "expected '=' after the map name" });
    const mapType = this.CONSUME(Identifier, { ERR_MSG: 'expected a map type such as hash(1024)' });
    this.CONSUME(LeftParen, { ERR_MSG: "expected '(' after the map type" });
    const args = this.SUBRULE(this.argumentList);
    const close = this.CONSUME(RightParen, { ERR_MSG: "expected ',' or ')' in the argument list" });
    // Required: a probe can only be recognised after `;` or `}` at top level.
    this.CONSUME(Semicolon, { ERR_MSG: "expected ';' after the map declaration" });
    return this.build(() => ({
      kind: 'mapDeclaration',
      span: this.over(keyword, close),
      name: name.image.slice(1),
      mapType: mapType.image,
      arguments: args,
    }));
  });

  /** `struct name { fields };` or `union name { fields };` */
  recordDefinition = this.RULE('recordDefinition', (): RecordDefinition => {
    const keyword = this.OR([{ ALT: () => this.CONSUME(Struct) }, { ALT: () => this.CONSUME(Union) }]);
    const name = this.CONSUME(Identifier, { ERR_MSG: 'expected a name for the definition' });
    this.CONSUME(LeftBrace, { ERR_MSG: "expected '{' after the name" });
    const fields: FieldDeclaration[] = [];
    this.MANY(() => {
      const declared = this.SUBRULE(this.fieldDeclaration);
      this.ACTION(() => fields.push(...(declared ?? [])));
    });
    const close = this.CONSUME(RightBrace, { ERR_MSG: "expected a field or '}'" });
    this.OPTION(() => this.CONSUME(Semicolon));
    return this.build(() => ({
      kind: 'record',
      span: this.over(keyword, close),
      keyword: keyword.image as 'struct' | 'union',
      name: name.image,
      fields,
    }));
  });

  /** A C member declaration: `unsigned long a, *b, c[4], d : 3;` */
  fieldDeclaration = this.RULE('fieldDeclaration', (): FieldDeclaration[] => {
    const leading: IToken[] = [];
    this.MANY({ GATE: () => qualifiers.has(this.LA(1).image), DEF: () => leading.push(this.CONSUME(Identifier)) });
    const words: IToken[] = [];
    const record = this.OPTION(() => {
      const keyword = this.OR([
        { ALT: () => this.CONSUME(Struct) },
        { ALT: () => this.CONSUME(Union) },
        { ALT: () => this.CONSUME(Enum) },
      ]);
      const name = this.CONSUME2(Identifier, { ERR_MSG: 'expected a name after the keyword' });
      return { keyword, name };
    });
    this.MANY2({ GATE: () => record === undefined, DEF: () => words.push(this.CONSUME3(Identifier)) });
    const declarators: Declarator[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => declarators.push(this.SUBRULE(this.declarator)), ERR_MSG: 'a field name' });
    const semicolon = this.CONSUME(Semicolon, { ERR_MSG: "expected ';' after the field" });
    return this.build(() => this.fieldsFrom(leading, record, words, declarators, semicolon));
  });

  declarator = this.RULE('declarator', (): Declarator => {
    const stars: IToken[] = [];
    const lengths: IToken[] = [];
    let end: IToken | undefined;
    this.MANY(() => stars.push((end = this.CONSUME(Star))));
    const name = this.OPTION(() => (end = this.CONSUME(Identifier)));
    this.MANY2(() => {
      this.CONSUME(LeftBracket);
      lengths.push(this.CONSUME(NumberLiteral, { ERR_MSG: 'expected the array length' }));
      end = this.CONSUME(RightBracket, { ERR_MSG: "expected ']' after the array length" });
    });
    const bitWidth = this.OPTION2(() => {
      this.CONSUME(Colon);
      return (end = this.CONSUME2(NumberLiteral, { ERR_MSG: 'expected the bit field width' }));
    });
    return { stars, lengths, ...(name === undefined ? {} : { name }), ...(bitWidth === undefined ? {} : { bitWidth }), ...(end === undefined ? {} : { end }) };
  });

  /** `enum name { A, B = 2, C };` */
  enumDefinition = this.RULE('enumDefinition', (): EnumDefinition => {
    const keyword = this.CONSUME(Enum);
    const name = this.CONSUME(Identifier, { ERR_MSG: 'expected a name for the enum' });
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
    this.OPTION2(() => this.CONSUME(Semicolon));
    return this.build(() => ({ kind: 'enum', span: this.over(keyword, close), name: name.image, values }));
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

  constructor(options: GrammarOptions) {
    super(options);
    this.performSelfAnalysis();
  }

  /**
   * Reads an attach point as soon as it is consumed, so that a bad one is reported even when the
   * probe's body is broken too (`macro name(...) { }` says that macros are not supported).
   */
  private readAttachPoint(token: IToken, into: AttachPoint[]): void {
    this.ACTION(() => {
      if (token.isInsertedInRecovery) return;
      const raw = this.positional ? spliceAttachPoint(token.image, this.positional) : token.image;
      const result = readAttachPoint(raw, this.spanOf(token), this.lines, this.providers);
      if (result.ok) into.push(result.attachPoint);
      else this.leadingProblems.push(result.diagnostic);
    });
  }

  private preprocessorLine(token: IToken, definitions: Definition[]): void {
    this.ACTION(() => {
      const reading = readPreprocessorLine(token.image, this.lines.span(token.startOffset, token.image.replace(/\r?\n$/, '').length));
      if (reading.ok) definitions.push(reading.definition);
      else this.report(this.spanOf(token), reading.message);
    });
  }

  private fieldsFrom(
    leading: IToken[],
    record: { keyword: IToken; name: IToken } | undefined,
    words: IToken[],
    declarators: Declarator[],
    semicolon: IToken,
  ): FieldDeclaration[] {
    const typeWords = words.filter((word) => !qualifiers.has(word.image));
    const first = declarators[0]!;
    let firstName = first.name;
    if (record === undefined && firstName === undefined && first.stars.length === 0 && typeWords.length > 1) {
      firstName = typeWords.pop();
    }
    const start = leading[0] ?? record?.keyword ?? words[0] ?? first.stars[0] ?? firstName ?? semicolon;
    let base: TypeExpression;
    if (record !== undefined) {
      base = { kind: 'recordType', span: this.over(record.keyword, record.name), keyword: record.keyword.image as 'struct' | 'union' | 'enum', name: record.name.image };
    } else if (typeWords.length > 0) {
      base = { kind: 'namedType', span: this.over(typeWords[0]!, typeWords[typeWords.length - 1]!), name: typeWords.map((word) => word.image).join(' ') };
    } else {
      this.report(this.spanOf(start), 'expected a type before the field name');
      return [];
    }
    return declarators.map((declarator, index) => {
      const name = index === 0 ? firstName : declarator.name;
      const end = declarator.end ?? name ?? start;
      if (name === undefined) this.report(this.over(start, end), 'expected a field name');
      let type: TypeExpression = base;
      for (const star of declarator.stars) type = { kind: 'pointerType', span: this.over(base, star), target: type };
      for (const length of [...declarator.lengths].reverse()) {
        type = { kind: 'arrayType', span: this.over(base, end), element: type, length: this.countFrom(length) };
      }
      const width = declarator.bitWidth === undefined ? undefined : this.countFrom(declarator.bitWidth);
      return {
        kind: 'field',
        span: this.over(start, end),
        name: name?.image ?? '',
        type,
        ...(width === undefined ? {} : { bitWidth: width }),
      };
    });
  }

  private countFrom(token: IToken): number {
    const value = this.integerLiteral(token).value;
    return value > 0xffffffffn ? 0 : Number(value);
  }
}
