/** Top-level rules: probes, definitions, config, map declarations. Runs self-analysis. */
import type { IToken } from 'chevrotain';
import type { AttachPoint, ConfigBlock, ConfigEntry, Definition, MapDeclaration, ProbeBlock, Program } from './ast.js';
import { readAttachPoint } from './attach-points.js';
import type { GrammarOptions } from './grammar-base.js';
import { CDefinitionGrammar } from './grammar-c-definitions.js';
import { readPreprocessorLine } from './preprocessor.js';
import { spliceAttachPoint } from './positional-parameters.js';
import {
  Assign, AttachPointText, Comma, Identifier, LeftBrace, LeftParen, Let, MapName, PreprocessorLine, RightBrace,
  RightParen, Semicolon, Slash, StrayAtTopLevel,
} from './tokens.js';

export class ProgramGrammar extends CDefinitionGrammar {
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
}
