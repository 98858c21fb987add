// The instruction sink for one BPF program: labels, the current source span, the stack frame and the
// register pool together, plus the one calling-convention routine every helper call goes through.
import {
  R0, R10, alu64, call, label, lddw, ldFunc, ldMapFd, ldx, mov64, register,
  type AsmItem, type HelperName, type Instruction, type Register,
} from '../bpf/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import { OUTER_FRAME_BIAS, StackFrame } from './frame.js';
import { RegisterExhaustedError, RegisterPool, type Temp } from './registers.js';

/** A helper-call argument, placed into r1–r5 by callHelper. */
export type CallArgument =
  | { readonly kind: 'temp'; readonly temp: Temp }
  | { readonly kind: 'immediate'; readonly value: number }
  | { readonly kind: 'wide'; readonly value: bigint } // a 64-bit constant (lddw)
  | { readonly kind: 'stack'; readonly offset: number } // r10 + offset
  | { readonly kind: 'map'; readonly name: string }
  | { readonly kind: 'function'; readonly label: string } // a callback, as BPF_PSEUDO_FUNC
  | { readonly kind: 'register'; readonly reg: Register } // a reserved register (context, scratch base)
  | { readonly kind: 'load'; readonly offset: number }; // the u64 at r10 + offset (a saved pointer)

export class StackOverflowError extends Error {
  constructor(readonly span: SourceSpan | undefined, readonly requested: number) {
    super('stack overflow');
  }
}

export class Emitter {
  readonly items: AsmItem[] = [];
  readonly frame = new StackFrame();
  readonly pool: RegisterPool;
  private labelCount = 0;
  private spans: SourceSpan[] = [];

  constructor(readonly labelPrefix = '') {
    this.pool = new RegisterPool((instruction) => this.emit(instruction), this.frame);
  }

  /** Scratch mode: the register holding the scratch area's address (see StackFrame). */
  scratchBase: Register | undefined;

  /** In a callback: the register holding the probe's frame pointer (see OUTER_FRAME_BIAS). */
  outerFrameBase: Register | undefined;

  emit(instruction: Instruction): void {
    const span = this.spans[this.spans.length - 1];
    for (const placed of this.rebase(instruction)) this.items.push(span && !placed.span ? { ...placed, span } : placed);
  }

  emitAll(instructions: readonly Instruction[]): void {
    for (const instruction of instructions) this.emit(instruction);
  }

  /** Runs `body` with `span` attached to every instruction it emits. */
  at<T>(span: SourceSpan | undefined, body: () => T): T {
    if (!span) return body();
    this.spans.push(span);
    try {
      return body();
    } catch (error) {
      // The innermost span is the best place to report running out of registers.
      if (error instanceof RegisterExhaustedError) error.span ??= span;
      throw error;
    } finally {
      this.spans.pop();
    }
  }

  get currentSpan(): SourceSpan | undefined {
    return this.spans[this.spans.length - 1];
  }

  newLabel(hint: string): string {
    return `${this.labelPrefix}${hint}_${this.labelCount++}`;
  }

  place(name: string): void {
    this.items.push(label(name));
  }

  /** Stack bytes for the rest of the enclosing scope; throws StackOverflowError past 512. */
  allocate(size: number, align = 8): number {
    const offset = this.frame.allocate(size, align);
    if (offset === undefined) throw new StackOverflowError(this.currentSpan, size);
    return offset;
  }

  /**
   * Calls a helper with the BPF calling convention: live temporaries leave r0–r5 first, arguments go
   * to r1–r5, and the result (r0) is adopted into a fresh temporary unless `discardResult`.
   */
  callHelper(helper: HelperName | number, args: readonly CallArgument[], discardResult = false): Temp | undefined {
    if (args.length > 5) throw new Error('BPF helpers take at most five arguments');
    this.pool.beforeCall();
    args.forEach((argument, index) => this.placeArgument(register(index + 1), argument));
    this.emit(call(helper));
    return discardResult ? undefined : this.pool.adopt(0);
  }

  /** target = the address of a frame offset: the stack, the scratch area, or the probe's frame from a callback. */
  address(target: Register, offset: number): void {
    const { base, shift } = this.baseOf(offset);
    this.emit(mov64(target, base));
    if (offset + shift !== 0) this.emit(alu64('add', target, offset + shift));
  }

  /**
   * Where a frame offset lives: non-negative ones in scratch mode in the scratch area, ones below
   * -OUTER_FRAME_BIAS in a callback in the probe's frame (shifted back by the bias), the rest on
   * this function's own stack.
   */
  private baseOf(offset: number): { readonly base: Register; readonly shift: number } {
    if (offset >= 0 && this.scratchBase) return { base: this.scratchBase, shift: 0 };
    if (offset <= -OUTER_FRAME_BIAS && this.outerFrameBase) return { base: this.outerFrameBase, shift: OUTER_FRAME_BIAS };
    return { base: R10, shift: 0 };
  }

  /**
   * An r10-relative memory access moves to the base its offset belongs to (see baseOf). An offset past
   * the 16-bit field (a scratch area over 32 KiB) moves the base register there and back around the
   * access: the base is reserved, so nothing else sees it moved.
   */
  private rebase(instruction: Instruction): readonly Instruction[] {
    const instructionClass = instruction.opcode & 0x07;
    // LDX (1) reads through src; ST (2), STX (3) write through dst.
    const throughSource = instructionClass === 1 && instruction.src === 10;
    const throughDestination = (instructionClass === 2 || instructionClass === 3) && instruction.dst === 10;
    if (!throughSource && !throughDestination) return [instruction];
    const { base, shift } = this.baseOf(instruction.offset);
    if (base.reg === 10) return [instruction];
    let offset = instruction.offset + shift;
    const moved = offset - (offset % 0x8000);
    offset -= moved;
    const placed = throughSource ? { ...instruction, src: base.reg, offset } : { ...instruction, dst: base.reg, offset };
    if (moved === 0) return [placed];
    if ((throughSource ? instruction.dst : instruction.src) === base.reg) throw new Error('internal error: a far access through the register it moves');
    return [alu64('add', base, moved), placed, alu64('sub', base, moved)];
  }

  private placeArgument(target: Register, argument: CallArgument): void {
    switch (argument.kind) {
      case 'temp': {
        const location = argument.temp.location;
        if (location.kind === 'register') this.emit(mov64(target, register(location.reg)));
        else this.emit(ldx('dw', target, R10, location.offset));
        return;
      }
      case 'immediate':
        this.emit(mov64(target, argument.value));
        return;
      case 'wide':
        // mov64 sign-extends its 32-bit immediate: only values below 2^31 fit it.
        this.emit(argument.value >= 0n && argument.value < 0x8000_0000n ? mov64(target, Number(argument.value)) : lddw(target, argument.value));
        return;
      case 'stack':
        this.address(target, argument.offset);
        return;
      case 'map':
        this.emit(ldMapFd(target, argument.name));
        return;
      case 'function':
        this.emit(ldFunc(target, argument.label));
        return;
      case 'register':
        if (argument.reg.reg !== target.reg) this.emit(mov64(target, argument.reg));
        return;
      case 'load':
        this.emit(ldx('dw', target, R10, argument.offset));
        return;
    }
  }
}

export { R0 };
