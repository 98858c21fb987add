// Positional parameters are constants of the program, substituted while parsing as bpftrace
// substitutes them: in attach points as text (`interval:ms:$1`, `BEG$1`, a whole probe `$1`), and in
// expressions as literals, so that `unroll ($1)`, `lhist(x, $1, $2, $3)` or `kaddr($1)` read them
// where a constant is required. A number keeps its base (`0775` is octal); anything else is a string;
// `str($1)` is the parameter's text as written; a missing parameter is 0 (or "" in `str()`), with a
// warning.
import { warningAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Expression, Program } from './ast.js';
import { readInteger } from './literals.js';

/** `$N` in an attach point's text, replaced by the parameter's text ('' when missing). */
export function spliceAttachPoint(raw: string, positional: readonly string[]): string {
  return raw.replace(/\$([0-9]+)/g, (_whole, index: string) => positional[Number(index) - 1] ?? '');
}

/** The program with every `$N` and `$#` in expressions replaced by a literal. */
export function substitutePositional(program: Program, positional: readonly string[]): { program: Program; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const literal = (index: number, span: SourceSpan, asText: boolean): Expression => {
    const text = positional[index - 1];
    if (text === undefined || text === '') {
      if (!asText) warnings.push(warningAt(span, `positional parameter $${index} is empty or not provided`));
      return asText ? { kind: 'string', span, value: '' } : integerLiteral(0n, '0', span);
    }
    if (asText) return { kind: 'string', span, value: text };
    return numberLiteral(text, span) ?? { kind: 'string', span, value: text };
  };
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const items = node.map(rewrite);
      return items.some((item, index) => item !== node[index]) ? items : node;
    }
    if (node === null || typeof node !== 'object' || !('kind' in node)) return node;
    const expression = node as Expression;
    if (expression.kind === 'positional') return literal(expression.index, expression.span, false);
    if (expression.kind === 'positionalCount') return integerLiteral(BigInt(positional.length), String(positional.length), expression.span);
    if (expression.kind === 'call' && expression.name === 'str' && expression.arguments[0]?.kind === 'positional') {
      const [first, ...rest] = expression.arguments;
      return { ...expression, arguments: [literal(first.index, first.span, true), ...rest.map((argument) => rewrite(argument) as Expression)] };
    }
    let changed = false;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const rewritten = key === 'span' ? value : rewrite(value);
      if (rewritten !== value) changed = true;
      copy[key] = rewritten;
    }
    return changed ? copy : node;
  };
  return { program: rewrite(program) as Program, warnings };
}

function integerLiteral(value: bigint, text: string, span: SourceSpan): Expression {
  return { kind: 'integer', span, value, text };
}

/** `123`, `0x1f`, `0775`, `1e6`, `-5`: the literal a parameter stands for, if it is a number. */
function numberLiteral(text: string, span: SourceSpan): Expression | undefined {
  const negative = text.startsWith('-');
  const reading = readInteger(negative ? text.slice(1) : text);
  if (!reading.ok) return undefined;
  const magnitude = integerLiteral(reading.value, negative ? text.slice(1) : text, span);
  return negative ? { kind: 'unary', span, operator: '-', operand: magnitude } : magnitude;
}
