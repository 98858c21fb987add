// The runtime's SymbolResolver (src/runtime/value-decoder.ts): kstack/ustack frames and ksym/usym
// values as bpftrace prints them:
//   kstack            `do_syscall_64+506` (decimal offset), perf mode the same
//   ustack            `tsbpf_middle+38`; perf mode `tsbpf_middle+38 (/tmp/prog)`
//   unknown frames    `0x55e92b674169`; perf mode for user frames `0x55e92b674169 ([unknown])`
//   ksym() / usym()   the name without offset, or the hex address
// User frames are named through the process's memory map, or, for a process gone before it was seen,
// through its probe's binary (probe-binary.ts).
// Stack ids are read through `readStack` (the session owns the stack-trace maps).
import type { StackType, SymbolResolver, StackFrame } from '../model/symbol-resolver.js';
import { unknownAddressText } from './address-text.js';
import { runningKernelSymbols, type KernelSymbols } from './kernel-symbols.js';
import { ModuleCache } from './module-cache.js';
import { loadBias, probeBinarySymbol } from './probe-binary.js';
import { ProcessSymbols, type ProcessSymbolsOptions, type UserSymbol } from './process-symbols.js';
import type { UserCodeFile } from '../model/artifact.js';

export interface SymbolizerOptions {
  /** The addresses of a stack id, innermost first (trailing zeros may be left in). */
  readonly readStack?: (type: StackType, stackId: number) => readonly bigint[] | undefined;
  /** The process usym() values belong to when the record does not say (-p / -c). */
  readonly defaultPid?: number;
  /** Defaults to /proc/kallsyms, read on first use. */
  readonly kernelSymbols?: KernelSymbols;
  readonly modules?: ModuleCache;
  readonly process?: ProcessSymbolsOptions;
  /** How many processes' maps to keep; the oldest are dropped beyond it. Default 4096. */
  readonly maxProcesses?: number;
  /** The script's probe binaries (CompiledScript.userCodeFiles): names for processes that are gone. */
  readonly userCodeFiles?: readonly UserCodeFile[];
}

export class Symbolizer implements SymbolResolver {
  private readonly processes = new Map<number, ProcessSymbols>();
  /** Load biases of probe binaries in exited processes, by `pid:userCode`, as their stacks showed them. */
  private readonly biases = new Map<string, bigint>();
  private readonly modules: ModuleCache;
  private readonly maxProcesses: number;
  private kernel: KernelSymbols | undefined;

  constructor(private readonly options: SymbolizerOptions = {}) {
    this.modules = options.modules ?? new ModuleCache();
    this.kernel = options.kernelSymbols;
    this.maxProcesses = options.maxProcesses ?? 4096;
  }

  stackFrames(type: StackType, stackId: number, pid: number, userCode = 0): StackFrame[] {
    // A negative id is the helper's error (-EFAULT, -EEXIST): nothing was captured.
    if (stackId < 0 || !this.options.readStack) return [];
    const addresses = this.options.readStack(type, stackId) ?? [];
    const resolve = type.space === 'user' && type.mode !== 'raw' ? this.userResolver(pid, userCode, addresses[0]) : undefined;
    const frames: StackFrame[] = [];
    for (const address of addresses) {
      if (address === 0n || frames.length >= type.limit) break;
      frames.push({ address, symbol: this.frameText(type, address, pid, resolve) });
    }
    return frames;
  }

  symbolName(space: 'kernel' | 'user', address: bigint): string | undefined {
    if (space === 'kernel') return this.kernelSymbols().symbolName(address);
    const pid = this.options.defaultPid;
    return pid === undefined ? undefined : this.userSymbolName(pid, address);
  }

  /** usym(): the function's name, or the hex address. */
  userSymbolName(pid: number, address: bigint, userCode = 0): string {
    return this.userResolver(pid, userCode, undefined)(address)?.name ?? unknownAddressText(address);
  }

  /** One frame's text for a stack of `type` (mode decides whether user frames name their file). */
  frameText(type: StackType, address: bigint, pid: number, resolve?: (address: bigint) => UserSymbol | undefined): string {
    if (type.mode === 'raw') return unknownAddressText(address);
    if (type.space === 'kernel') return this.kernelSymbols().frameText(address);
    const symbol = (resolve ?? this.userResolver(pid, 0, undefined))(address);
    if (type.mode === 'perf') return symbol ? `${symbol.name}+${symbol.offset} (${symbol.module})` : `${unknownAddressText(address)} ([unknown])`;
    return symbol ? `${symbol.name}+${symbol.offset}` : unknownAddressText(address);
  }

  /**
   * The symbols of `pid`, created (and its memory map read) on first use. Call it as soon as a
   * traced process is known (-p, -c) so its stacks still resolve after it exits.
   */
  process(pid: number): ProcessSymbols {
    let symbols = this.processes.get(pid);
    if (!symbols) {
      symbols = new ProcessSymbols(pid, this.modules, this.options.process);
      symbols.snapshot();
      this.processes.set(pid, symbols);
      if (this.processes.size > this.maxProcesses) this.processes.delete(this.processes.keys().next().value!);
    }
    return symbols;
  }

  /**
   * How user addresses of `pid` are named: through its memory map; or, when it was gone before it was
   * ever seen, through the binary of the probe that took the value (`userCode`, see probe-binary.ts),
   * placed by the stack's innermost frame (or by what an earlier stack of the process showed).
   */
  private userResolver(pid: number, userCode: number, innermost: bigint | undefined): (address: bigint) => UserSymbol | undefined {
    const process = this.process(pid);
    const file = userCode > 0 && !process.snapshot() ? this.options.userCodeFiles?.[userCode - 1] : undefined;
    const module = file && this.modules.forFile(file.path);
    if (!file || !module) return (address) => process.resolve(address);
    const key = `${pid}:${userCode}`;
    let bias = loadBias(module, file, innermost);
    if (bias === undefined) {
      bias = this.biases.get(key) ?? 0n;
    } else {
      this.biases.set(key, bias);
      if (this.biases.size > this.maxProcesses) this.biases.delete(this.biases.keys().next().value!);
    }
    const known = bias;
    return (address) => probeBinarySymbol(module, known, address);
  }

  kernelSymbols(): KernelSymbols {
    this.kernel ??= runningKernelSymbols();
    return this.kernel;
  }
}

/** A stack-trace map value (u64 instruction pointers, innermost first, zero-padded) as addresses. */
export function stackAddresses(value: Uint8Array): bigint[] {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const addresses: bigint[] = [];
  for (let offset = 0; offset + 8 <= value.byteLength; offset += 8) {
    const address = view.getBigUint64(offset, true);
    if (address === 0n) break;
    addresses.push(address);
  }
  return addresses;
}
