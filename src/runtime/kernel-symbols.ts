// Kernel addresses → function names from /proc/kallsyms, for kstack and ksym(). Read once, on first
// use (a script without stacks never pays for it), keeping only text symbols, sorted by address.
import { readFileSync } from 'node:fs';

export interface KernelSymbol {
  readonly name: string;
  /** Bytes past the symbol's start. */
  readonly offset: bigint;
}

export class KernelSymbols {
  // Addresses as two u32 halves: exact without BigInt, which is what made loading slow.
  private readonly high: Uint32Array;
  private readonly low: Uint32Array;
  private readonly names: readonly string[];

  constructor(kallsyms: string) {
    const high: number[] = [];
    const low: number[] = [];
    const names: string[] = [];
    let sorted = true;
    for (let start = 0; start < kallsyms.length; ) {
      let end = kallsyms.indexOf('\n', start);
      if (end === -1) end = kallsyms.length;
      // `ffffffff81000000 T _stext` or `ffffffffc0a01000 t helper\t[module]`
      const kind = kallsyms.charCodeAt(start + 17) | 0x20; // the type letter, lower-cased
      if (kallsyms.charCodeAt(start + 16) === 0x20 && (kind === 0x74 || kind === 0x77)) { // t (text) or w (weak)
        const addressHigh = hexWord(kallsyms, start);
        const addressLow = hexWord(kallsyms, start + 8);
        // All zeros: kptr_restrict hides the addresses.
        if (addressHigh !== 0 || addressLow !== 0) {
          const name = kallsyms.slice(start + 19, end);
          const tab = name.indexOf('\t');
          const last = high.length - 1;
          if (last >= 0 && (high[last]! > addressHigh || (high[last] === addressHigh && low[last]! > addressLow))) sorted = false;
          high.push(addressHigh);
          low.push(addressLow);
          names.push(tab === -1 ? name : name.slice(0, tab));
        }
      }
      start = end + 1;
    }
    // /proc/kallsyms is nearly always in address order already; sort only when it is not.
    if (sorted) {
      this.high = Uint32Array.from(high);
      this.low = Uint32Array.from(low);
      this.names = names;
    } else {
      const order = high.map((_, index) => index).sort((a, b) => high[a]! - high[b]! || low[a]! - low[b]!);
      this.high = Uint32Array.from(order, (index) => high[index]!);
      this.low = Uint32Array.from(order, (index) => low[index]!);
      this.names = order.map((index) => names[index]!);
    }
  }

  get size(): number {
    return this.names.length;
  }

  /** The function containing `address`: the last symbol at or below it. */
  lookup(address: bigint): KernelSymbol | undefined {
    const addressHigh = Number(address >> 32n);
    const addressLow = Number(address & 0xffffffffn);
    const atOrBelow = (index: number) => this.high[index]! < addressHigh || (this.high[index] === addressHigh && this.low[index]! <= addressLow);
    if (this.names.length === 0 || !atOrBelow(0)) return undefined;
    let low = 0;
    let high = this.names.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (atOrBelow(middle)) low = middle;
      else high = middle - 1;
    }
    const start = (BigInt(this.high[low]!) << 32n) | BigInt(this.low[low]!);
    return { name: this.names[low]!, offset: address - start };
  }
}

/** Eight hex digits at `start` as a number; kallsyms always writes them lower-case. */
function hexWord(text: string, start: number): number {
  let value = 0;
  for (let index = start; index < start + 8; index++) {
    const code = text.charCodeAt(index);
    value = value * 16 + (code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57);
  }
  return value;
}

let loaded: KernelSymbols | undefined;

/** The running kernel's symbols (empty when /proc/kallsyms is unreadable or hides addresses). */
export function kernelSymbols(): KernelSymbols {
  if (!loaded) {
    let text = '';
    try {
      text = readFileSync('/proc/kallsyms', 'utf8');
    } catch {
      // Without symbols, stacks fall back to hex addresses.
    }
    loaded = new KernelSymbols(text);
  }
  return loaded;
}
