// printf(fmt, args…): the arguments go to userspace in a ring-buffer record; the formatting happens
// there (C's printf rules, bpftrace's %s of every value).
import type { CallExpression } from '../parser/ast.js';
import type { RecordField } from '../model/artifact.js';
import { parseFormat } from '../model/format-string.js';
import { isScalar, noneType, stringType, typeName, type Type } from '../model/types.js';
import { arity, type CallContext } from '../check/call-rule.js';
import { noValue } from '../codegen/calls.js';
import type { FunctionRecord } from './record.js';
import { formatRecordText, lowerFormatRecord } from './format-arguments.js';

type PrintfAction = { readonly kind: 'printf'; readonly id: number; readonly format: string; readonly fields: readonly RecordField[]; readonly size: number };
type PrintfEvent = { readonly kind: 'printf'; readonly text: string };

declare module '../model/artifact.js' {
  interface ActionDescriptions { printf: PrintfAction }
}
declare module '../runtime/records.js' {
  interface FunctionEvents { printf: PrintfEvent }
}

export const printf: FunctionRecord = {
  name: 'printf',
  check(context, call) {
    if (!arity(context, call, 1, 64)) return noneType;
    const format = call.arguments[0]!;
    const types = call.arguments.slice(1).map((argument) => context.expression(argument));
    if (format.kind !== 'string') {
      context.diagnostics.error(format.span, 'printf() needs a string literal as its format');
      return noneType;
    }
    context.setType(format, stringType(format.value.length + 1));
    checkFormat(context, call, format.value, types);
    return noneType;
  },
  lower(lowering, call, type) {
    lowerFormatRecord(lowering, call, 'printf');
    return noValue(type);
  },
  actions: {
    printf: {
      handler(action: PrintfAction, { decoding }) {
        const text = formatRecordText(action, decoding);
        return (view, offset): PrintfEvent => ({ kind: 'printf', text: text(view, offset) });
      },
      print: (event: PrintfEvent, format) => format.printf(event.text),
    },
  },
};

function checkFormat(context: CallContext, call: CallExpression, format: string, types: readonly Type[]): void {
  const { diagnostics } = context;
  const formatArgument = call.arguments[0]!;
  const { format: parsed, errors } = parseFormat(format);
  for (const error of errors) {
    diagnostics.error(formatArgument.span, `printf: ${error.message}`);
  }
  if (errors.length) return;
  if (parsed.conversions.length !== types.length) {
    diagnostics.error(call.span, `printf: the format has ${parsed.conversions.length} conversion${parsed.conversions.length === 1 ? '' : 's'} but ${types.length} argument${types.length === 1 ? ' is' : 's are'} given`);
    return;
  }
  parsed.conversions.forEach((conversion, index) => {
    const type = types[index]!;
    const span = call.arguments[index + 1]!.span;
    if (type.kind === 'none') diagnostics.error(span, 'printf: this argument has no value');
    else if (conversion.argumentClass === 'integer' && !isScalar(type)) {
      diagnostics.error(span, `printf: %${conversion.specifier} needs an integer, but this is ${typeName(type)}`);
    } else if (conversion.argumentClass === 'buffer' && type.kind !== 'buffer') {
      diagnostics.error(span, `printf: %${conversion.specifier} needs a buffer from buf(), but this is ${typeName(type)}`);
    }
  });
}
