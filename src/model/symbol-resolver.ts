// The seam between printing and symbolising: the runtime decodes a stack id or an address and asks a
// SymbolResolver (src/symbols/symbolizer.ts is the real one) for names.
import type { Type } from './types.js';

export interface StackFrame {
  address: bigint;
  /** Resolved name with offset (`do_idle+532`), or whatever the runtime shows for unknown frames. */
  symbol: string;
}

export type StackType = Extract<Type, { kind: 'stack' }>;

/**
 * What turns addresses into names. Stacks are stored in the kernel as an id into a stack-trace map
 * (plus the pid for user stacks), and a usym() value as the address plus the pid, so only the session
 * can resolve them; without a resolver a stack shows its raw id and a ksym/usym its hex address.
 */
export interface SymbolResolver {
  /** `userCode`: what the value carries besides the pid (CompiledScript.userCodeFiles); 0 for none. */
  stackFrames(type: StackType, stackId: number, pid: number, userCode?: number): StackFrame[];
  /** ksym(): the kernel function's name, or how an unknown address prints. */
  symbolName(space: 'kernel' | 'user', address: bigint): string | undefined;
  /** usym(): the function's name in process `pid`, or how an unknown address prints. */
  userSymbolName(pid: number, address: bigint, userCode?: number): string | undefined;
}

