// The call pass of one probe: aggregations (only as a map assignment's value), the core functions
// (printf with its format checked against the arguments, print, exit, map functions, str) and the
// function table of ./functions.ts. Arguments are typed through an ExpressionTyper.
import type { SourceSpan } from '../diagnostics/span.js';
import type { CallExpression, Expression, MapExpression } from '../parser/ast.js';
import type { MapValueKind } from '../model/artifact.js';
import { parseFormat } from '../model/format-string.js';
import { booleanType, isScalar, noneType, s64, stringType, typeName, type Type } from '../model/types.js';
import { aggregationArity, builtinVariables, functionNames } from './builtins.js';
import { checkFunction, stringFunctionNames, type FunctionContext } from './functions.js';
import type { ProbeTyping } from './probe-typing.js';

/** What the call rules need from the expression pass. */
export interface ExpressionTyper {
  expression(expression: Expression): Type;
  constantInteger(expression: Expression): bigint | undefined;
  /** A builtin variable written as a call (`pid()`). */
  builtin(name: string, span: SourceSpan): Type;
  mapKey(map: MapExpression): Type | undefined;
}

/** `@x = count()`, `hist(v, 2)`, …: the kind of values the map will hold, or undefined after a diagnostic. */
export function checkAggregation(typing: ProbeTyping, call: CallExpression, typer: ExpressionTyper): MapValueKind | undefined {
  const { diagnostics } = typing;
  const [min, max] = aggregationArity[call.name]!;
  if (call.arguments.length < min || call.arguments.length > max) {
    const expected = min === max ? `${min}` : `${min} or ${max}`;
    diagnostics.error(call.span, `${call.name}() takes ${expected} argument${max === 1 ? '' : 's'}, not ${call.arguments.length}`);
    return undefined;
  }
  const argumentTypes = call.arguments.map((argument) => typer.expression(argument));
  const first = argumentTypes[0];
  if (first && first.kind !== 'integer' && first.kind !== 'boolean') {
    diagnostics.error(call.arguments[0]!.span, `${call.name}() needs an integer, not ${typeName(first)}`);
    return undefined;
  }
  const signed = first?.kind === 'integer' ? first.signed : false;
  switch (call.name) {
    case 'count': return { kind: 'count' };
    case 'sum': return { kind: 'sum', signed };
    case 'min': case 'max': return { kind: call.name, signed };
    case 'avg': case 'stats': return { kind: call.name, signed };
    case 'hist': {
      const bits = call.arguments[1] ? typer.constantInteger(call.arguments[1]) : 0n;
      if (bits === undefined || bits < 0n || bits > 5n) {
        diagnostics.error(call.arguments[1]!.span, 'hist() precision must be a constant from 0 to 5');
        return undefined;
      }
      return { kind: 'hist', bits: Number(bits) };
    }
    case 'lhist': {
      const [minimum, maximum, step] = call.arguments.slice(1).map((argument) => typer.constantInteger(argument));
      if (minimum === undefined || maximum === undefined || step === undefined) {
        diagnostics.error(call.span, 'lhist() min, max and step must be integer constants');
        return undefined;
      }
      if (step <= 0n || maximum <= minimum || minimum < 0n) {
        diagnostics.error(call.span, 'lhist() needs 0 <= min < max and step > 0');
        return undefined;
      }
      if ((maximum - minimum) / step > 1000n) {
        diagnostics.error(call.span, 'lhist() would have more than 1000 buckets');
        return undefined;
      }
      return { kind: 'lhist', min: minimum, max: maximum, step };
    }
  }
  return undefined;
}

export function checkCall(typing: ProbeTyping, call: CallExpression, typer: ExpressionTyper): Type {
  const { diagnostics } = typing;
  if (aggregationArity[call.name]) {
    diagnostics.error(call.span, `${call.name}() must be assigned to a map, e.g. @x = ${call.name}(…)`);
    return s64;
  }
  if (builtinVariables[call.name] && call.arguments.length === 0) return typer.builtin(call.name, call.span);
  if (stringFunctionNames.has(call.name)) return checkFunction(functionContext(typing, typer), call);
  if (!functionNames.has(call.name)) {
    diagnostics.error(call.span, `unknown function: ${call.name}`);
    for (const argument of call.arguments) typer.expression(argument);
    return s64;
  }
  const argumentsOf = call.arguments;
  const arity = (min: number, max: number): boolean => {
    if (argumentsOf.length >= min && argumentsOf.length <= max) return true;
    diagnostics.error(call.span, `${call.name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${argumentsOf.length}`);
    return false;
  };
  switch (call.name) {
    case 'printf': {
      if (!arity(1, 64)) return noneType;
      const format = argumentsOf[0]!;
      const types = argumentsOf.slice(1).map((argument) => typer.expression(argument));
      if (format.kind !== 'string') {
        diagnostics.error(format.span, 'printf() needs a string literal as its format');
        return noneType;
      }
      typing.types.set(format, stringType(format.value.length + 1));
      checkFormat(typing, call, format.value, types);
      return noneType;
    }
    case 'print': {
      if (!arity(1, 3)) return noneType;
      const target = argumentsOf[0]!;
      if (target.kind === 'map' && target.keys.length === 0) {
        if (!typing.script.maps.has(target.name)) typing.undefinedMap(target);
        for (const extra of argumentsOf.slice(1)) {
          if (typer.constantInteger(extra) === undefined) diagnostics.error(extra.span, 'print() top and divisor must be integer constants');
        }
        return noneType;
      }
      if (argumentsOf.length > 1) diagnostics.error(call.span, 'print() of a value takes one argument');
      const type = typer.expression(target);
      if (type.kind === 'none') diagnostics.error(target.span, 'this expression has no value to print');
      return noneType;
    }
    case 'exit': {
      if (!arity(0, 1)) return noneType;
      if (argumentsOf[0]) {
        const type = typer.expression(argumentsOf[0]);
        if (type.kind !== 'integer') diagnostics.error(argumentsOf[0].span, `exit() takes an integer exit code, not ${typeName(type)}`);
      }
      return noneType;
    }
    case 'clear':
    case 'zero':
    case 'len': {
      if (!arity(1, 1)) return call.name === 'len' ? s64 : noneType;
      const target = argumentsOf[0]!;
      if (target.kind !== 'map' || target.keys.length > 0) {
        diagnostics.error(target.span, `${call.name}() takes a whole map, e.g. ${call.name}(@x)`);
      } else if (!typing.script.maps.has(target.name)) {
        typing.undefinedMap(target);
      }
      return call.name === 'len' ? s64 : noneType;
    }
    case 'delete':
    case 'has_key': {
      // Both say whether the element was there: delete() returns a bool as in today's bpftrace.
      if (!arity(1, 2)) return booleanType;
      const target = argumentsOf[0]!;
      if (target.kind !== 'map') {
        diagnostics.error(target.span, `${call.name}() takes a map element, e.g. ${call.name}(@x[key])`);
        return booleanType;
      }
      const info = typing.script.maps.get(target.name);
      const keyExpression: MapExpression = argumentsOf[1]
        ? { ...target, keys: argumentsOf[1].kind === 'tuple' ? argumentsOf[1].elements : [argumentsOf[1]] }
        : target;
      const keyType = typer.mapKey(keyExpression);
      if (argumentsOf[1]) typing.types.set(argumentsOf[1], keyType ?? s64);
      if (!info) typing.undefinedMap(target);
      else typing.script.checkKey(info, target, keyType, diagnostics);
      return booleanType;
    }
    case 'str': {
      const maxStringLength = typing.config.maxStringLength;
      if (!arity(1, 2)) return stringType(maxStringLength);
      const source = typer.expression(argumentsOf[0]!);
      if (source.kind !== 'integer' && source.kind !== 'pointer' && source.kind !== 'string') {
        diagnostics.error(argumentsOf[0]!.span, `str() needs a pointer or an address, not ${typeName(source)}`);
      }
      if (argumentsOf[1]) {
        const length = typer.constantInteger(argumentsOf[1]);
        if (length !== undefined) {
          if (length < 1n) diagnostics.error(argumentsOf[1].span, 'str() length must be at least 1');
          return stringType(Math.min(Number(length) + 1, maxStringLength));
        }
        typer.expression(argumentsOf[1]);
      }
      return source.kind === 'string' ? source : stringType(maxStringLength);
    }
  }
  return noneType;
}

function checkFormat(typing: ProbeTyping, call: CallExpression, format: string, types: readonly Type[]): void {
  const { diagnostics } = typing;
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

function functionContext(typing: ProbeTyping, typer: ExpressionTyper): FunctionContext {
  return {
    diagnostics: typing.diagnostics,
    config: typing.config,
    host: typing.host,
    expression: (expression) => typer.expression(expression),
    constantInteger: (expression) => typer.constantInteger(expression),
    word: (expression) => {
      if (expression.kind !== 'identifier' || builtinVariables[expression.name]) return undefined;
      typing.types.set(expression, noneType);
      return expression.name;
    },
  };
}
