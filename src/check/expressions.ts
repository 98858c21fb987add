// The expression pass of one probe: every expression's type, recorded in the probe's side table.
// Builtins and `args.x` ask the probe's context; calls go to ./calls.ts with an ExpressionTyper, so
// that the call rules can type their arguments without importing this module back.
import type { SourceSpan } from '../diagnostics/span.js';
import type { BinaryExpression, CallExpression, Expression, MapExpression, TypeExpression } from '../parser/ast.js';
import { bareCall } from '../parser/bare-call.js';
import { fieldType, unify } from '../model/type-rules.js';
import { booleanType, isScalar, s64, sameType, stringType, typeName, u64, type Type } from '../model/types.js';
import { builtinVariables } from './builtins.js';
import { callContext, checkCall, type ExpressionTyper } from './calls.js';
import { layoutConstant } from './layout-constants.js';
import type { ProbeTyping } from './probe-typing.js';
import { argumentsSpace, inSpace, probeSpace } from './address-space.js';
import { checkCastRules } from './cast-rules.js';
import { binaryOrigin } from './integer-origin.js';
import { argsRecord } from './args-record.js';
import { checkAddressOf, checkCast, checkDereference, checkFieldAccess, checkIndex, checkPointerBinary } from './memory-access.js';
import type { TracepointField } from '../model/probe.js';

export function checkExpression(typing: ProbeTyping, expression: Expression): Type {
  const type = infer(typing, expression);
  typing.types.set(expression, type);
  return type;
}

export function checkCondition(typing: ProbeTyping, expression: Expression): void {
  const type = checkExpression(typing, expression);
  if (!isScalar(type)) typing.diagnostics.error(expression.span, `a condition must be an integer or boolean, not ${typeName(type)}`);
}

/** The value of an integer literal (or its negation); types the expression either way. */
export function constantInteger(typing: ProbeTyping, expression: Expression): bigint | undefined {
  checkExpression(typing, expression);
  if (expression.kind === 'integer') return expression.value;
  if (expression.kind === 'unary' && expression.operator === '-' && expression.operand.kind === 'integer') return -expression.operand.value;
  return undefined;
}

/** The checks the call rules need from this pass. */
export function typerFor(typing: ProbeTyping): ExpressionTyper {
  return {
    expression: (expression) => checkExpression(typing, expression),
    constantInteger: (expression) => constantInteger(typing, expression),
    builtin: (name, span) => builtin(typing, name, span),
    mapKey: (map) => mapKey(typing, map),
  };
}

/** The stored type of a map's key (a tuple for several keys), or undefined for a keyless map. */
export function mapKey(typing: ProbeTyping, map: MapExpression): Type | undefined {
  if (map.keys.length === 0) return undefined;
  const types = map.keys.map((key) => checkExpression(typing, key));
  for (const [index, type] of types.entries()) {
    if (!isScalar(type) && !['string', 'tuple', 'stack', 'symbol', 'inet', 'formatted', 'record', 'array'].includes(type.kind)) {
      typing.diagnostics.error(map.keys[index]!.span, `a ${typeName(type)} cannot be a map key`);
    }
    if (type.kind === 'none') typing.diagnostics.error(map.keys[index]!.span, 'this expression has no value to use as a key');
  }
  // Keys keep their widths (a 4-byte `pid` key hashes faster than a widened 8-byte one); several keys
  // are laid out as the tuple of them, as in bpftrace.
  return types.length === 1 ? types[0]! : { kind: 'tuple', elements: types };
}

/**
 * The type a type expression names (bpftrace scalars, C and kernel types, the script's definitions);
 * its pointers read from the probe's address space until a cast says otherwise.
 */
export function typeExpression(typing: ProbeTyping, type: TypeExpression): Type {
  const resolved = typing.script.cTypes.resolve(type, typing.config.maxStringLength, (operand) => typeofOperand(typing, operand));
  if ('error' in resolved) {
    typing.diagnostics.error(type.span, resolved.error, resolved.hint);
    return s64;
  }
  return inSpace(resolved.type, probeSpace(typing.context));
}

/** `typeof(x)`: a bare name that is no builtin is a type name (`typeof(size_t)`), else the expression's type. */
function typeofOperand(typing: ProbeTyping, operand: Expression): Type {
  if (operand.kind === 'identifier' && !builtinVariables[operand.name] && !typing.script.environment.functions.get(operand.name)?.bare) {
    const named = typing.script.cTypes.byName(operand.name, typing.config.maxStringLength);
    if (named) return named;
  }
  return checkExpression(typing, operand);
}

function infer(typing: ProbeTyping, expression: Expression): Type {
  const { diagnostics } = typing;
  const expressionType = (operand: Expression) => checkExpression(typing, operand);
  switch (expression.kind) {
    case 'integer':
      return expression.value > 0x7fff_ffff_ffff_ffffn ? u64 : s64;
    case 'string':
      return stringType(Buffer.byteLength(expression.value, 'latin1') + 1);
    case 'boolean':
      return booleanType;
    case 'identifier':
      return builtin(typing, expression.name, expression.span, expression);
    case 'variable': {
      const binding = typing.lookup(expression.name, expression.span);
      if (!binding) {
        diagnostics.error(expression.span, `undefined variable: $${expression.name}`);
        return s64;
      }
      typing.bindings.set(expression, binding);
      return binding.type;
    }
    case 'map': {
      const info = typing.script.maps.get(expression.name);
      const keyType = mapKey(typing, expression);
      if (!info) {
        typing.undefinedMap(expression);
        return s64;
      }
      typing.script.checkKey(info, expression, keyType, diagnostics);
      if (info.value.kind === 'scalar') return info.value.type;
      // Per-CPU aggregations read as their combined value, summed over the CPUs as bpftrace does.
      if (info.value.kind === 'count') return u64;
      if (info.value.kind === 'sum' || info.value.kind === 'min' || info.value.kind === 'max' || info.value.kind === 'avg') {
        return info.value.signed ? s64 : u64;
      }
      diagnostics.error(expression.span, `@${info.name} holds ${info.value.kind}() values, which only print`);
      return s64;
    }
    case 'positional': {
      const value = typing.config.positional[expression.index - 1];
      if (value !== undefined && !/^-?(0x[0-9a-f]+|\d+)$/i.test(value)) return stringType(Buffer.byteLength(value) + 1);
      return s64;
    }
    case 'positionalCount':
      return s64;
    case 'call':
      return checkCall(typing, expression, typerFor(typing));
    case 'fieldAccess':
      if (expression.object.kind === 'identifier' && expression.object.name === 'args') return field(typing, expression.object, expression.field, expression.span);
      return checkFieldAccess(typing, typerFor(typing), expression);
    case 'tupleIndex': {
      const object = expressionType(expression.object);
      if (object.kind !== 'tuple') {
        diagnostics.error(expression.span, `.${expression.index} needs a tuple, not ${typeName(object)}`);
        return s64;
      }
      const element = object.elements[expression.index];
      if (!element) {
        diagnostics.error(expression.span, `tuple index ${expression.index} is out of range: the tuple has ${object.elements.length} elements`);
        return s64;
      }
      return element;
    }
    case 'unary': {
      if (expression.operator === '*') return checkDereference(typing, typerFor(typing), expression);
      if (expression.operator === '&') return checkAddressOf(typing, typerFor(typing), expression);
      const operand = expressionType(expression.operand);
      if (operand.kind === 'pointer') {
        diagnostics.error(expression.span, `The ${expression.operator} operator can not be used on expressions of type '${typeName(operand)}'`);
      }
      if (!isScalar(operand)) diagnostics.error(expression.operand.span, `'${expression.operator}' needs an integer, not ${typeName(operand)}`);
      if (expression.operator === '!') return booleanType;
      return operand.kind === 'integer' && operand.bits === 64 && !operand.signed ? u64 : s64;
    }
    case 'update': {
      const operand = expression.operand;
      if (operand.kind === 'map') {
        // A map of pointers steps by the pointee's size, and stays a map of pointers.
        const known = typing.script.maps.get(operand.name)?.value;
        const type = known?.kind === 'scalar' && known.type.kind === 'pointer' ? known.type : s64;
        typing.script.recordMap(operand, mapKey(typing, operand), { kind: 'scalar', type }, diagnostics, expression.span);
        return type;
      }
      if (operand.kind === 'variable') {
        const binding = typing.lookup(operand.name, operand.span);
        if (!binding) {
          diagnostics.error(operand.span, `$${operand.name} is used before it is assigned`);
          return s64;
        }
        typing.bindings.set(operand, binding);
        if (binding.type.kind !== 'integer' && binding.type.kind !== 'pointer') diagnostics.error(expression.span, `'${expression.operator}' needs an integer variable`);
        return binding.type;
      }
      diagnostics.error(expression.span, `'${expression.operator}' needs a variable or a map`);
      return s64;
    }
    case 'binary':
      return binary(typing, expression);
    case 'conditional': {
      checkCondition(typing, expression.condition);
      const whenTrue = expressionType(expression.whenTrue);
      const whenFalse = expressionType(expression.whenFalse);
      const joined = unify(whenTrue, whenFalse);
      if (!joined) {
        diagnostics.error(expression.span, `the branches of '?:' have different types: ${typeName(whenTrue)} and ${typeName(whenFalse)}`);
        return whenTrue;
      }
      return joined;
    }
    case 'cast': {
      const target = typeExpression(typing, expression.type);
      const operand = expressionType(expression.operand);
      checkCastRules(typing, expression, target, operand);
      const cType = checkCast(typing, expression, target, operand);
      if (cType) return cType;
      if (target.kind === 'integer' || target.kind === 'boolean') {
        if (!isScalar(operand)) diagnostics.error(expression.operand.span, `cannot cast ${typeName(operand)} to ${typeName(target)}`);
        return target;
      }
      diagnostics.error(expression.type.span, `casts to ${typeName(target)} are not supported yet`);
      return target;
    }
    case 'tuple': {
      const elements = expression.elements.map(expressionType);
      for (const [index, element] of elements.entries()) {
        if (element.kind === 'none') diagnostics.error(expression.elements[index]!.span, 'this expression has no value');
      }
      return { kind: 'tuple', elements };
    }
    case 'sizeof':
    case 'offsetof': {
      const constant = layoutConstant(expression, {
        typeOf: expressionType, maxStringLength: typing.config.maxStringLength, cTypes: typing.script.cTypes,
        isBuiltin: (name) => typing.script.environment.functions.get(name)?.bare === true,
      });
      if (constant.kind === 'error') diagnostics.error(constant.span, constant.message, constant.hint);
      else typing.constants.set(expression, constant.value);
      return u64;
    }
    case 'index':
      return checkIndex(typing, typerFor(typing), expression);
  }
}

function binary(typing: ProbeTyping, expression: BinaryExpression): Type {
  const { diagnostics } = typing;
  const left = checkExpression(typing, expression.left);
  const right = checkExpression(typing, expression.right);
  const operator = expression.operator;
  const pointerResult = operator === '&&' || operator === '||' ? undefined : checkPointerBinary(typing, expression, left, right);
  if (pointerResult) return pointerResult;
  if (operator === '&&' || operator === '||') {
    for (const [side, type] of [[expression.left, left], [expression.right, right]] as const) {
      if (!isScalar(type)) diagnostics.error(side.span, `'${operator}' needs integers or booleans, not ${typeName(type)}`);
    }
    return booleanType;
  }
  const memory = (type: Type) => type.kind === 'record' || type.kind === 'array';
  if (memory(left) || memory(right)) {
    // Structs and arrays compare byte for byte (bpftrace: memcmp), only with their own type.
    if (operator !== '==' && operator !== '!=') diagnostics.error(expression.span, `The ${operator} operator cannot be used on ${left.kind === 'array' ? 'arrays' : 'structs'}.`);
    else if (!sameType(left, right)) diagnostics.error(expression.span, `Type mismatch for '${operator}': comparing ${typeName(left)} with ${typeName(right)}`);
    return booleanType;
  }
  if (operator === '==' || operator === '!=') {
    if (left.kind === 'string' || right.kind === 'string' || left.kind === 'tuple' || right.kind === 'tuple') {
      if (left.kind !== right.kind || (left.kind === 'tuple' && !unify(left, right))) {
        diagnostics.error(expression.span, `cannot compare ${typeName(left)} with ${typeName(right)}`);
      }
      return booleanType;
    }
  }
  for (const [side, type] of [[expression.left, left], [expression.right, right]] as const) {
    if (!isScalar(type)) diagnostics.error(side.span, `'${operator}' needs integers, not ${typeName(type)}`);
  }
  if ((operator === '/' || operator === '%') && literalValue(expression.left) !== undefined && literalValue(expression.right) === 0n) {
    diagnostics.error(expression.span, `${operator === '/' ? 'division' : 'modulo'} by zero of two constants`);
  }
  if (left.kind === 'integer' && right.kind === 'integer' && binaryOrigin(typing, expression).mismatch) {
    diagnostics.warning(expression.span, 'Addrspace mismatch');
  }
  const comparison = ['==', '!=', '<', '<=', '>', '>='].includes(operator);
  if (comparison && left.kind === 'integer' && right.kind === 'integer' && left.signed !== right.signed
    && expression.left.kind !== 'integer' && expression.right.kind !== 'integer' && (left.bits === 64 || right.bits === 64)) {
    diagnostics.warning(expression.span, `comparison of integers of different signs: ${typeName(left)} and ${typeName(right)}`);
  }
  if (comparison) return booleanType;
  const unsigned = [left, right].some((type) => type.kind === 'integer' && !type.signed && type.bits === 64);
  return unsigned ? u64 : s64;
}

function builtin(typing: ProbeTyping, name: string, span: SourceSpan, expression?: Expression): Type {
  const { diagnostics, context, provider } = typing;
  const variable = builtinVariables[name];
  if (variable) {
    const verdict = provider.builtin(context, name);
    if (verdict) {
      if (!verdict.available) diagnostics.error(span, verdict.message, verdict.hint);
    } else if (variable.only && !variable.only.includes(context.kind)) {
      diagnostics.error(span, `${name} is not available in this probe`, `it exists in ${variable.only.map(describeContext).join(', ')} probes`);
    }
    const functionsByCookie = name === 'func' ? provider.functionByCookie?.(context) : undefined;
    if (functionsByCookie) return stringType(Math.max(...functionsByCookie.map((one) => one.length)) + 1);
    const functionName = name === 'func' ? provider.functionName(context) : undefined;
    if (functionName !== undefined) return stringType(functionName.length + 1);
    return variable.type;
  }
  const record = typing.script.environment.functions.get(name);
  if (record?.bare) {
    const call: CallExpression = expression?.kind === 'identifier' ? bareCall(expression) : { kind: 'call', span, name, arguments: [] };
    return record.check(callContext(typing, typerFor(typing)), call);
  }
  if (name === 'args') {
    const named = context.kind === 'tracepoint' ? provider.namedArguments(context) : undefined;
    const record = named && argsRecord(typing.attachmentName, named.fields, (field) => argumentType(typing, field, named.category));
    if (record) return record;
    diagnostics.error(span, 'args must be followed by a field, e.g. args.filename', context.kind === 'tracepoint' ? undefined : 'args as a whole value is a tracepoint\'s record');
    return s64;
  }
  const enumerator = typing.script.cTypes.enumerator(name);
  if (enumerator && enumerator.type.kind === 'integer') {
    // Enum identifiers are 64-bit values of their enum's type (bpftrace: sizeof(BTF_VAR_STATIC) is 8).
    if (expression) typing.constants.set(expression, enumerator.value);
    return { ...enumerator.type, bits: 64 };
  }
  diagnostics.error(span, `unknown identifier: ${name}`);
  return s64;
}

function field(typing: ProbeTyping, object: Expression, name: string, span: SourceSpan): Type {
  const { diagnostics, context, provider } = typing;
  if (object.kind === 'identifier' && object.name === 'args') {
    const named = provider.namedArguments(context);
    if (!named) {
      diagnostics.error(object.span, context.kind === 'rawtracepoint' ? 'rawtracepoint probes read arguments as arg0…argN' : 'args is not available in this probe');
      return s64;
    }
    const found = named.fields.find((candidate) => candidate.name === name && !candidate.common);
    if (!found) {
      const known = named.fields.filter((candidate) => !candidate.common).map((candidate) => candidate.name);
      // A function's parameters (rawtracepoint, fentry, uprobe) in bpftrace's words for them.
      const message = context.kind === 'tracepoint' ? `the tracepoint has no field '${name}'` : `Can't find function parameter ${name}`;
      diagnostics.error(span, message, known.length ? `its ${context.kind === 'tracepoint' ? 'fields' : 'arguments'}: ${known.join(', ')}` : undefined);
      return s64;
    }
    return argumentType(typing, found, named.category);
  }
  return s64;
}

/**
 * The type of `args.<field>`: integers and strings as the format file says; a pointer to what BTF
 * says it points to (by the prototype's type id, or by the type's name in the format file), reading
 * user memory for syscall tracepoints and the kernel's otherwise.
 */
function argumentType(typing: ProbeTyping, field: TracepointField, category: string): Type {
  const plain = fieldType(field, category);
  const enumField = plain.kind === 'integer' && (field.btfType !== undefined || /^enum /.test(field.type));
  if (plain.kind !== 'pointer' && !enumField) return plain;
  const kernel = typing.script.cTypes.kernel();
  const typed = field.btfType !== undefined && kernel ? kernel.typeOf(field.btfType) : typing.script.cTypes.fromCText(field.type);
  // An enum field keeps the width the record gives it, and prints its enumerators' names.
  if (plain.kind === 'integer') return typed?.kind === 'integer' && typed.enum ? { ...plain, enum: typed.enum } : plain;
  return typed?.kind === 'pointer' ? inSpace(typed, argumentsSpace(typing.context)) : plain;
}

/** An integer literal's value, or its negation's. */
function literalValue(expression: Expression): bigint | undefined {
  if (expression.kind === 'integer') return expression.value;
  if (expression.kind === 'unary' && expression.operator === '-' && expression.operand.kind === 'integer') return -expression.operand.value;
  return undefined;
}

function describeContext(kind: string): string {
  return kind === 'registers' ? 'uprobe/kprobe' : kind;
}
