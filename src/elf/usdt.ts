// USDT probes from SystemTap's `.note.stapsdt` notes (<sys/sdt.h> STAP_PROBE*): each note gives the
// probe's pc, the link-time address of `.stapsdt.base`, the semaphore's address (0 when none), then
// "provider\0name\0arguments\0". If the file was prelinked or otherwise relocated after the notes
// were written, `.stapsdt.base`'s real address minus the recorded one is added to pc and semaphore.
import { noteStapsdt } from './constants.js';
import type { ElfFile } from './elf-file.js';
import { viewOf } from './headers.js';
import { readCString } from './strings.js';

export interface UsdtProbe {
  readonly provider: string;
  readonly name: string;
  /** Link-time address of the probe's instruction (a nop), after the .stapsdt.base adjustment. */
  readonly address: bigint;
  /** Where a uprobe goes: the file offset of `address`; undefined if no PT_LOAD maps it. */
  readonly fileOffset: number | undefined;
  /** `.stapsdt.base` as recorded in the note. */
  readonly base: bigint;
  /** Link-time address of the u16 semaphore, 0n when the probe has none. */
  readonly semaphoreAddress: bigint;
  /** The uprobe's ref_ctr_offset: the semaphore's file offset; undefined without a semaphore. */
  readonly semaphoreOffset: number | undefined;
  /** The raw argument description, e.g. `-4@%edi 8@-8(%rbp)`; parse with parseUsdtArguments. */
  readonly argumentSpec: string;
}

export function readUsdtProbes(elf: ElfFile): UsdtProbe[] {
  const baseSection = elf.section('.stapsdt.base');
  const probes: UsdtProbe[] = [];
  for (const note of elf.notes()) {
    if (note.owner !== 'stapsdt' || note.type !== noteStapsdt || note.descriptor.byteLength < 24) continue;
    const view = viewOf(note.descriptor);
    const recordedAddress = view.getBigUint64(0, true);
    const base = view.getBigUint64(8, true);
    const recordedSemaphore = view.getBigUint64(16, true);
    const provider = readCString(note.descriptor, 24);
    const name = readCString(note.descriptor, provider.next);
    const argumentSpec = name.next < note.descriptor.byteLength ? readCString(note.descriptor, name.next).text : '';
    const adjustment = baseSection && base !== 0n ? baseSection.address - base : 0n;
    const address = BigInt.asUintN(64, recordedAddress + adjustment);
    const semaphoreAddress = recordedSemaphore === 0n ? 0n : BigInt.asUintN(64, recordedSemaphore + adjustment);
    probes.push({
      provider: provider.text,
      name: name.text,
      address,
      fileOffset: elf.fileOffsetOf(address),
      base,
      semaphoreAddress,
      semaphoreOffset: semaphoreAddress === 0n ? undefined : elf.fileOffsetOf(semaphoreAddress),
      argumentSpec,
    });
  }
  return probes;
}
