// Names and types inside one probe's program: statements, expressions, scopes, builtins and the core
// functions. The whole-script state (map types, the two passes) is in checker.ts.
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { Checker } from './checker.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type {
  AssignmentStatement, BlockStatement, CallExpression, Expression, MapExpression, Statement,
  TypeExpression, VariableExpression,
} from '../parser/ast.js';
import type { MapValueKind } from '../model/artifact.js';
import { aggregationArity, builtinVariables } from './builtins.js';
import type { CallContext } from './call-rule.js';
import type { Binding } from './checked.js';
import type { ProbeContext } from '../model/probe.js';
import { layoutConstant } from './layout-constants.js';
import { builtinInContext, functionNameOf, namedArguments } from './probes.js';
import { keyStorageType, storageType, unify, fieldType } from '../model/type-rules.js';
import {
  booleanType, integer, isScalar, noneType, s64, sameType, stringType, typeName, u64, type IntegerBits, type Type,
} from '../model/types.js';

interface Scope {
  readonly variables: Map<string, Binding>;
  readonly parent?: Scope;
  /** A dispatch case: it runs as a separate program (a tail call), without the enclosing variables. */
  readonly programBoundary?: boolean;
}

/** The kernel's limit on a chain of tail calls (MAX_TAIL_CALL_CNT). */
export const MAX_TAIL_CALL_DEPTH = 33;
/** Largest dispatch index + 1: the program array's size. */
export const MAX_DISPATCH_INDEX = 1 << 16;

export class ProbeChecker {
  readonly types = new Map<Expression, Type>();
  readonly bindings = new Map<VariableExpression, Binding>();
  /** Where each variable without a declared type was first assigned: later assignments widen it there. */
  private readonly declarationSites = new Map<Binding, VariableExpression>();
  private scope: Scope = { variables: new Map() };
  private loopDepth = 0;
  /** Inside the body of a for loop over a map (a BPF callback: no tail calls from there). */
  private callbackDepth = 0;
  /** Nesting of dispatch cases: each level is one more tail call in the chain. */
  private dispatchDepth = 0;

  constructor(
    private readonly owner: Checker,
    private readonly context: ProbeContext,
    /** The attach point this program serves when it serves one (`probe`, `func` are constants then). */
    private readonly attachmentName: string,
  ) {}

  checkBody(block: BlockStatement, predicate: Expression | undefined): void {
    if (predicate) this.condition(predicate);
    this.block(block);
  }

  private get diagnostics(): DiagnosticCollector {
    return this.owner.diagnostics;
  }

  private block(block: BlockStatement): void {
    this.scope = { variables: new Map(), parent: this.scope };
    for (const statement of block.statements) this.statement(statement);
    this.scope = this.scope.parent!;
  }

  private statement(statement: Statement): void {
    switch (statement.kind) {
      case 'block': this.block(statement); return;
      case 'expression': this.expressionStatement(statement.expression); return;
      case 'assignment': this.assignment(statement); return;
      case 'let': {
        const declared = statement.type ? this.typeExpression(statement.type) : undefined;
        const valueType = statement.value ? this.expression(statement.value) : undefined;
        if (declared && valueType && !this.assignable(declared, valueType)) {
          this.diagnostics.error(statement.value!.span, `cannot initialise $${statement.variable.name} (${typeName(declared)}) with a ${typeName(valueType)}`);
        }
        if (declared) this.declare(statement.variable, declared);
        else this.declareWidening(statement.variable, valueType ? storageType(valueType) : s64);
        return;
      }
      case 'if':
        this.condition(statement.condition);
        this.block(statement.then);
        if (statement.else) this.statement(statement.else);
        return;
      case 'unroll': {
        const count = this.constantInteger(statement.count);
        if (count === undefined || count < 1n || count > 100n) this.diagnostics.error(statement.count.span, 'unroll count must be an integer constant from 1 to 100');
        this.block(statement.body);
        return;
      }
      case 'while':
        this.condition(statement.condition);
        this.loop(() => this.block(statement.body));
        return;
      case 'forRange': {
        const start = this.expression(statement.start);
        const end = this.expression(statement.end);
        for (const [expression, type] of [[statement.start, start], [statement.end, end]] as const) {
          if (type.kind !== 'integer') this.diagnostics.error(expression.span, `a range bound must be an integer, not ${typeName(type)}`);
        }
        this.scope = { variables: new Map(), parent: this.scope };
        this.declare(statement.variable, s64);
        this.loop(() => this.block(statement.body));
        this.scope = this.scope.parent!;
        return;
      }
      case 'forMap': {
        const map = this.owner.maps.get(statement.map.name);
        if (statement.map.keys.length > 0) this.diagnostics.error(statement.map.span, 'iterate over a whole map: write the map without a key');
        if (!map) {
          this.undefinedMap(statement.map);
          return;
        }
        if (map.value.kind !== 'scalar') {
          this.diagnostics.error(statement.map.span, `cannot iterate over @${map.name}: its values are ${map.value.kind}() aggregations, kept per CPU`, 'iterate over a map of plain values, e.g. @m[k] = v');
        }
        const valueType = map.value.kind === 'scalar' ? map.value.type : s64;
        this.scope = { variables: new Map(), parent: this.scope };
        this.declare(statement.variable, { kind: 'tuple', elements: [map.keyType ?? s64, valueType] });
        const outerLoops = this.loopDepth;
        this.loopDepth = 0;
        this.callbackDepth++;
        this.loop(() => this.block(statement.body));
        this.callbackDepth--;
        this.loopDepth = outerLoops;
        this.scope = this.scope.parent!;
        return;
      }
      case 'break':
      case 'continue':
        if (this.loopDepth === 0) this.diagnostics.error(statement.span, `'${statement.kind}' outside a loop`);
        return;
      case 'return':
        if (statement.value) this.diagnostics.error(statement.value.span, 'a probe returns no value: write `return;`');
        return;
      case 'dispatch':
        this.dispatch(statement);
        return;
    }
  }

  /**
   * `dispatch (selector) { 59: { … } }`: each case body becomes its own program, tail-called by index.
   * A tail call never returns, so the bodies cannot see the enclosing block's $variables (they live
   * in another program's stack): using one is a diagnostic, values travel through maps.
   */
  private dispatch(statement: Extract<Statement, { kind: 'dispatch' }>): void {
    if (this.callbackDepth > 0) {
      this.diagnostics.error(statement.span, 'dispatch cannot be used inside a for loop over a map', 'the loop body runs as a BPF callback function, and a tail call cannot be made from one');
    }
    const selector = this.expression(statement.selector);
    if (selector.kind !== 'integer' && selector.kind !== 'boolean') {
      this.diagnostics.error(statement.selector.span, `dispatch needs an integer selector, not ${typeName(selector)}`);
    }
    if (this.dispatchDepth + 1 > MAX_TAIL_CALL_DEPTH) {
      this.diagnostics.error(statement.span, `dispatch nested ${this.dispatchDepth + 1} deep: the kernel allows a chain of at most ${MAX_TAIL_CALL_DEPTH} tail calls`);
    }
    const seen = new Map<bigint, SourceSpan>();
    for (const dispatchCase of statement.cases) {
      for (const label of dispatchCase.labels) {
        this.types.set(label, s64);
        if (label.value < 0n || label.value >= BigInt(MAX_DISPATCH_INDEX)) {
          this.diagnostics.error(label.span, `a dispatch case must be an integer from 0 to ${MAX_DISPATCH_INDEX - 1}`);
        } else if (seen.has(label.value)) {
          this.diagnostics.error(label.span, `case ${label.value} appears twice in this dispatch`);
        }
        seen.set(label.value, label.span);
      }
      const outerLoops = this.loopDepth;
      this.loopDepth = 0;
      this.dispatchDepth++;
      this.scope = { variables: new Map(), parent: this.scope, programBoundary: true };
      this.block(dispatchCase.body);
      this.scope = this.scope.parent!;
      this.dispatchDepth--;
      this.loopDepth = outerLoops;
    }
  }

  private loop(body: () => void): void {
    this.loopDepth++;
    body();
    this.loopDepth--;
  }

  private expressionStatement(expression: Expression): void {
    if (expression.kind === 'call' && aggregationArity[expression.name]) {
      this.diagnostics.error(expression.span, `${expression.name}() must be assigned to a map, e.g. @x = ${expression.name}(…)`);
      return;
    }
    this.expression(expression);
  }

  private assignment(statement: AssignmentStatement): void {
    const { target, value } = statement;
    if (target.kind === 'map') {
      if (value.kind === 'call' && aggregationArity[value.name] && statement.operator === '=') {
        const kind = this.aggregation(value);
        if (kind) this.owner.recordMap(target, this.mapKey(target), kind, this.diagnostics, value.span);
        return;
      }
      const valueType = this.expression(value);
      if (statement.operator !== '=' && valueType.kind !== 'integer' && valueType.kind !== 'boolean') {
        this.diagnostics.error(value.span, `'${statement.operator}' needs an integer, not ${typeName(valueType)}`);
        return;
      }
      if (valueType.kind === 'none') {
        this.diagnostics.error(value.span, 'this expression has no value to assign');
        return;
      }
      const stored = statement.operator === '=' ? storageType(valueType) : s64;
      this.owner.recordMap(target, this.mapKey(target), { kind: 'scalar', type: stored }, this.diagnostics, value.span);
      return;
    }
    const valueType = this.expression(value);
    if (valueType.kind === 'none') {
      this.diagnostics.error(value.span, 'this expression has no value to assign');
      return;
    }
    const existing = this.lookup(target.name, target.span);
    if (!existing) {
      if (statement.operator !== '=') {
        this.diagnostics.error(target.span, `$${target.name} is used before it is assigned`);
        return;
      }
      this.declareWidening(target, storageType(valueType));
      return;
    }
    this.bindings.set(target, existing);
    const site = this.declarationSites.get(existing);
    if (statement.operator === '=' && site && !this.assignable(existing.type, valueType)) {
      // A longer string (or a tuple holding one) widens the variable for the next pass, as in bpftrace.
      const widened = unify(existing.type, storageType(valueType));
      if (widened) this.owner.widenedVariable(site, widened);
    }
    if (statement.operator !== '=' && existing.type.kind !== 'integer') {
      this.diagnostics.error(statement.span, `'${statement.operator}' needs an integer variable; $${target.name} is ${typeName(existing.type)}`);
    } else if (!this.assignable(existing.type, valueType)) {
      this.diagnostics.error(value.span, `type mismatch: $${target.name} is ${typeName(existing.type)}, this is ${typeName(valueType)}`);
    }
  }

  private aggregation(call: CallExpression): MapValueKind | undefined {
    const [min, max] = aggregationArity[call.name]!;
    if (call.arguments.length < min || call.arguments.length > max) {
      const expected = min === max ? `${min}` : `${min} or ${max}`;
      this.diagnostics.error(call.span, `${call.name}() takes ${expected} argument${max === 1 ? '' : 's'}, not ${call.arguments.length}`);
      return undefined;
    }
    const argumentTypes = call.arguments.map((argument) => this.expression(argument));
    const first = argumentTypes[0];
    if (first && first.kind !== 'integer' && first.kind !== 'boolean') {
      this.diagnostics.error(call.arguments[0]!.span, `${call.name}() needs an integer, not ${typeName(first)}`);
      return undefined;
    }
    const signed = first?.kind === 'integer' ? first.signed : false;
    switch (call.name) {
      case 'count': return { kind: 'count' };
      case 'sum': return { kind: 'sum', signed };
      case 'min': case 'max': return { kind: call.name, signed };
      case 'avg': case 'stats': return { kind: call.name, signed };
      case 'hist': {
        const bits = call.arguments[1] ? this.constantInteger(call.arguments[1]) : 0n;
        if (bits === undefined || bits < 0n || bits > 5n) {
          this.diagnostics.error(call.arguments[1]!.span, 'hist() precision must be a constant from 0 to 5');
          return undefined;
        }
        return { kind: 'hist', bits: Number(bits) };
      }
      case 'lhist': {
        const [minimum, maximum, step] = call.arguments.slice(1).map((argument) => this.constantInteger(argument));
        if (minimum === undefined || maximum === undefined || step === undefined) {
          this.diagnostics.error(call.span, 'lhist() min, max and step must be integer constants');
          return undefined;
        }
        if (step <= 0n || maximum <= minimum || minimum < 0n) {
          this.diagnostics.error(call.span, 'lhist() needs 0 <= min < max and step > 0');
          return undefined;
        }
        if ((maximum - minimum) / step > 1000n) {
          this.diagnostics.error(call.span, 'lhist() would have more than 1000 buckets');
          return undefined;
        }
        return { kind: 'lhist', min: minimum, max: maximum, step };
      }
    }
    return undefined;
  }

  private mapKey(map: MapExpression): Type | undefined {
    if (map.keys.length === 0) return undefined;
    const types = map.keys.map((key) => this.expression(key));
    for (const [index, type] of types.entries()) {
      if (!isScalar(type) && !['string', 'tuple', 'stack', 'symbol', 'inet'].includes(type.kind)) {
        this.diagnostics.error(map.keys[index]!.span, `a ${typeName(type)} cannot be a map key`);
      }
      if (type.kind === 'none') this.diagnostics.error(map.keys[index]!.span, 'this expression has no value to use as a key');
    }
    // Integer keys keep their width: a 4-byte `pid` key hashes faster than a widened 8-byte one.
    return keyStorageType(types.length === 1 ? types[0]! : { kind: 'tuple', elements: types });
  }

  condition(expression: Expression): void {
    const type = this.expression(expression);
    if (!isScalar(type)) this.diagnostics.error(expression.span, `a condition must be an integer or boolean, not ${typeName(type)}`);
  }

  expression(expression: Expression): Type {
    const type = this.infer(expression);
    this.types.set(expression, type);
    return type;
  }

  private infer(expression: Expression): Type {
    switch (expression.kind) {
      case 'integer':
        return expression.value > 0x7fff_ffff_ffff_ffffn ? u64 : s64;
      case 'string':
        return stringType(Buffer.byteLength(expression.value, 'latin1') + 1);
      case 'boolean':
        return booleanType;
      case 'identifier':
        return this.builtin(expression.name, expression.span);
      case 'variable': {
        const binding = this.lookup(expression.name, expression.span);
        if (!binding) {
          this.diagnostics.error(expression.span, `undefined variable: $${expression.name}`);
          return s64;
        }
        this.bindings.set(expression, binding);
        return binding.type;
      }
      case 'map': {
        const info = this.owner.maps.get(expression.name);
        const keyType = this.mapKey(expression);
        if (!info) {
          this.undefinedMap(expression);
          return s64;
        }
        this.owner.checkKey(info, expression, keyType, this.diagnostics);
        if (info.value.kind === 'scalar') return info.value.type;
        // Per-CPU aggregations read as their combined value, summed over the CPUs as bpftrace does.
        if (info.value.kind === 'count') return u64;
        if (info.value.kind === 'sum' || info.value.kind === 'min' || info.value.kind === 'max' || info.value.kind === 'avg') {
          return info.value.signed ? s64 : u64;
        }
        this.diagnostics.error(expression.span, `@${info.name} holds ${info.value.kind}() values, which only print`);
        return s64;
      }
      case 'positional': {
        const value = this.owner.config.positional[expression.index - 1];
        if (value !== undefined && !/^-?(0x[0-9a-f]+|\d+)$/i.test(value)) return stringType(Buffer.byteLength(value) + 1);
        return s64;
      }
      case 'positionalCount':
        return s64;
      case 'call':
        return this.call(expression);
      case 'fieldAccess':
        return this.field(expression.object, expression.field, expression.span);
      case 'tupleIndex': {
        const object = this.expression(expression.object);
        if (object.kind !== 'tuple') {
          this.diagnostics.error(expression.span, `.${expression.index} needs a tuple, not ${typeName(object)}`);
          return s64;
        }
        const element = object.elements[expression.index];
        if (!element) {
          this.diagnostics.error(expression.span, `tuple index ${expression.index} is out of range: the tuple has ${object.elements.length} elements`);
          return s64;
        }
        return element;
      }
      case 'unary': {
        const operand = this.expression(expression.operand);
        if (expression.operator === '*' || expression.operator === '&') {
          this.diagnostics.error(expression.span, `unary '${expression.operator}' is not supported yet`);
          return s64;
        }
        if (!isScalar(operand)) this.diagnostics.error(expression.operand.span, `'${expression.operator}' needs an integer, not ${typeName(operand)}`);
        if (expression.operator === '!') return booleanType;
        return operand.kind === 'integer' && operand.bits === 64 && !operand.signed ? u64 : s64;
      }
      case 'update': {
        const operand = expression.operand;
        if (operand.kind === 'map') {
          this.owner.recordMap(operand, this.mapKey(operand), { kind: 'scalar', type: s64 }, this.diagnostics, expression.span);
          return s64;
        }
        if (operand.kind === 'variable') {
          const binding = this.lookup(operand.name, operand.span);
          if (!binding) {
            this.diagnostics.error(operand.span, `$${operand.name} is used before it is assigned`);
            return s64;
          }
          this.bindings.set(operand, binding);
          if (binding.type.kind !== 'integer') this.diagnostics.error(expression.span, `'${expression.operator}' needs an integer variable`);
          return binding.type;
        }
        this.diagnostics.error(expression.span, `'${expression.operator}' needs a variable or a map`);
        return s64;
      }
      case 'binary':
        return this.binary(expression);
      case 'conditional': {
        this.condition(expression.condition);
        const whenTrue = this.expression(expression.whenTrue);
        const whenFalse = this.expression(expression.whenFalse);
        const joined = unify(whenTrue, whenFalse);
        if (!joined) {
          this.diagnostics.error(expression.span, `the branches of '?:' have different types: ${typeName(whenTrue)} and ${typeName(whenFalse)}`);
          return whenTrue;
        }
        return joined;
      }
      case 'cast': {
        const target = this.typeExpression(expression.type);
        const operand = this.expression(expression.operand);
        if (target.kind === 'integer' || target.kind === 'boolean') {
          if (!isScalar(operand)) this.diagnostics.error(expression.operand.span, `cannot cast ${typeName(operand)} to ${typeName(target)}`);
          return target;
        }
        this.diagnostics.error(expression.type.span, `casts to ${typeName(target)} are not supported yet`);
        return target;
      }
      case 'tuple': {
        const elements = expression.elements.map((element) => this.expression(element));
        for (const [index, element] of elements.entries()) {
          if (element.kind === 'none') this.diagnostics.error(expression.elements[index]!.span, 'this expression has no value');
        }
        return { kind: 'tuple', elements };
      }
      case 'sizeof':
      case 'offsetof': {
        const constant = layoutConstant(expression, { typeOf: (operand) => this.expression(operand), maxStringLength: this.owner.config.maxStringLength, isBuiltin: (name) => this.owner.functions.get(name)?.bare === true });
        if (constant.kind === 'error') this.diagnostics.error(constant.span, constant.message);
        return u64;
      }
      case 'index':
        this.diagnostics.error(expression.span, 'indexing is not supported yet');
        return s64;
    }
  }

  private binary(expression: Extract<Expression, { kind: 'binary' }>): Type {
    const left = this.expression(expression.left);
    const right = this.expression(expression.right);
    const operator = expression.operator;
    if (operator === '&&' || operator === '||') {
      for (const [side, type] of [[expression.left, left], [expression.right, right]] as const) {
        if (!isScalar(type)) this.diagnostics.error(side.span, `'${operator}' needs integers or booleans, not ${typeName(type)}`);
      }
      return booleanType;
    }
    if (operator === '==' || operator === '!=') {
      if (left.kind === 'string' || right.kind === 'string' || left.kind === 'tuple' || right.kind === 'tuple') {
        if (left.kind !== right.kind || (left.kind === 'tuple' && !unify(left, right))) {
          this.diagnostics.error(expression.span, `cannot compare ${typeName(left)} with ${typeName(right)}`);
        }
        return booleanType;
      }
    }
    for (const [side, type] of [[expression.left, left], [expression.right, right]] as const) {
      if (!isScalar(type)) this.diagnostics.error(side.span, `'${operator}' needs integers, not ${typeName(type)}`);
    }
    const comparison = ['==', '!=', '<', '<=', '>', '>='].includes(operator);
    if (comparison && left.kind === 'integer' && right.kind === 'integer' && left.signed !== right.signed
      && expression.left.kind !== 'integer' && expression.right.kind !== 'integer' && (left.bits === 64 || right.bits === 64)) {
      this.diagnostics.warning(expression.span, `comparison of integers of different signs: ${typeName(left)} and ${typeName(right)}`);
    }
    if (comparison) return booleanType;
    const unsigned = [left, right].some((type) => type.kind === 'integer' && !type.signed && type.bits === 64);
    return unsigned ? u64 : s64;
  }

  private builtin(name: string, span: SourceSpan): Type {
    const builtin = builtinVariables[name];
    if (builtin) {
      const verdict = builtinInContext(this.context, name);
      if (verdict) {
        if (!verdict.available) this.diagnostics.error(span, verdict.message, verdict.hint);
      } else if (builtin.only && !builtin.only.includes(this.context.kind)) {
        this.diagnostics.error(span, `${name} is not available in this probe`, `it exists in ${builtin.only.map(describeContext).join(', ')} probes`);
      } else if (name === 'retval' && this.context.kind === 'registers' && !this.context.isReturn) {
        this.diagnostics.error(span, 'retval is only available in uretprobe and kretprobe probes');
      }
      const argumentIndex = /^arg([0-9])$/.exec(name);
      if (argumentIndex && this.context.kind === 'rawtracepoint' && this.context.fields && !this.context.kernelFunction
        && Number(argumentIndex[1]) >= this.context.fields.length) {
        // The kernel refuses to attach a raw tracepoint program that reads past the tracepoint's arguments.
        this.diagnostics.error(span, `${name} is past this tracepoint's ${this.context.fields.length} argument${this.context.fields.length === 1 ? '' : 's'}`, `its arguments: ${this.context.fields.map((field, index) => `arg${index} (${field.name})`).join(', ')}`);
      }
      const functionName = name === 'func' ? functionNameOf(this.context) : undefined;
      if (functionName !== undefined) return stringType(functionName.length + 1);
      return builtin.type;
    }
    const record = this.owner.functions.get(name);
    if (record?.bare) return record.check(this.callContext(), { kind: 'call', span, name, arguments: [] });
    if (name === 'args') {
      this.diagnostics.error(span, 'args must be followed by a field, e.g. args.filename');
      return s64;
    }
    this.diagnostics.error(span, `unknown identifier: ${name}`);
    return s64;
  }

  private field(object: Expression, name: string, span: SourceSpan): Type {
    if (object.kind === 'identifier' && object.name === 'args') {
      const named = namedArguments(this.context);
      if (!named) {
        this.diagnostics.error(object.span, this.context.kind === 'rawtracepoint' ? 'rawtracepoint probes read arguments as arg0…argN' : 'args is not available in this probe');
        return s64;
      }
      const field = named.fields.find((candidate) => candidate.name === name && !candidate.common);
      if (!field) {
        const known = named.fields.filter((candidate) => !candidate.common).map((candidate) => candidate.name);
        const what = this.context.kind === 'tracepoint' ? 'the tracepoint has no field' : 'the probe has no argument';
        this.diagnostics.error(span, `${what} '${name}'`, known.length ? `its ${this.context.kind === 'tracepoint' ? 'fields' : 'arguments'}: ${known.join(', ')}` : undefined);
        return s64;
      }
      return fieldType(field, named.category);
    }
    const objectType = this.expression(object);
    this.diagnostics.error(span, `field access on ${typeName(objectType)} is not supported yet`);
    return s64;
  }

  private call(call: CallExpression): Type {
    if (aggregationArity[call.name]) {
      this.diagnostics.error(call.span, `${call.name}() must be assigned to a map, e.g. @x = ${call.name}(…)`);
      return s64;
    }
    if (builtinVariables[call.name] && call.arguments.length === 0) return this.builtin(call.name, call.span);
    const record = this.owner.functions.get(call.name);
    if (!record) {
      this.diagnostics.error(call.span, `unknown function: ${call.name}`);
      for (const argument of call.arguments) this.expression(argument);
      return s64;
    }
    return record.check(this.callContext(), call);
  }

  private callContext(): CallContext {
    return {
      diagnostics: this.diagnostics,
      config: this.owner.config,
      probeName: this.attachmentName,
      expression: (expression) => this.expression(expression),
      constantInteger: (expression) => this.constantInteger(expression),
      word: (expression) => {
        if (expression.kind !== 'identifier' || builtinVariables[expression.name] || this.owner.functions.get(expression.name)?.bare) return undefined;
        this.types.set(expression, noneType);
        return expression.name;
      },
      setType: (expression, type) => this.types.set(expression, type),
      maps: this.owner.maps,
      undefinedMap: (map) => this.undefinedMap(map),
      mapKey: (map) => this.mapKey(map),
      checkKey: (info, map, keyType) => this.owner.checkKey(info, map, keyType, this.diagnostics),
    };
  }

  constantInteger(expression: Expression): bigint | undefined {
    this.expression(expression);
    if (expression.kind === 'integer') return expression.value;
    if (expression.kind === 'unary' && expression.operator === '-' && expression.operand.kind === 'integer') return -expression.operand.value;
    return undefined;
  }

  typeExpression(type: TypeExpression): Type {
    switch (type.kind) {
      case 'namedType': {
        const match = /^u?int(8|16|32|64)$/.exec(type.name);
        if (match) return integer(Number(match[1]) as IntegerBits, !type.name.startsWith('u'));
        if (type.name === 'bool') return booleanType;
        if (type.name === 'string') return stringType(this.owner.config.maxStringLength);
        this.diagnostics.error(type.span, `unknown type: ${type.name}`);
        return s64;
      }
      case 'arrayType':
        if (type.element.kind === 'namedType' && type.element.name === 'string') return stringType(type.length);
        this.diagnostics.error(type.span, 'array types are not supported yet');
        return s64;
      default:
        this.diagnostics.error(type.span, 'struct and pointer types are not supported yet');
        return s64;
    }
  }

  private assignable(target: Type, value: Type): boolean {
    if (target.kind === 'integer' && (value.kind === 'integer' || value.kind === 'boolean')) return true;
    if (target.kind === 'string' && value.kind === 'string') return value.size <= target.size;
    if (target.kind === 'tuple' && value.kind === 'tuple') return sameType(target, storageType(value)) || unify(target, value) !== undefined && sameType(unify(target, value)!, target);
    return sameType(target, value);
  }

  private declare(variable: VariableExpression, type: Type): void {
    const binding: Binding = { id: this.owner.nextBindingId(), name: variable.name, type };
    this.scope.variables.set(variable.name, binding);
    this.bindings.set(variable, binding);
  }

  /** Declares a variable whose type later assignments may widen (no declared type). */
  private declareWidening(variable: VariableExpression, type: Type): void {
    this.declare(variable, this.owner.widenedVariable(variable, type));
    this.declarationSites.set(this.bindings.get(variable)!, variable);
  }

  private lookup(name: string, span?: SourceSpan): Binding | undefined {
    let crossed = false;
    for (let scope: Scope | undefined = this.scope; scope; scope = scope.parent) {
      const found = scope.variables.get(name);
      if (found) {
        if (crossed && span) {
          this.diagnostics.error(span, `$${name} is declared outside this dispatch case`, 'the case runs as a separate program (a tail call): pass values through a map');
        }
        return found;
      }
      if (scope.programBoundary) crossed = true;
    }
    return undefined;
  }

  private undefinedMap(map: MapExpression): void {
    this.diagnostics.error(map.span, `undefined map: @${map.name}`, 'a map must be assigned somewhere in the script');
  }
}


function describeContext(kind: string): string {
  return kind === 'registers' ? 'uprobe/kprobe' : kind;
}
