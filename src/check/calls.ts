// The call pass of one probe: aggregations (only as a map assignment's value), and every other call
// through its function record's type rule (src/functions/). Arguments are typed through an
// ExpressionTyper, so that this module does not import the expression pass back.
import type { SourceSpan } from '../diagnostics/span.js';
import type { CallExpression, Expression, MapExpression } from '../parser/ast.js';
import type { MapValueKind } from '../model/artifact.js';
import { noneType, s64, typeName, type Type } from '../model/types.js';
import { aggregationArity, builtinVariables } from './builtins.js';
import type { CallContext } from './call-rule.js';
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
  if (aggregationArity[call.name]) {
    typing.diagnostics.error(call.span, `${call.name}() must be assigned to a map, e.g. @x = ${call.name}(…)`);
    return s64;
  }
  if (builtinVariables[call.name] && call.arguments.length === 0) return typer.builtin(call.name, call.span);
  const record = typing.script.environment.functions.get(call.name);
  if (!record) {
    typing.diagnostics.error(call.span, `unknown function: ${call.name}`);
    for (const argument of call.arguments) typer.expression(argument);
    return s64;
  }
  return record.check(callContext(typing, typer), call);
}

/** What a function record's type rule sees of this pass (check/call-rule.ts). */
export function callContext(typing: ProbeTyping, typer: ExpressionTyper): CallContext {
  return {
    diagnostics: typing.diagnostics,
    config: typing.config,
    host: typing.host,
    probeName: typing.attachmentName,
    probeContext: typing.context.kind,
    cType: (name) => typing.script.cTypes.named(name),
    expression: (expression) => typer.expression(expression),
    constantInteger: (expression) => typer.constantInteger(expression),
    word: (expression) => {
      if (expression.kind !== 'identifier' || builtinVariables[expression.name] || typing.script.environment.functions.get(expression.name)?.bare) return undefined;
      typing.types.set(expression, noneType);
      return expression.name;
    },
    setType: (expression, type) => typing.types.set(expression, type),
    setConstant: (call, value) => typing.constants.set(call, value),
    maps: typing.script.maps,
    undefinedMap: (map) => typing.undefinedMap(map),
    mapKey: (map) => typer.mapKey(map),
    checkKey: (info, map, keyType) => typing.script.checkKey(info, map, keyType, typing.diagnostics),
  };
}
