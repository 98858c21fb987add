// The BPF stack frame of one program: 512 bytes below r10, handed out in LIFO scopes so that
// statement temporaries and block-scoped variables reuse space. Overflow is reported by the
// caller at the span that asked for the bytes (see Emitter.allocate).
export const STACK_LIMIT = 512;

export interface StackMark {
  readonly depth: number;
  readonly scratchDepth?: number;
}

/** Largest per-CPU array value (the kernel's PCPU_MIN_UNIT_SIZE): the scratch area as a per-CPU map. */
export const PER_CPU_SCRATCH_LIMIT = 32 * 1024;

/**
 * Largest scratch area kept as one CPU's value of a plain array (one value per CPU): big strings, as
 * with max_strlen = 9999, need more than a per-CPU value holds. Memory is this times the CPUs.
 */
export const CPU_INDEXED_SCRATCH_LIMIT = 1024 * 1024;

/**
 * Largest single value: values are also read through map key and value pointers, and a load's offset
 * from such a pointer is 16 bits (only frame offsets are moved past that, see Emitter).
 */
const LARGEST_VALUE = 32 * 1024;

/**
 * Callbacks (loop bodies, for-map bodies) keep their variables in the probe's frame, reached through a
 * register holding the probe's frame pointer. They address such a slot at its probe offset minus this
 * bias; the emitter rebases r10 accesses below -OUTER_FRAME_BIAS onto that register (see Emitter).
 */
export const OUTER_FRAME_BIAS = 4096;

/** Objects at least this large go to the scratch area when a program runs in scratch mode. */
export const SCRATCH_THRESHOLD = 16;

export class StackFrame {
  private depth = 0;
  private deepest = 0;
  /**
   * Scratch mode: large objects live in a per-CPU map value instead of the stack. Their offsets are
   * non-negative (the stack's are negative); the emitter rebases such r10 accesses onto the scratch
   * pointer register.
   */
  private scratch: { depth: number; deepest: number; readonly limit: number } | undefined;

  enableScratch(limit: number): void {
    this.scratch = { depth: 0, deepest: 0, limit };
  }

  /**
   * A callback's frame takes its large objects from the probe's scratch area, above what the probe
   * holds while the callback is lowered (the callback runs inside that statement).
   */
  shareScratch(probe: StackFrame): void {
    this.scratch = probe.scratch;
  }

  get usesScratch(): boolean {
    return this.scratch !== undefined;
  }

  /** Bytes of the scratch area used at the deepest point. */
  get scratchBytes(): number {
    return this.scratch?.deepest ?? 0;
  }

  /** Reserves `size` bytes aligned to `align` (≤ 8); returns the offset from r10 (negative), or undefined past the limit. */
  allocate(size: number, align = 8): number | undefined {
    const alignment = Math.min(8, Math.max(1, align));
    if (this.scratch && size >= SCRATCH_THRESHOLD) {
      if (size > LARGEST_VALUE) return undefined;
      const start = Math.ceil(this.scratch.depth / 8) * 8;
      if (start + size > this.scratch.limit) return undefined;
      this.scratch.depth = start + size;
      this.scratch.deepest = Math.max(this.scratch.deepest, this.scratch.depth);
      return start;
    }
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
    return this.scratch ? { depth: this.depth, scratchDepth: this.scratch.depth } : { depth: this.depth };
  }

  /** Frees everything allocated since `mark` (LIFO). */
  release(mark: StackMark): void {
    this.depth = mark.depth;
    if (this.scratch && mark.scratchDepth !== undefined) this.scratch.depth = mark.scratchDepth;
  }

  get maxDepth(): number {
    return this.deepest;
  }
}
