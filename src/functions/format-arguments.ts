// The rule cat(), system() and debugf() share: a format literal and one argument per conversion.
import type { CallExpression } from '../parser/ast.js';
import { parseFormat } from '../model/format-string.js';
import type { Type } from '../model/types.js';
import { needLiteral, type CallContext } from '../check/call-rule.js';

/** Checks the format and types the arguments after it; undefined when the format is not a literal. */
export function checkFormatArguments(context: CallContext, call: CallExpression): readonly Type[] | undefined {
  const format = needLiteral(context, call, 0);
  const argumentTypes = call.arguments.slice(1).map((argument) => context.expression(argument));
  if (format === undefined) return undefined;
  const { format: parsed, errors } = parseFormat(format);
  for (const error of errors) context.diagnostics.error(call.arguments[0]!.span, `${call.name}: ${error.message}`);
  if (!errors.length && parsed.conversions.length !== argumentTypes.length) {
    context.diagnostics.error(call.span, `${call.name}: the format has ${parsed.conversions.length} conversions but ${argumentTypes.length} arguments are given`);
  }
  return argumentTypes;
}
