// The session's default SymbolResolver: stack ids are looked up in the script's stack-trace map(s)
// and kernel frames named from /proc/kallsyms (`schedule+35`, as bpftrace prints them). User frames
// and usym() keep their hex address: reading ELF symbol tables is not done yet.
import type { BpfMap } from '../loader/maps.js';
import { kernelSymbols } from './kernel-symbols.js';
import type { StackFrame } from './output/values.js';
import type { StackType, SymbolResolver } from './value-decoder.js';

export function createSymbolResolver(stackMaps: readonly BpfMap[]): SymbolResolver {
  const key = new Uint8Array(4);
  const keyView = new DataView(key.buffer);
  return {
    stackFrames(type, stackId) {
      // A negative id is the helper's error (e.g. -EFAULT): nothing was captured.
      const map = stackMapFor(stackMaps, type);
      if (stackId < 0 || !map) return [];
      keyView.setUint32(0, stackId, true);
      const value = map.lookup(key);
      if (!value) return [];
      const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
      const frames: StackFrame[] = [];
      for (let offset = 0; offset + 8 <= value.byteLength && frames.length < type.limit; offset += 8) {
        const address = view.getBigUint64(offset, true);
        if (address === 0n) break;
        frames.push({ address, symbol: frameName(type.space, address) });
      }
      return frames;
    },
    symbolName(space, address) {
      if (space !== 'kernel') return undefined;
      return kernelSymbols().lookup(address)?.name;
    },
  };
}

function frameName(space: 'kernel' | 'user', address: bigint): string {
  if (space === 'kernel') {
    const symbol = kernelSymbols().lookup(address);
    if (symbol) return `${symbol.name}+${symbol.offset}`;
  }
  return `0x${address.toString(16)}`;
}

/** The stack map whose entries hold at least `limit` frames; the largest one otherwise. */
function stackMapFor(stackMaps: readonly BpfMap[], type: StackType): BpfMap | undefined {
  let best: BpfMap | undefined;
  for (const map of stackMaps) {
    const frames = map.spec.valueSize / 8;
    const bestFrames = best ? best.spec.valueSize / 8 : -1;
    if (frames >= type.limit ? bestFrames < type.limit || frames < bestFrames : frames > bestFrames) best = map;
  }
  return best;
}
