/**
 * Prints a syntax tree back as canonical source (two-space indents, one statement per line). For
 * any tree the parser produced, parsing the printed text gives the same tree again (spans aside).
 */
import type {
  BlockStatement, ConfigBlock, IfStatement, MapDeclaration, ProbeBlock, Program, Statement,
} from './ast.js';
import { printExpression, printType } from './printer-expressions.js';
import { printDefinition } from './printer-definitions.js';

export { printExpression, printType, quoteString } from './printer-expressions.js';
export { printDefinition } from './printer-definitions.js';

const indentUnit = '  ';

export function printProgram(program: Program): string {
  const sections: string[] = [];
  if (program.shebang !== undefined) sections.push(program.shebang);
  if (program.definitions.length > 0) sections.push(program.definitions.map(printDefinition).join('\n'));
  for (const config of program.configs) sections.push(printConfig(config));
  if (program.mapDeclarations.length > 0) sections.push(program.mapDeclarations.map(printMapDeclaration).join('\n'));
  for (const probe of program.probes) sections.push(printProbe(probe));
  return sections.length === 0 ? '' : `${sections.join('\n\n')}\n`;
}

/** Attach points share a line when they fit, else go one per line as bpftrace's tools write them. */
const headerWidth = 100;

export function printProbe(probe: ProbeBlock): string {
  const raws = probe.attachPoints.map((point) => point.raw);
  const oneLine = raws.join(', ');
  const header = oneLine.length <= headerWidth ? oneLine : raws.join(',\n');
  const predicate = probe.predicate === undefined ? '' : ` /${printExpression(probe.predicate)}/`;
  return `${header}${predicate} ${printBlock(probe.body, '')}`;
}

function printConfig(config: ConfigBlock): string {
  const entries = config.entries.map((entry) => `${indentUnit}${entry.key} = ${printExpression(entry.value)};\n`);
  return `config = {\n${entries.join('')}}`;
}

function printMapDeclaration(declaration: MapDeclaration): string {
  const args = declaration.arguments.map((argument) => printExpression(argument)).join(', ');
  return `let @${declaration.name} = ${declaration.mapType}(${args});`;
}

/** A block whose closing brace sits at `indent`; statements go one level deeper. */
function printBlock(block: BlockStatement, indent: string): string {
  if (block.statements.length === 0) return '{}';
  const inner = indent + indentUnit;
  const lines = block.statements.map((statement) => `${inner}${printStatement(statement, inner)}\n`);
  return `{\n${lines.join('')}${indent}}`;
}

/** One statement, starting at the current position; nested lines are indented from `indent`. */
export function printStatement(statement: Statement, indent = ''): string {
  switch (statement.kind) {
    case 'expression':
      return `${printExpression(statement.expression)};`;
    case 'assignment':
      return `${printExpression(statement.target)} ${statement.operator} ${printExpression(statement.value)};`;
    case 'let': {
      const type = statement.type === undefined ? '' : `: ${printType(statement.type)}`;
      const value = statement.value === undefined ? '' : ` = ${printExpression(statement.value)}`;
      return `let $${statement.variable.name}${type}${value};`;
    }
    case 'if':
      return printIf(statement, indent);
    case 'unroll':
      return `unroll (${printExpression(statement.count)}) ${printBlock(statement.body, indent)}`;
    case 'while':
      return `while (${printExpression(statement.condition)}) ${printBlock(statement.body, indent)}`;
    case 'forMap':
      return `for ($${statement.variable.name} : ${printExpression(statement.map)}) ${printBlock(statement.body, indent)}`;
    case 'forRange': {
      const range = `${printExpression(statement.start)}..${printExpression(statement.end)}`;
      return `for ($${statement.variable.name} : ${range}) ${printBlock(statement.body, indent)}`;
    }
    case 'break':
      return 'break;';
    case 'continue':
      return 'continue;';
    case 'return':
      return statement.value === undefined ? 'return;' : `return ${printExpression(statement.value)};`;
    case 'block':
      return printBlock(statement, indent);
    case 'dispatch': {
      const inner = indent + indentUnit;
      const cases = statement.cases.map((entry) => {
        const labels = entry.labels.map((label) => label.text).join(', ');
        return `${inner}${labels}: ${printBlock(entry.body, inner)}\n`;
      });
      return `dispatch (${printExpression(statement.selector)}) {\n${cases.join('')}${indent}}`;
    }
  }
}

/** An `else if` chain is walked in a loop, as the parser reads it, so any length prints. */
function printIf(statement: IfStatement, indent: string): string {
  let text = '';
  for (let branch: IfStatement | undefined = statement; branch !== undefined; ) {
    text += `if (${printExpression(branch.condition)}) ${printBlock(branch.then, indent)}`;
    const otherwise: BlockStatement | IfStatement | undefined = branch.else;
    if (otherwise === undefined) break;
    text += ' else ';
    if (otherwise.kind === 'if') branch = otherwise;
    else {
      text += printBlock(otherwise, indent);
      branch = undefined;
    }
  }
  return text;
}
