/**
 * A register operand. Wrapping the number keeps `mov64(R1, 5)` (immediate) and `mov64(R1, R2)`
 * (register) unambiguous at the type level.
 */
export interface Register {
  readonly reg: number;
}

export const R0: Register = Object.freeze({ reg: 0 });
export const R1: Register = Object.freeze({ reg: 1 });
export const R2: Register = Object.freeze({ reg: 2 });
export const R3: Register = Object.freeze({ reg: 3 });
export const R4: Register = Object.freeze({ reg: 4 });
export const R5: Register = Object.freeze({ reg: 5 });
export const R6: Register = Object.freeze({ reg: 6 });
export const R7: Register = Object.freeze({ reg: 7 });
export const R8: Register = Object.freeze({ reg: 8 });
export const R9: Register = Object.freeze({ reg: 9 });
/** The read-only frame pointer. */
export const R10: Register = Object.freeze({ reg: 10 });

const byNumber: readonly Register[] = [R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10];

/** The shared Register value for a register number 0..10 (for register allocators). */
export function register(number: number): Register {
  const found = byNumber[number];
  if (found === undefined) throw new RangeError(`no register r${number}: registers are r0..r10`);
  return found;
}

export function isRegister(operand: unknown): operand is Register {
  return typeof operand === 'object' && operand !== null && typeof (operand as Register).reg === 'number';
}
