// Register allocation done while lowering, one expression at a time. Temporaries live in r1–r9 (r0
// is the scratch and call-result register). Helper calls clobber r0–r5, so before a call every live
// temporary there moves to a free callee-saved register (r6–r9) or is spilled to the stack; when
// registers run out, the oldest unfrozen temporary is spilled. Values in branches stay put: freeze()
// pins every live temporary's location until the branches merge.
import { R0, R10, ldx, mov64, register, stx, type Instruction, type Register } from '../bpf/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { StackFrame } from './frame.js';

export type TempLocation =
  | { readonly kind: 'register'; readonly reg: number }
  | { readonly kind: 'spilled'; readonly offset: number };

export class Temp {
  location: TempLocation;
  frozen = 0;
  released = false;
  /** False until first written: moving or spilling an empty temporary copies nothing (the verifier rejects reading a register no one wrote). */
  hasValue = false;
  constructor(location: TempLocation, readonly id: number) {
    this.location = location;
  }
}

export class RegisterExhaustedError extends Error {
  /** The innermost source span being lowered when registers ran out (set by Emitter.at). */
  span: SourceSpan | undefined;
}

const CALLER_SAVED = [1, 2, 3, 4, 5];
const CALLEE_SAVED = [6, 7, 8, 9];

export class RegisterPool {
  private readonly owners: (Temp | undefined)[] = new Array(10).fill(undefined);
  private readonly reserved = new Set<number>();
  private readonly live: Temp[] = [];
  private nextId = 0;

  constructor(private readonly emit: (instruction: Instruction) => void, private readonly frame: StackFrame) {}

  /** Takes a register out of allocation for the whole program (e.g. the context pointer in r9). */
  reserve(reg: number): void {
    if (this.owners[reg]) throw new Error(`r${reg} is in use and cannot be reserved`);
    this.reserved.add(reg);
  }

  /** A fresh temporary in a register; prefers callee-saved registers so calls rarely move it. */
  acquire(preferCallerSaved = false): Temp {
    const reg = this.freeRegister(preferCallerSaved ? [...CALLER_SAVED, ...CALLEE_SAVED] : [...CALLEE_SAVED, ...CALLER_SAVED]);
    return this.claim(reg ?? this.spillVictim());
  }

  /** Adopts a value that already sits in `reg` (r0 after a call is moved out first: r0 is scratch). */
  adopt(reg: number): Temp {
    if (reg === 0) {
      const temp = this.acquire();
      this.emit(mov64(register((temp.location as { reg: number }).reg), R0));
      temp.hasValue = true;
      return temp;
    }
    if (this.owners[reg]) throw new Error(`r${reg} is already owned`);
    const temp = this.claim(reg);
    temp.hasValue = true;
    return temp;
  }

  /** The register holding `temp`; a spilled temp is loaded into `scratch` (default r0) for one use. */
  read(temp: Temp, scratch: Register = R0): Register {
    this.checkLive(temp);
    if (temp.location.kind === 'register') return register(temp.location.reg);
    this.emit(ldx('dw', scratch, R10, temp.location.offset));
    return scratch;
  }

  /**
   * A register the caller may overwrite to update `temp` in place. A spilled, unfrozen temp moves back
   * into a register; a frozen spilled temp must be written through `writeBack`.
   */
  writable(temp: Temp): Register {
    this.checkLive(temp);
    const hadValue = temp.hasValue;
    temp.hasValue = true;
    if (temp.location.kind === 'register') return register(temp.location.reg);
    if (temp.frozen) throw new RegisterExhaustedError('expression too complex: a value pinned across a branch had to leave its register');
    const reg = this.freeRegister([...CALLEE_SAVED, ...CALLER_SAVED]) ?? this.spillVictim(temp);
    if (hadValue) this.emit(ldx('dw', register(reg), R10, temp.location.offset));
    temp.location = { kind: 'register', reg };
    this.owners[reg] = temp;
    return register(reg);
  }

  /** A register no live temporary owns, for a value used within one instruction sequence without calls. */
  scratchRegister(exclude: readonly Register[] = []): Register {
    const excluded = new Set(exclude.map((reg) => reg.reg));
    for (const reg of [0, ...CALLER_SAVED, ...CALLEE_SAVED]) {
      if (!excluded.has(reg) && !this.owners[reg] && !this.reserved.has(reg)) return register(reg);
    }
    throw new RegisterExhaustedError('no scratch register is free');
  }

  release(temp: Temp | undefined): void {
    if (!temp || temp.released) return;
    temp.released = true;
    if (temp.location.kind === 'register') this.owners[temp.location.reg] = undefined;
    const index = this.live.indexOf(temp);
    if (index >= 0) this.live.splice(index, 1);
  }

  /** Moves every live temporary out of r0–r5, which the next helper call clobbers. */
  beforeCall(): void {
    for (const reg of [0, ...CALLER_SAVED]) {
      const temp = this.owners[reg];
      if (!temp) continue;
      const target = this.freeRegister(CALLEE_SAVED) ?? this.evictOlder(temp);
      if (target !== undefined) {
        if (temp.hasValue) this.emit(mov64(register(target), register(reg)));
        this.owners[reg] = undefined;
        this.owners[target] = temp;
        temp.location = { kind: 'register', reg: target };
      } else {
        this.spill(temp);
      }
    }
  }

  /** Pins the location of every live temporary (after moving them out of call-clobbered registers). */
  freeze(): Temp[] {
    this.beforeCall();
    return this.pinInPlace();
  }

  /**
   * Pins every live temporary where it is, for branches that make no helper call (a string scan):
   * nothing needs to leave r0–r5 first, which keeps the few callee-saved registers of a callback free.
   */
  pinInPlace(): Temp[] {
    const pinned = [...this.live];
    for (const temp of pinned) temp.frozen++;
    return pinned;
  }

  thaw(pinned: Temp[]): void {
    for (const temp of pinned) temp.frozen--;
  }

  /** Registers currently owned by temporaries (for tests and assertions). */
  get liveCount(): number {
    return this.live.length;
  }

  private claim(reg: number): Temp {
    const temp = new Temp({ kind: 'register', reg }, this.nextId++);
    this.owners[reg] = temp;
    this.live.push(temp);
    return temp;
  }

  private freeRegister(order: readonly number[]): number | undefined {
    return order.find((reg) => !this.owners[reg] && !this.reserved.has(reg));
  }

  /**
   * Makes room in r6–r9 for `temp` by spilling an older unfrozen temporary there. Expressions are
   * lowered depth first, so the older value is needed later than `temp` (often right after a call,
   * where `temp` must then be written in place), and it can be reloaded when it is.
   */
  private evictOlder(temp: Temp): number | undefined {
    const victim = this.live.find((other) => other.id < temp.id && !other.frozen
      && other.location.kind === 'register' && CALLEE_SAVED.includes(other.location.reg));
    if (!victim) return undefined;
    const reg = (victim.location as { reg: number }).reg;
    this.spill(victim);
    return reg;
  }

  /** Spills the oldest unfrozen temporary held in a register and returns its register. */
  private spillVictim(except?: Temp): number {
    const victim = this.live.find((temp) => temp !== except && !temp.frozen && temp.location.kind === 'register');
    if (!victim) throw new RegisterExhaustedError('expression too complex: every register holds a value that must stay put');
    const reg = (victim.location as { reg: number }).reg;
    this.spill(victim);
    return reg;
  }

  private spill(temp: Temp): void {
    if (temp.location.kind !== 'register') return;
    if (temp.frozen) throw new RegisterExhaustedError('a value pinned across a branch would have to move');
    const offset = this.frame.allocate(8, 8);
    if (offset === undefined) throw new RegisterExhaustedError('no stack space left to spill a register');
    if (temp.hasValue) this.emit(stx('dw', R10, offset, register(temp.location.reg)));
    this.owners[temp.location.reg] = undefined;
    temp.location = { kind: 'spilled', offset };
  }

  private checkLive(temp: Temp): void {
    if (temp.released) throw new Error(`temporary t${temp.id} used after release`);
  }
}
