// Seeded randomness for the generators. Input number i of a run is made from its own seed, derived
// from (run seed, i), so any input can be rebuilt alone from the two numbers a failure prints.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [low, high] (inclusive). */
  integer(low: number, high: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T;
}

/** mulberry32: small, fast, and good enough to spread inputs over the language. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (low: number, high: number): number => low + Math.floor(next() * (high - low + 1));
  return {
    next,
    integer,
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (choices) => {
      const total = choices.reduce((sum, [weight]) => sum + weight, 0);
      let point = next() * total;
      for (const [weight, value] of choices) {
        point -= weight;
        if (point < 0) return value;
      }
      return choices[choices.length - 1]![1];
    },
  };
}

/** The seed of input `index` in a run seeded with `runSeed` (a 32-bit mix of both). */
export function inputSeed(runSeed: number, index: number): number {
  let value = (Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) | 0;
  value ^= value >>> 16;
  value = Math.imul(value, 0x7feb352d);
  value ^= value >>> 15;
  return value >>> 0;
}

/** A seed from the environment (FUZZ_SEED), else `fallback`. */
export function seedFromEnvironment(fallback: number): number {
  const text = process.env['FUZZ_SEED'];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : fallback;
}
