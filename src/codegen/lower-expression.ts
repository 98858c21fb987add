// Expressions → instructions. A scalar lowers to a constant or a temporary register; a string, tuple
// or other aggregate lowers into stack memory. `lowerInto` writes a value straight into the memory
// where it is wanted (a map key, a record field), so `@[comm]` fetches comm into the key itself.
import {
  R0, R10, alu32, alu64, jmp, ja, ldx, mov64, st, stx, type JumpCondition,
} from '../bpf/index.js';
import type { Expression, MapExpression } from '../parser/ast.js';
import { fieldType } from '../model/type-rules.js';
import { isScalar, sizeOf, tupleLayout, type Type } from '../model/types.js';
import { lowerCall, lowerCallInto, emitRecordOf, idOnly } from './calls.js';
import type { Emitter } from './emitter.js';
import { copyToStack, loadConstant, storeBytes, zeroFill } from './memory.js';
import type { ProgramContext } from './program-context.js';
import type { Temp } from './registers.js';
import { readMap } from './map-access.js';
import { compareMemory, copyFromContext, readDataLoc } from './strings.js';
import { argsRecordBase } from '../check/args-record.js';
import { fitsImmediate, signExtend, sizeName } from './widths.js';
import { lowerProviderBuiltin } from './builtins.js';
import { aluFor, divideByZeroMessage, fold } from './arithmetic.js';
import { lowerAddressOf, lowerMemoryRead, lowerMemoryReadInto, lowerPointerArithmetic } from './memory-read.js';
import { isAddress, lowerCast } from './casts.js';
import { bareCall } from '../parser/bare-call.js';

export type Lowered =
  | { readonly kind: 'constant'; readonly value: bigint; readonly type: Type }
  | { readonly kind: 'register'; readonly temp: Temp; readonly type: Type }
  | { readonly kind: 'memory'; readonly offset: number; readonly type: Type };

export class ExpressionLowering {
  constructor(readonly e: Emitter, readonly program: ProgramContext) {}

  typeOf(expression: Expression): Type {
    const type = this.program.probe.types.get(expression);
    if (!type) throw new Error(`internal error: no type for ${expression.kind} at ${expression.span.line}:${expression.span.column}`);
    return type;
  }

  /** Lowers an expression to a value; scalars to constants or registers, aggregates to stack memory. */
  lower(expression: Expression): Lowered {
    return this.e.at(expression.span, () => this.lowerAt(expression));
  }

  /** A register holding a scalar value (constants are loaded into a fresh temporary). */
  scalar(expression: Expression): Temp {
    return this.toTemp(this.lower(expression));
  }

  toTemp(value: Lowered): Temp {
    if (value.kind === 'register') return value.temp;
    const temp = this.e.pool.acquire();
    const target = this.e.pool.writable(temp);
    if (value.kind === 'constant') loadConstant(this.e, target, value.value);
    else this.e.emit(ldx(sizeName(sizeOf(value.type)), target, R10, value.offset));
    return temp;
  }

  release(value: Lowered): void {
    if (value.kind === 'register') this.e.pool.release(value.temp);
  }

  /** Writes `expression`, converted to `type`, into the stack at `offset` (all `sizeOf(type)` bytes). */
  lowerInto(expression: Expression, offset: number, type: Type): void {
    this.e.at(expression.span, () => {
      if (type.kind === 'string' && this.lowerStringInto(expression, offset, type.size)) return;
      if (lowerMemoryReadInto(this, expression, offset, type)) return;
      if (type.kind === 'tuple' && expression.kind === 'tuple') {
        const layout = tupleLayout(type.elements);
        zeroFill(this.e, offset, layout.size);
        expression.elements.forEach((element, index) => this.lowerInto(element, offset + layout.offsets[index]!, type.elements[index]!));
        return;
      }
      this.storeValue(this.lower(expression), offset, type);
    });
  }

  /** Stores an already-lowered value at `offset` as `type` (integers widened, strings padded). */
  storeValue(value: Lowered, offset: number, type: Type): void {
    if (isScalar(type)) {
      const size = sizeOf(type);
      if (value.kind === 'constant' && size === 8) {
        loadConstant(this.e, R0, value.value);
        this.e.emit(stx('dw', R10, offset, R0));
        return;
      }
      const temp = this.toTemp(value);
      this.e.emit(stx(sizeName(size), R10, offset, this.e.pool.read(temp)));
      this.e.pool.release(temp);
      return;
    }
    if (value.kind !== 'memory') throw new Error(`internal error: ${type.kind} value is not in memory`);
    const sourceSize = sizeOf(value.type);
    const targetSize = sizeOf(type);
    if (value.type.kind === 'tuple' && type.kind === 'tuple') {
      // Element-wise, since element widths may differ (u32 in a value, u64 in the stored tuple).
      if (sameBytes(value.type, type)) {
        copyToStack(this.e, R10, value.offset, offset, targetSize, R0);
        return;
      }
      const from = tupleLayout(value.type.elements);
      const to = tupleLayout(type.elements);
      zeroFill(this.e, offset, to.size);
      type.elements.forEach((element, index) => {
        const sourceType = (value.type as { elements: readonly Type[] }).elements[index]!;
        const source: Lowered = isScalar(sourceType)
          ? this.loadScalarFromStack(value.offset + from.offsets[index]!, sourceType)
          : { kind: 'memory', offset: value.offset + from.offsets[index]!, type: sourceType };
        this.storeValue(source, offset + to.offsets[index]!, element);
      });
      return;
    }
    if (value.offset === offset && sourceSize === targetSize) return;
    copyToStack(this.e, R10, value.offset, offset, Math.min(sourceSize, targetSize), R0);
    if (targetSize > sourceSize) zeroFill(this.e, offset + sourceSize, targetSize - sourceSize);
  }

  loadScalarFromStack(offset: number, type: Type): Lowered {
    const temp = this.e.pool.acquire();
    const target = this.e.pool.writable(temp);
    const size = sizeOf(type);
    this.e.emit(ldx(sizeName(size), target, R10, offset));
    if (type.kind === 'integer' && type.signed && size < 8) signExtend(this.e, target, size * 8);
    return { kind: 'register', temp, type };
  }

  private lowerStringInto(expression: Expression, offset: number, size: number): boolean {
    if (expression.kind === 'string') {
      storeBytes(this.e, offset, Buffer.from(expression.value, 'latin1'), size, R0);
      return true;
    }
    if ((expression.kind === 'call' || expression.kind === 'identifier') && lowerCallInto(this, expression, offset, size)) return true;
    if (expression.kind === 'fieldAccess' && this.isArgs(expression.object)) {
      const field = this.program.field(expression.field);
      if (field.isDataLoc) {
        readDataLoc(this, field.offset, offset, size);
        return true;
      }
    }
    return false;
  }

  private lowerAt(expression: Expression): Lowered {
    const type = this.typeOf(expression);
    switch (expression.kind) {
      case 'integer':
        return { kind: 'constant', value: expression.value, type };
      case 'boolean':
        return { kind: 'constant', value: expression.value ? 1n : 0n, type };
      case 'string':
      case 'tuple':
        return this.intoTemporary(expression, type);
      case 'call':
        if (this.program.isBuiltinCall(expression)) return lowerProviderBuiltin(this, expression.name, type);
        return lowerCall(this, expression, type);
      case 'identifier': {
        // An enumerator or another constant: its value was found while checking.
        const constant = this.program.probe.facts.constants.get(expression);
        if (constant !== undefined) return { kind: 'constant', value: constant, type };
        if (this.program.script.functions.get(expression.name)?.bare) {
          return lowerCall(this, bareCall(expression), type);
        }
        const context = this.program.probe.context;
        if (expression.name === 'args' && type.kind === 'record' && context.kind === 'tracepoint') {
          // The tracepoint's record, as bytes copied from the context.
          const offset = this.e.allocate(sizeOf(type));
          copyFromContext(this, argsRecordBase(context.fields), offset, sizeOf(type));
          return { kind: 'memory', offset, type };
        }
        return lowerProviderBuiltin(this, expression.name, type);
      }
      case 'variable':
        return this.program.variables.read(this, expression);
      case 'map':
        return readMap(this, expression as MapExpression, type);
      case 'positional': {
        const text = this.program.config.positional[expression.index - 1];
        if (type.kind === 'string') return this.intoTemporary({ kind: 'string', span: expression.span, value: text ?? '' }, type);
        return { kind: 'constant', value: text === undefined || text === '' ? 0n : BigInt(text), type };
      }
      case 'positionalCount':
        return { kind: 'constant', value: BigInt(this.program.config.positional.length), type };
      case 'fieldAccess':
        if (this.isArgs(expression.object)) return this.tracepointField(expression.field, type);
        return lowerMemoryRead(this, expression, type);
      case 'tupleIndex': {
        const object = this.lower(expression.object);
        if (object.kind !== 'memory' || object.type.kind !== 'tuple') throw new Error('internal error: tuple is not in memory');
        const layout = tupleLayout(object.type.elements);
        const at = object.offset + layout.offsets[expression.index]!;
        return isScalar(type) ? this.loadScalarFromStack(at, type) : { kind: 'memory', offset: at, type };
      }
      case 'unary':
        if (expression.operator === '*') return lowerMemoryRead(this, expression, type);
        if (expression.operator === '&') return lowerAddressOf(this, expression, type);
        return this.unary(expression.operator, expression.operand, type);
      case 'update':
        return this.program.updates.lower(this, expression);
      case 'binary':
        if (['==', '!=', '<', '<=', '>', '>=', '&&', '||'].includes(expression.operator)) return this.booleanValue(expression, type);
        return this.arithmetic(expression.operator, expression.left, expression.right, type);
      case 'conditional': {
        const otherwise = this.e.newLabel('else');
        const done = this.e.newLabel('endif');
        if (type.kind === 'none') {
          // `c ? printf(…) : exit()` as a statement: an if/else with nothing to keep.
          const pinned = this.e.pool.freeze();
          this.branchIfFalse(expression.condition, otherwise);
          this.release(this.lower(expression.whenTrue));
          this.e.emit(ja(done));
          this.e.place(otherwise);
          this.release(this.lower(expression.whenFalse));
          this.e.place(done);
          this.e.pool.thaw(pinned);
          return { kind: 'constant', value: 0n, type };
        }
        if (isScalar(type)) {
          // Both branches write the result to a stack slot: a register for it would stay pinned
          // through the branches, and nested conditionals then ran out of registers.
          const slot = this.e.allocate(8);
          const pinned = this.e.pool.freeze();
          this.branchIfFalse(expression.condition, otherwise);
          this.storeValue(this.lower(expression.whenTrue), slot, wholeRegister);
          this.e.emit(ja(done));
          this.e.place(otherwise);
          this.storeValue(this.lower(expression.whenFalse), slot, wholeRegister);
          this.e.place(done);
          this.e.pool.thaw(pinned);
          return { ...this.loadScalarFromStack(slot, wholeRegister), type };
        }
        const offset = this.e.allocate(sizeOf(type));
        const frozen = this.e.pool.freeze();
        this.branchIfFalse(expression.condition, otherwise);
        this.lowerInto(expression.whenTrue, offset, type);
        this.e.emit(ja(done));
        this.e.place(otherwise);
        this.lowerInto(expression.whenFalse, offset, type);
        this.e.place(done);
        this.e.pool.thaw(frozen);
        return { kind: 'memory', offset, type };
      }
      case 'cast':
        return lowerCast(this, this.lower(expression.operand), type);
      case 'sizeof':
      case 'offsetof': {
        // The checker measured it (and reported what it could not).
        const value = this.program.probe.facts.constants.get(expression);
        if (value === undefined) throw new Error(`internal error: ${expression.kind} was not measured`);
        return { kind: 'constant', value, type };
      }
      case 'index':
        return lowerMemoryRead(this, expression, type);
    }
  }

  private intoTemporary(expression: Expression, type: Type): Lowered {
    const offset = this.e.allocate(sizeOf(type));
    this.lowerInto(expression, offset, type);
    return { kind: 'memory', offset, type };
  }

  isArgs(expression: Expression): boolean {
    return expression.kind === 'identifier' && expression.name === 'args';
  }

  private tracepointField(name: string, type: Type): Lowered {
    const field = this.program.field(name);
    if (type.kind === 'string' || type.kind === 'array') {
      const size = sizeOf(type);
      const offset = this.e.allocate(size);
      if (field.isDataLoc) readDataLoc(this, field.offset, offset, size);
      else copyFromContext(this, field.offset, offset, size);
      return { kind: 'memory', offset, type };
    }
    const temp = this.e.pool.acquire();
    const target = this.e.pool.writable(temp);
    const size = Math.min(field.size, 8);
    this.program.loadFromContext(sizeName(size), target, field.offset);
    const fieldAsType = fieldType(field, 'x');
    if (fieldAsType.kind === 'integer' && fieldAsType.signed && size < 8) signExtend(this.e, target, size * 8);
    return { kind: 'register', temp, type };
  }

  private unary(operator: string, operand: Expression, type: Type): Lowered {
    const value = this.lower(operand);
    if (value.kind === 'constant') {
      if (operator === '!') return { kind: 'constant', value: value.value === 0n ? 1n : 0n, type };
      if (operator === '-') return { kind: 'constant', value: BigInt.asIntN(64, -value.value), type };
      if (operator === '~') return { kind: 'constant', value: BigInt.asIntN(64, ~value.value), type };
    }
    const temp = this.ownTemp(value);
    const target = this.e.pool.writable(temp);
    if (operator === '-') this.e.emit(alu64('neg', target));
    else if (operator === '~') this.e.emit(alu64('xor', target, -1));
    else if (operator === '!') {
      // Without a branch, so the verifier keeps one state: (x | -x) has its top bit set exactly when
      // x != 0. (Two states per `!` after a search that already queues many could pass its budget.)
      const scratch = this.e.pool.scratchRegister([target]);
      this.e.emit(mov64(scratch, target));
      this.e.emit(alu64('neg', scratch));
      this.e.emit(alu64('or', scratch, target));
      this.e.emit(alu64('rsh', scratch, 63));
      this.e.emit(alu64('xor', scratch, 1));
      this.e.emit(mov64(target, scratch));
    }
    return { kind: 'register', temp, type };
  }

  /** A temporary the caller may overwrite: a register value it already owns, or a fresh copy. */
  ownTemp(value: Lowered): Temp {
    return this.toTemp(value);
  }

  private arithmetic(operator: string, leftExpression: Expression, rightExpression: Expression, type: Type): Lowered {
    if (type.kind === 'pointer' && (operator === '+' || operator === '-')) return lowerPointerArithmetic(this, leftExpression, rightExpression, operator, type);
    const left = this.lower(leftExpression);
    const right = this.lower(rightExpression);
    const signed = type.kind === 'integer' && type.signed;
    if (left.kind === 'constant' && right.kind === 'constant') {
      const folded = fold(operator, left.value, right.value, signed);
      if (folded !== undefined) return { kind: 'constant', value: folded, type };
    }
    const temp = this.ownTemp(left);
    const target = this.e.pool.writable(temp);
    const op = aluFor(operator, signed);
    const division = op === 'div' || op === 'sdiv' || op === 'mod' || op === 'smod';
    if (division && !(right.kind === 'constant' && BigInt.asUintN(64, right.value) !== 0n)) {
      return this.checkedDivision(temp, op, right, type);
    }
    if (right.kind === 'constant' && fitsImmediate(right.value)) {
      // A constant shift of 64 or more is rejected by the verifier; shift by its low six bits, as
      // the constant folder (and the JITs, for a register amount) do.
      const amount = op === 'lsh' || op === 'rsh' || op === 'arsh' ? right.value & 63n : right.value;
      if (op === 'sub' && isAddress(this, leftExpression) && fitsImmediate(-amount)) {
        // An address minus a constant is an add: the verifier refuses any subtraction from a stack pointer.
        this.e.emit(alu64('add', target, Number(BigInt.asIntN(64, -amount))));
        return { kind: 'register', temp, type };
      }
      this.e.emit(alu64(op, target, Number(BigInt.asIntN(64, amount))));
    } else {
      const rightTemp = this.toTemp(right);
      this.e.emit(alu64(op, target, this.e.pool.read(rightTemp, this.e.pool.scratchRegister([target]))));
      this.e.pool.release(rightTemp);
    }
    return { kind: 'register', temp, type };
  }

  /**
   * A division or modulo by a value that may be zero: as in bpftrace, the result is then 1 and a
   * warning naming the expression goes to userspace (BPF itself would give 0, or the dividend).
   */
  private checkedDivision(temp: Temp, op: Parameters<typeof alu64>[0], right: Lowered, type: Type): Lowered {
    const e = this.e;
    const span = e.currentSpan;
    const id = this.program.script.addAction((actionId) => ({ kind: 'runtime-error', id: actionId, size: idOnly.size, message: divideByZeroMessage, span: span! }));
    const rightTemp = this.toTemp(right);
    const pinned = e.pool.freeze();
    const divide = e.newLabel('divide');
    const done = e.newLabel('divided');
    e.emit(jmp('ne', e.pool.read(rightTemp, e.pool.scratchRegister([e.pool.writable(temp)])), 0, divide));
    emitRecordOf(this, id, [], idOnly);
    e.emit(mov64(e.pool.writable(temp), 1));
    e.emit(ja(done));
    e.place(divide);
    const target = e.pool.writable(temp);
    e.emit(alu64(op, target, e.pool.read(rightTemp, e.pool.scratchRegister([target]))));
    e.place(done);
    e.pool.thaw(pinned);
    e.pool.release(rightTemp);
    return { kind: 'register', temp, type };
  }

  /** 1 or 0, through a stack slot for the same reason as a conditional's result. */
  private booleanValue(expression: Expression, type: Type): Lowered {
    const slot = this.e.allocate(8);
    const pinned = this.e.pool.freeze();
    const isFalse = this.e.newLabel('false');
    const done = this.e.newLabel('booldone');
    this.branchIfFalse(expression, isFalse);
    this.e.emit(st('dw', R10, slot, 1));
    this.e.emit(ja(done));
    this.e.place(isFalse);
    this.e.emit(st('dw', R10, slot, 0));
    this.e.place(done);
    this.e.pool.thaw(pinned);
    return { ...this.loadScalarFromStack(slot, wholeRegister), type };
  }

  /** Jumps to `target` when `expression` is false (zero); falls through when true. */
  branchIfFalse(expression: Expression, target: string): void {
    this.e.at(expression.span, () => {
      if (expression.kind === 'binary') {
        const { operator } = expression;
        if (operator === '&&') {
          this.branchIfFalse(expression.left, target);
          this.branchIfFalse(expression.right, target);
          return;
        }
        if (operator === '||') {
          const isTrue = this.e.newLabel('or');
          const pinned = this.e.pool.freeze();
          this.branchIfTrue(expression.left, isTrue);
          this.branchIfFalse(expression.right, target);
          this.e.place(isTrue);
          this.e.pool.thaw(pinned);
          return;
        }
        const inverse = comparisonJump(operator, true, this.comparisonSigned(expression.left, expression.right));
        if (inverse) {
          const leftType = this.typeOf(expression.left);
          if (leftType.kind === 'string' || leftType.kind === 'tuple' || leftType.kind === 'record' || leftType.kind === 'array') {
            compareMemory(this, expression.left, expression.right, operator === '!=' ? target : undefined, operator === '==' ? target : undefined);
            return;
          }
          this.compareAndJump(expression.left, expression.right, inverse, target);
          return;
        }
      }
      if (expression.kind === 'unary' && expression.operator === '!') {
        this.branchIfTrue(expression.operand, target);
        return;
      }
      const value = this.lower(expression);
      if (value.kind === 'constant') {
        if (value.value === 0n) this.e.emit(ja(target));
        return;
      }
      const temp = this.toTemp(value);
      this.e.emit(jmp('eq', this.e.pool.read(temp), 0, target));
      this.e.pool.release(temp);
    });
  }

  /** Jumps to `target` when `expression` is true. */
  branchIfTrue(expression: Expression, target: string): void {
    const skip = this.e.newLabel('skip');
    const pinned = this.e.pool.freeze();
    this.branchIfFalse(expression, skip);
    this.e.emit(ja(target));
    this.e.place(skip);
    this.e.pool.thaw(pinned);
  }

  private comparisonSigned(left: Expression, right: Expression): boolean {
    const a = this.typeOf(left);
    const b = this.typeOf(right);
    const signedOf = (type: Type, expression: Expression) => type.kind === 'integer' && (type.signed || (expression.kind === 'integer'));
    return signedOf(a, left) && signedOf(b, right);
  }

  private compareAndJump(leftExpression: Expression, rightExpression: Expression, condition: JumpCondition, target: string): void {
    const left = this.lower(leftExpression);
    const right = this.lower(rightExpression);
    const leftTemp = this.toTemp(left);
    const leftRegister = this.e.pool.read(leftTemp);
    if (right.kind === 'constant' && fitsImmediate(right.value)) {
      this.e.emit(jmp(condition, leftRegister, Number(BigInt.asIntN(64, right.value)), target));
    } else {
      const rightTemp = this.toTemp(right);
      const leftReg = this.e.pool.read(leftTemp);
      this.e.emit(jmp(condition, leftReg, this.e.pool.read(rightTemp, this.e.pool.scratchRegister([leftReg])), target));
      this.e.pool.release(rightTemp);
    }
    this.e.pool.release(leftTemp);
  }
}

/** Whether a value of type `a` is, byte for byte, the same value as type `b` (no element to widen). */
function sameBytes(a: Type, b: Type): boolean {
  if (a.kind === 'tuple' && b.kind === 'tuple') return a.elements.length === b.elements.length && a.elements.every((element, index) => sameBytes(element, b.elements[index]!));
  return a.kind === b.kind && sizeOf(a) === sizeOf(b);
}

/** A scalar as the 8 bytes of the register holding it. */
const wholeRegister: Type = { kind: 'integer', bits: 64, signed: false };

/** The jump that is taken when `operator` holds (or, with `inverse`, when it does not). */
function comparisonJump(operator: string, inverse: boolean, signed: boolean): JumpCondition | undefined {
  const table: Record<string, [JumpCondition, JumpCondition]> = {
    '==': ['eq', 'ne'],
    '!=': ['ne', 'eq'],
    '<': signed ? ['slt', 'sge'] : ['lt', 'ge'],
    '<=': signed ? ['sle', 'sgt'] : ['le', 'gt'],
    '>': signed ? ['sgt', 'sle'] : ['gt', 'le'],
    '>=': signed ? ['sge', 'slt'] : ['ge', 'lt'],
  };
  const entry = table[operator];
  return entry ? entry[inverse ? 1 : 0] : undefined;
}

export { alu32 };
