// Virtual addresses ↔ file offsets through the PT_LOAD segments: a uprobe is placed at a file offset
// (the kernel finds every mapping of that file page), and so is a USDT semaphore (ref_ctr_offset).
// The same arithmetic serves non-PIE executables, PIE executables and shared libraries, because it
// only uses the segment's own vaddr/offset pair, never the file type.
import { SegmentType } from './constants.js';
import type { ElfSegment } from './headers.js';

/**
 * The file offset holding the byte at `address`, or undefined when no loadable segment maps it from
 * the file (e.g. .bss, which exists only in memory).
 */
export function fileOffsetOfAddress(segments: readonly ElfSegment[], address: bigint): number | undefined {
  for (const segment of segments) {
    if (segment.type !== SegmentType.Load) continue;
    const start = segment.virtualAddress;
    if (address >= start && address < start + BigInt(segment.fileSize)) return segment.offset + Number(address - start);
  }
  return undefined;
}

/** The link-time virtual address of the byte at `offset` in the file, if a PT_LOAD maps it. */
export function addressOfFileOffset(segments: readonly ElfSegment[], offset: number): bigint | undefined {
  for (const segment of segments) {
    if (segment.type !== SegmentType.Load) continue;
    if (offset >= segment.offset && offset < segment.offset + segment.fileSize) return segment.virtualAddress + BigInt(offset - segment.offset);
  }
  return undefined;
}
