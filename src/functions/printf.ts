// printf(fmt, args…): the arguments go to userspace in a ring-buffer record; the formatting happens
// there (C's printf rules, bpftrace's %s of every value).
import type { CallExpression } from '../parser/ast.js';
import type { RecordField } from '../model/artifact.js';
import { parseFormat } from '../model/format-string.js';
import { isScalar, noneType, stringType, typeName, type Type } from '../model/types.js';
import { arity, type CallContext } from '../check/call-rule.js';
import { emitRecordOf, layoutOf, noValue } from '../codegen/calls.js';
import { RecordError } from '../runtime/records.js';
import { formatPrintf } from '../runtime/output/printf.js';
import type { Value } from '../runtime/output/values.js';
import { decodeValue } from '../runtime/value-decoder.js';
import type { FunctionRecord } from './record.js';

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
    const args = call.arguments;
    const fields = layoutOf(lowering, args.slice(1));
    const id = lowering.program.script.addAction((actionId) => ({ kind: 'printf', id: actionId, format: (args[0] as { value: string }).value, fields: fields.fields, size: fields.size }));
    emitRecordOf(lowering, id, args.slice(1), fields);
    return noValue(type);
  },
  actions: {
    printf: {
      handler(action: PrintfAction, { decoding }) {
        const { format, errors } = parseFormat(action.format);
        if (errors.length > 0) throw new RecordError(`printf format ${JSON.stringify(action.format)}: ${errors[0]!.message}`);
        const fields = action.fields;
        return (view, offset): PrintfEvent => {
          const args: Value[] = new Array(fields.length);
          for (let index = 0; index < fields.length; index++) args[index] = decodeValue(view, offset + fields[index]!.offset, fields[index]!.type, decoding);
          return { kind: 'printf', text: formatPrintf(format, args) };
        };
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
