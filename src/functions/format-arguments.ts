// What the formatting functions share: the rule of cat(), system() and debugf() (a format literal and
// one argument per conversion), and for printf(), cat() and system() the record (the arguments, laid
// out after the action id) and its userspace half (the format parsed once, each record formatted).
import type { CallExpression } from '../parser/ast.js';
import { parseFormat } from '../model/format-string.js';
import type { ActionDescription, RecordField } from '../model/artifact.js';
import type { Type } from '../model/types.js';
import { needLiteral, type CallContext } from '../check/call-rule.js';
import { emitRecordOf, layoutOf } from '../codegen/calls.js';
import type { ExpressionLowering } from '../codegen/lower-expression.js';
import { RecordError } from '../runtime/records.js';
import { formatPrintf } from '../runtime/output/printf.js';
import type { Value } from '../runtime/output/values.js';
import { decodeValue, type Decoding } from '../runtime/value-decoder.js';

/** A formatting call's action: its format and where each argument sits in the record. */
interface FormatAction {
  readonly kind: 'printf' | 'cat' | 'system' | 'errorf' | 'warnf';
  readonly format: string;
  readonly fields: readonly RecordField[];
}

/** Sends `call`'s arguments in a record of a new `kind` action carrying the format literal (and `extra`). */
export function lowerFormatRecord(lowering: ExpressionLowering, call: CallExpression, kind: FormatAction['kind'], extra: object = {}): void {
  const args = call.arguments.slice(1);
  const fields = layoutOf(lowering, args);
  const format = (call.arguments[0] as { value: string }).value;
  const id = lowering.program.script.addAction((actionId) => ({ kind, id: actionId, format, fields: fields.fields, size: fields.size, ...extra }) as ActionDescription);
  emitRecordOf(lowering, id, args, fields);
}

/** Userspace's half: the action's format parsed once, then each record's arguments formatted. */
export function formatRecordText(action: FormatAction, decoding: Decoding): (view: DataView, offset: number) => string {
  const { format, errors } = parseFormat(action.format);
  if (errors.length > 0) throw new RecordError(`${action.kind} format ${JSON.stringify(action.format)}: ${errors[0]!.message}`);
  const fields = action.fields;
  return (view, offset) => {
    const args: Value[] = new Array(fields.length);
    for (let index = 0; index < fields.length; index++) args[index] = decodeValue(view, offset + fields[index]!.offset, fields[index]!.type, decoding);
    return formatPrintf(format, args);
  };
}

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
