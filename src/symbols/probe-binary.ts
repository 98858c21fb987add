// Names for the user frames of a process that is gone before its stack is printed (a map printed at
// exit), when it was never seen alive: its memory map cannot be read any more, so frames are looked up
// in the binary its probe fired in (the probe's single uprobe/usdt target), as bpftrace does. A
// position-independent binary is loaded at a random address: the stack's innermost frame is the
// probed instruction, whose place in the file is known, so their difference is the load bias. Without
// it (a return probe) the binary is taken as loaded at its link addresses, which names the frames of
// a fixed-address executable. Frames in other files (libraries) keep their addresses.
import { addressOfFileOffset } from '../elf/address.js';
import { SegmentType } from '../elf/constants.js';
import type { UserCodeFile } from '../model/artifact.js';
import type { LoadedModule } from './module-cache.js';
import type { UserSymbol } from './process-symbols.js';

/** Load biases are whole pages; any page size is a multiple of 4 KiB. */
const PAGE_ALIGNMENT = 0x1000n;
const PF_X = 1;

/**
 * The load bias `innermost` (a stack's first frame, from this probe) implies, or undefined when the
 * probe has no known instruction or the frame does not fit (then no bias is known).
 */
export function loadBias(module: LoadedModule, file: UserCodeFile, innermost: bigint | undefined): bigint | undefined {
  if (file.entryOffset === undefined || innermost === undefined) return undefined;
  const probed = addressOfFileOffset(module.segments, file.entryOffset);
  if (probed === undefined) return undefined;
  const bias = innermost - probed;
  return bias >= 0n && bias % PAGE_ALIGNMENT === 0n ? bias : undefined;
}

/** The function at runtime address `address` of `module` loaded `bias` bytes above its link addresses. */
export function probeBinarySymbol(module: LoadedModule, bias: bigint, address: bigint): UserSymbol | undefined {
  const linkAddress = address - bias;
  const inCode = module.segments.some((segment) => segment.type === SegmentType.Load && (segment.flags & PF_X) !== 0
    && linkAddress >= segment.virtualAddress && linkAddress < segment.virtualAddress + BigInt(segment.memorySize));
  if (!inCode) return undefined;
  const symbol = module.functions.lookup(Number(linkAddress));
  return symbol && { name: symbol.name, offset: symbol.offset, module: module.path };
}
