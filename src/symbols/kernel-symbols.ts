// Kernel symbols from /proc/kallsyms: `ksym(addr)` and kstack frames (`do_sys_openat2+5`) look up
// text symbols by address; `kaddr(name)` looks up any symbol by name. As bpftrace (through bcc) does,
// an address belongs to the last text symbol at or below it (kallsyms has no sizes), equal addresses
// resolve to the one listed last (`_text` over `_stext`), and data symbols are found by name only.
import { readFileSync } from 'node:fs';
import { unknownAddressText } from './address-text.js';

export interface KernelSymbol {
  readonly name: string;
  /** Bytes past the symbol's start. */
  readonly offset: number;
}

export class KernelSymbols {
  // Addresses split into u32 halves: exact without a BigInt per symbol, which made parsing slow.
  private readonly high: Uint32Array;
  private readonly low: Uint32Array;
  private readonly names: readonly string[];
  /** Symbols that are not code (data, rodata, bss, absolute), by name: only kaddr() wants them. */
  private readonly otherSymbols: ReadonlyMap<string, bigint>;
  private nameIndex: Map<string, number> | undefined;

  /** `text` is the contents of /proc/kallsyms (or a file in its format). */
  constructor(text: string) {
    const high: number[] = [];
    const low: number[] = [];
    const names: string[] = [];
    const others = new Map<string, bigint>();
    let sorted = true;
    for (let start = 0; start < text.length;) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      // `ffffffff816b4af0 t do_sys_openat2` or `ffffffffc0201000 t ftrace_trampoline\t[module]`
      if (end - start > 19 && text.charCodeAt(start + 16) === 0x20) {
        const addressHigh = hexWord(text, start);
        const addressLow = hexWord(text, start + 8);
        const kind = text.charCodeAt(start + 17) | 0x20; // lower-cased type letter
        // Search for the module's tab within the line only: indexOf on the whole text would scan ahead
        // to the next module symbol, which made parsing quadratic.
        const rest = text.slice(start + 19, end);
        const tab = rest.indexOf('\t');
        const name = tab === -1 ? rest : rest.slice(0, tab);
        // All-zero addresses mean kptr_restrict hides them: nothing is resolvable.
        if (addressHigh >= 0 && addressLow >= 0 && (addressHigh | addressLow) !== 0) {
          if (kind === 0x74 || kind === 0x77) { // t (text) or w (weak, nearly always code)
            const last = high.length - 1;
            if (last >= 0 && (high[last]! > addressHigh || (high[last] === addressHigh && low[last]! > addressLow))) sorted = false;
            high.push(addressHigh);
            low.push(addressLow);
            names.push(name);
          } else if (!others.has(name)) {
            others.set(name, (BigInt(addressHigh) << 32n) | BigInt(addressLow));
          }
        }
      }
      start = end + 1;
    }
    // kallsyms lists vmlinux in address order, then modules and BPF programs; sort only if needed,
    // stably, so that among equal addresses the last one listed still wins.
    const order = high.map((_, index) => index);
    if (!sorted) order.sort((a, b) => high[a]! - high[b]! || low[a]! - low[b]!);
    this.high = Uint32Array.from(order, (index) => high[index]!);
    this.low = Uint32Array.from(order, (index) => low[index]!);
    this.names = sorted ? names : order.map((index) => names[index]!);
    this.otherSymbols = others;
  }

  /** Number of text symbols. */
  get size(): number {
    return this.names.length;
  }

  /** The text symbol containing `address`: the last one at or below it. */
  lookup(address: bigint): KernelSymbol | undefined {
    if (address < 0n || address > 0xffffffffffffffffn) return undefined;
    const addressHigh = Number(address >> 32n);
    const addressLow = Number(address & 0xffffffffn);
    let low = 0;
    let high = this.names.length; // first index above the address
    while (low < high) {
      const middle = (low + high) >>> 1;
      const above = this.high[middle]! > addressHigh || (this.high[middle] === addressHigh && this.low[middle]! > addressLow);
      if (above) high = middle;
      else low = middle + 1;
    }
    if (low === 0) return undefined;
    const index = low - 1;
    const offset = (addressHigh - this.high[index]!) * 0x1_0000_0000 + (addressLow - this.low[index]!);
    return { name: this.names[index]!, offset };
  }

  /** ksym(): the name alone; an unknown address as bpftrace prints it. */
  symbolName(address: bigint): string {
    return this.lookup(address)?.name ?? unknownAddressText(address);
  }

  /** A kstack frame: `name+offset`, the offset in decimal. */
  frameText(address: bigint): string {
    const symbol = this.lookup(address);
    return symbol ? `${symbol.name}+${symbol.offset}` : unknownAddressText(address);
  }

  /** kaddr(): the address of the first symbol of that name, code or data. */
  addressOf(name: string): bigint | undefined {
    if (!this.nameIndex) {
      this.nameIndex = new Map();
      // First listed wins, as with the many static functions that share a name.
      for (let index = this.names.length - 1; index >= 0; index--) this.nameIndex.set(this.names[index]!, index);
    }
    const index = this.nameIndex.get(name);
    if (index !== undefined) return (BigInt(this.high[index]!) << 32n) | BigInt(this.low[index]!);
    return this.otherSymbols.get(name);
  }
}

/** Eight hex digits at `start` as a number; -1 when they are not hex. */
function hexWord(text: string, start: number): number {
  let value = 0;
  for (let index = start; index < start + 8; index++) {
    const code = text.charCodeAt(index) | 0x20;
    const digit = code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** The running kernel's symbols, read now (empty when /proc/kallsyms is unreadable); callers keep them. */
export function runningKernelSymbols(): KernelSymbols {
  return new KernelSymbols(kallsymsText());
}

/** /proc/kallsyms, or '' when it cannot be read (then every kernel address prints as hex). */
export function kallsymsText(): string {
  try {
    return readFileSync('/proc/kallsyms', 'latin1');
  } catch {
    return '';
  }
}
