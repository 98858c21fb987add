// The BPF stack frame of one program: 512 bytes below r10, handed out in LIFO scopes so that
// statement temporaries and block-scoped variables reuse space. Overflow is reported by the
// caller at the span that asked for the bytes (see Emitter.allocate).
export const STACK_LIMIT = 512;

export interface StackMark {
  readonly depth: number;
}

export class StackFrame {
  private depth = 0;
  private deepest = 0;

  /** Reserves `size` bytes aligned to `align` (≤ 8); returns the offset from r10 (negative), or undefined past the limit. */
  allocate(size: number, align = 8): number | undefined {
    const alignment = Math.min(8, Math.max(1, align));
    const next = Math.ceil((this.depth + size) / alignment) * alignment;
    if (next > STACK_LIMIT) return undefined;
    this.depth = next;
    this.deepest = Math.max(this.deepest, next);
    return -next;
  }

  /** Would `size` more bytes fit? */
  fits(size: number): boolean {
    return Math.ceil((this.depth + size) / 8) * 8 <= STACK_LIMIT;
  }

  mark(): StackMark {
    return { depth: this.depth };
  }

  /** Frees everything allocated since `mark` (LIFO). */
  release(mark: StackMark): void {
    this.depth = mark.depth;
  }

  get maxDepth(): number {
    return this.deepest;
  }
}
