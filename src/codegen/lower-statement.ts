// Statements → instructions. Each statement's temporaries are freed when it ends; variables live in
// stack slots for their block. A statement that leaves (exit(), return, break, continue) ends its
// block's code: the verifier rejects unreachable instructions.
import { R0, R1, R2, R10, exit, jmp, ja, ldx, mov64, stx, alu64, type Register } from '../bpf/index.js';
import type { BlockStatement, Expression, ForRangeStatement, Statement, VariableExpression, WhileStatement } from '../parser/ast.js';
import type { Binding } from '../check/checked.js';
import { isScalar, sizeOf, type Type } from '../model/types.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import { sizeName } from './widths.js';
import { zeroFill } from './memory.js';
import { lowerForMap } from './map-iteration.js';
import { lowerDispatch } from './dispatch.js';
import type { ProgramContext } from './program-context.js';
import { assignMap } from './map-access.js';
import { scaleStep, stepOf } from './memory-read.js';

/** The kernel's limit on bpf_loop iterations (BPF_MAX_LOOPS); a `while` callback stops itself sooner. */
const BPF_MAX_LOOPS = 1 << 23;

interface Loop {
  readonly continueLabel: string;
  readonly breakLabel: string;
}

/** A variable's slot: an offset in the probe's frame (see ProgramContext.view). */
interface Slot {
  readonly probeOffset: number;
  readonly type: Type;
}

export class StatementLowering {
  private readonly slots = new Map<number, Slot>();
  private readonly loops: Loop[] = [];

  constructor(private readonly program: ProgramContext, readonly lowering: ExpressionLowering) {}

  /** Lowers a block; returns true when control cannot fall out of its end. */
  block(block: BlockStatement): boolean {
    const marks = this.program.markFrames();
    const declaredBefore = new Set(this.slots.keys());
    let left = false;
    for (const statement of block.statements) {
      if (this.statement(statement)) {
        left = true;
        break;
      }
    }
    this.program.releaseFrames(marks);
    // The block's variables die with its stack space: a second lowering of the same block (unroll)
    // must give them fresh slots rather than reuse offsets the frame has handed out again.
    for (const id of this.slots.keys()) if (!declaredBefore.has(id)) this.slots.delete(id);
    return left;
  }

  /** Returns true when the statement leaves (nothing after it in the block runs). */
  statement(statement: Statement): boolean {
    const e = this.program.e;
    return e.at(statement.span, () => {
      // Variables first assigned here outlive the statement's temporaries: give them a slot first.
      if (statement.kind === 'assignment' && statement.target.kind === 'variable') this.slotFor(statement.target);
      if (statement.kind === 'let') this.slotFor(statement.variable);
      const mark = e.frame.mark();
      const left = this.statementBody(statement);
      e.frame.release(mark);
      return left || this.program.takeLeft();
    });
  }

  private statementBody(statement: Statement): boolean {
    const e = this.program.e;
    switch (statement.kind) {
      case 'block':
        return this.block(statement);
      case 'expression':
        this.lowering.release(this.lowering.lower(statement.expression));
        return false;
      case 'assignment':
        if (statement.target.kind === 'map') {
          assignMap(this.lowering, statement);
          return false;
        }
        this.assignVariable(statement.target, statement.operator, statement.value);
        return false;
      case 'let':
        if (statement.value) this.assignVariable(statement.variable, '=', statement.value);
        return false;
      case 'if': {
        const otherwise = e.newLabel('else');
        const done = e.newLabel('endif');
        this.lowering.branchIfFalse(statement.condition, statement.else ? otherwise : done);
        const thenLeft = this.block(statement.then);
        if (!statement.else) {
          e.place(done);
          return false;
        }
        if (!thenLeft) e.emit(ja(done));
        e.place(otherwise);
        const elseLeft = statement.else.kind === 'block' ? this.block(statement.else) : this.statement(statement.else);
        e.place(done);
        return thenLeft && elseLeft;
      }
      case 'unroll': {
        const count = this.lowering.lower(statement.count);
        const times = count.kind === 'constant' ? Number(count.value) : 1;
        for (let index = 0; index < times; index++) {
          if (this.block(statement.body)) return true;
        }
        return false;
      }
      case 'while': {
        if (this.program.probe.facts.callbackLoops.has(statement)) {
          this.lowerCallbackLoop(statement);
          return false;
        }
        const top = e.newLabel('while');
        const done = e.newLabel('wend');
        e.place(top);
        this.lowering.branchIfFalse(statement.condition, done);
        this.loops.push({ continueLabel: top, breakLabel: done });
        if (!this.block(statement.body)) e.emit(ja(top));
        this.loops.pop();
        e.place(done);
        return false;
      }
      case 'forRange': {
        if (this.program.probe.facts.callbackLoops.has(statement)) {
          this.lowerCallbackLoop(statement);
          return false;
        }
        const slot = this.slotFor(statement.variable);
        const end = this.lowering.toTemp(this.lowering.lower(statement.end));
        const endSlot = e.allocate(8);
        e.emit(stx('dw', R10, endSlot, e.pool.read(end)));
        e.pool.release(end);
        this.lowering.storeValue(this.lowering.lower(statement.start), slot.offset, slot.type);
        const top = e.newLabel('for');
        const next = e.newLabel('fornext');
        const done = e.newLabel('forend');
        const scratch = e.pool.scratchRegister();
        e.place(top);
        e.emit(ldx('dw', scratch, R10, slot.offset));
        const limit = e.pool.scratchRegister([scratch]);
        e.emit(ldx('dw', limit, R10, endSlot));
        e.emit(jmp('sge', scratch, limit, done));
        this.loops.push({ continueLabel: next, breakLabel: done });
        this.block(statement.body);
        this.loops.pop();
        e.place(next);
        const counter = e.pool.scratchRegister();
        e.emit(ldx('dw', counter, R10, slot.offset));
        e.emit(alu64('add', counter, 1));
        e.emit(stx('dw', R10, slot.offset, counter));
        e.emit(ja(top));
        e.place(done);
        return false;
      }
      case 'forMap':
        lowerForMap(this.program, statement);
        return false;
      case 'break':
      case 'continue': {
        const loop = this.loops[this.loops.length - 1]!;
        e.emit(ja(statement.kind === 'break' ? loop.breakLabel : loop.continueLabel));
        return true;
      }
      case 'return':
        this.program.leaveProbe();
        return true;
      case 'dispatch':
        lowerDispatch(this.program, this.lowering, statement);
        return false;
    }
  }

  /** A variable's stack slot, created (zeroed) on first use; for callers outside statements. */
  declareSlot(variable: VariableExpression): { offset: number; type: Type } {
    return this.slotFor(variable);
  }

  /** Runs `body` with break/continue jumping to a callback's stop and next exits. */
  inCallbackLoop(next: string, stop: string, body: () => void): void {
    this.loops.push({ continueLabel: next, breakLabel: stop });
    body();
    this.loops.pop();
  }

  /**
   * A loop whose body branches runs as a bpf_loop callback: the verifier checks the body once
   * instead of walking every iteration's paths. The callback returns 1 to stop (condition false,
   * break, or leaving the probe) and 0 for the next iteration. A range's end is evaluated once, before
   * the loop, into the probe's frame.
   */
  private lowerCallbackLoop(statement: WhileStatement | ForRangeStatement): void {
    const program = this.program;
    const e = program.e;
    let range: { counter: Slot; end: number } | undefined;
    if (statement.kind === 'forRange') {
      const counter = this.probeSlot(statement.variable);
      const endValue = this.lowering.toTemp(this.lowering.lower(statement.end));
      const end = program.allocateInProbeFrame(8);
      e.emit(stx('dw', R10, program.view(end), e.pool.read(endValue)));
      e.pool.release(endValue);
      this.lowering.storeValue(this.lowering.lower(statement.start), program.view(counter.probeOffset), counter.type);
      range = { counter, end };
    }
    const callback = program.createCallback('loop', R2);
    callback.statements.loopCallbackBody(statement, range);
    e.callHelper('loop', [
      { kind: 'immediate', value: BPF_MAX_LOOPS },
      { kind: 'function', label: callback.entry },
      { kind: 'register', reg: program.frameRegister() },
      { kind: 'immediate', value: 0 },
    ], true);
    // r0 = the iterations run, unknown to the verifier: the code after the loop sees the variables
    // the loop changed as unknown too, not narrowed by the loop's exit condition (see forgetValues).
    this.forgetValues(statement.body, R0, range ? [range.counter] : []);
    if (program.probe.facts.leavingBodies.has(statement.body)) program.leaveIfCallbackLeft();
  }

  /** The body of a loop callback (see lowerCallbackLoop); runs in the callback's own lowering. */
  loopCallbackBody(statement: WhileStatement | ForRangeStatement, range: { counter: Slot; end: number } | undefined): void {
    const program = this.program;
    const e = program.e;
    const next = e.newLabel('next');
    const stop = e.newLabel('stop');
    // The kernel passes the iteration index (unknown to the verifier) in r1.
    this.forgetValues(statement.body, R1, range ? [range.counter] : []);
    if (range) {
      const counter = e.pool.scratchRegister();
      e.emit(ldx('dw', counter, R10, program.view(range.counter.probeOffset)));
      const end = e.pool.scratchRegister([counter]);
      e.emit(ldx('dw', end, R10, program.view(range.end)));
      e.emit(jmp('sge', counter, end, stop));
    } else {
      e.at((statement as WhileStatement).condition.span, () => this.lowering.branchIfFalse((statement as WhileStatement).condition, stop));
    }
    this.inCallbackLoop(next, stop, () => this.block(statement.body));
    e.place(next);
    if (range) {
      const counter = e.pool.scratchRegister();
      const offset = program.view(range.counter.probeOffset);
      e.emit(ldx('dw', counter, R10, offset));
      e.emit(alu64('add', counter, 1));
      e.emit(stx('dw', R10, offset, counter));
    }
    e.emit(mov64(R0, 0));
    e.emit(exit());
    e.place(stop);
    e.emit(mov64(R0, 1));
    e.emit(exit());
  }

  /**
   * The verifier checks a callback again for as long as the probe-frame state at its entry differs
   * from the states it has seen, and a variable whose known value decides a branch (`$i < 100`)
   * differs in every iteration: the walk would be as long as the unrolled loop. So each iteration
   * first adds a zero the verifier cannot see through (`(unknown - unknown) << 1`) to every integer
   * variable the body changes; their values are then unknown, the branches on them open, and the
   * state converges after an iteration or two. `unknown` holds a value the kernel passed in. The
   * caller does the same after the call, so that the code after the loop is not walked once per
   * iteration state with values it would decide branches on.
   */
  forgetValues(body: BlockStatement, unknown: Register, extra: readonly Slot[] = []): void {
    const program = this.program;
    const e = program.e;
    const offsets = new Map<number, Type>();
    for (const variable of program.probe.facts.assignedVariables.get(body) ?? []) {
      const binding = program.probe.bindings.get(variable);
      const slot = binding && this.findSlot(binding.id);
      if (slot && isScalar(slot.type)) offsets.set(slot.probeOffset, slot.type);
    }
    for (const slot of extra) offsets.set(slot.probeOffset, slot.type);
    if (offsets.size === 0) return;
    const zero = e.pool.acquire();
    const zeroRegister = e.pool.writable(zero);
    e.emit(mov64(zeroRegister, unknown));
    e.emit(alu64('sub', zeroRegister, unknown));
    // A bounded difference would widen the variables by its range in every iteration, and the
    // verifier's convergence check wants each later state inside an earlier one: shifted, the zero
    // has no bounds at all (signed or unsigned).
    e.emit(alu64('lsh', zeroRegister, 1));
    const value = e.pool.scratchRegister([zeroRegister]);
    for (const [probeOffset, type] of offsets) {
      const size = sizeName(sizeOf(type));
      const offset = program.view(probeOffset);
      e.emit(ldx(size, value, R10, offset));
      e.emit(alu64('add', value, zeroRegister));
      e.emit(stx(size, R10, offset, value));
    }
    e.pool.release(zero);
  }

  private binding(variable: VariableExpression): Binding {
    const binding = this.program.probe.bindings.get(variable);
    if (!binding) throw new Error(`internal error: $${variable.name} has no binding`);
    return binding;
  }

  /** A variable's slot here or in an enclosing function (callbacks see their callers' variables). */
  private findSlot(id: number): Slot | undefined {
    return this.slots.get(id) ?? this.program.parent?.statements.findSlot(id);
  }

  /** A variable's slot in the probe's frame, created (zeroed) on first use. */
  private probeSlot(variable: VariableExpression): Slot {
    const binding = this.binding(variable);
    let slot = this.findSlot(binding.id);
    if (!slot) {
      slot = { probeOffset: this.program.allocateInProbeFrame(sizeOf(binding.type)), type: binding.type };
      this.slots.set(binding.id, slot);
      // A variable read on a path where it was never assigned reads zero, not uninitialised stack.
      zeroFill(this.program.e, this.program.view(slot.probeOffset), sizeOf(binding.type));
    }
    return slot;
  }

  /** A variable's slot as this function's code addresses it. */
  private slotFor(variable: VariableExpression): { offset: number; type: Type } {
    const slot = this.probeSlot(variable);
    return { offset: this.program.view(slot.probeOffset), type: slot.type };
  }

  private assignVariable(variable: VariableExpression, operator: string, value: Expression): void {
    const slot = this.slotFor(variable);
    if (operator === '=') {
      this.lowering.lowerInto(value, slot.offset, slot.type);
      return;
    }
    const e = this.program.e;
    const amount = scaleStep(this.lowering, this.lowering.lower(value), slot.type);
    const current = this.lowering.loadScalarFromStack(slot.offset, slot.type) as Extract<Lowered, { kind: 'register' }>;
    const target = e.pool.writable(current.temp);
    const ops: Record<string, Parameters<typeof alu64>[0]> = { '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '%=': 'mod', '&=': 'and', '|=': 'or', '^=': 'xor', '<<=': 'lsh', '>>=': 'rsh' };
    const signed = slot.type.kind === 'integer' && slot.type.signed;
    let op = ops[operator]!;
    if (signed && op === 'div') op = 'sdiv';
    if (signed && op === 'mod') op = 'smod';
    if (signed && op === 'rsh') op = 'arsh';
    // A constant shift is taken modulo 64 (as `x << n` is); a constant 0 divisor goes through a
    // register, because the verifier rejects division by an immediate zero.
    const constant = amount.kind === 'constant'
      ? (op === 'lsh' || op === 'rsh' || op === 'arsh' ? amount.value & 63n : amount.value)
      : undefined;
    const zeroDivisor = constant === 0n && (op === 'div' || op === 'sdiv' || op === 'mod' || op === 'smod');
    if (constant !== undefined && !zeroDivisor && constant >= -0x8000_0000n && constant <= 0x7fff_ffffn) e.emit(alu64(op, target, Number(constant)));
    else {
      const temp = this.lowering.toTemp(amount);
      e.emit(alu64(op, target, e.pool.read(temp, e.pool.scratchRegister([target]))));
      e.pool.release(temp);
    }
    e.emit(stx(sizeName(sizeOf(slot.type)), R10, slot.offset, target));
    e.pool.release(current.temp);
  }

  /** Reads `$x`: a scalar loads into a register; an aggregate is used in place. */
  read(variable: VariableExpression): Lowered {
    const found = this.findSlot(this.binding(variable).id);
    if (!found) throw new Error(`internal error: $${variable.name} read before its slot exists`);
    const offset = this.program.view(found.probeOffset);
    if (isScalar(found.type)) return this.lowering.loadScalarFromStack(offset, found.type);
    return { kind: 'memory', offset, type: found.type };
  }

  /** `$x++` and friends. */
  update(variable: VariableExpression, increment: boolean, prefix: boolean): Lowered {
    const e = this.program.e;
    const slot = this.slotFor(variable);
    const old = this.lowering.loadScalarFromStack(slot.offset, slot.type) as Extract<Lowered, { kind: 'register' }>;
    const updated = e.pool.acquire();
    const target = e.pool.writable(updated);
    e.emit(mov64(target, e.pool.read(old.temp, e.pool.scratchRegister([target]))));
    e.emit(alu64(increment ? 'add' : 'sub', target, stepOf(slot.type)));
    e.emit(stx(sizeName(sizeOf(slot.type)), R10, slot.offset, target));
    if (prefix) {
      e.pool.release(old.temp);
      return { kind: 'register', temp: updated, type: slot.type };
    }
    e.pool.release(updated);
    return old;
  }
}

