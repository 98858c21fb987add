// ELF notes (SHT_NOTE sections, PT_NOTE segments): owner, type, payload. Carries the GNU build id
// and SystemTap's USDT probe descriptions.
import { viewOf } from './headers.js';

export interface ElfNote {
  /** The name field without its NUL: "GNU", "stapsdt". */
  readonly owner: string;
  readonly type: number;
  readonly descriptor: Uint8Array;
}

/**
 * The notes in one note section or segment. Fields are padded to 4 bytes, or to 8 in sections
 * aligned to 8 (.note.gnu.property), as the gABI and binutils do.
 */
export function parseNotes(bytes: Uint8Array, align: number): ElfNote[] {
  const padding = align === 8 ? 8 : 4;
  const view = viewOf(bytes);
  const notes: ElfNote[] = [];
  let offset = 0;
  while (offset + 12 <= bytes.byteLength) {
    const nameSize = view.getUint32(offset, true);
    const descriptorSize = view.getUint32(offset + 4, true);
    const type = view.getUint32(offset + 8, true);
    const nameStart = offset + 12;
    const descriptorStart = nameStart + roundUp(nameSize, padding);
    const end = descriptorStart + roundUp(descriptorSize, padding);
    if (descriptorStart + descriptorSize > bytes.byteLength) break;
    let nameEnd = nameStart + nameSize;
    while (nameEnd > nameStart && bytes[nameEnd - 1] === 0) nameEnd--;
    notes.push({
      owner: String.fromCharCode(...bytes.subarray(nameStart, nameEnd)),
      type,
      descriptor: bytes.subarray(descriptorStart, descriptorStart + descriptorSize),
    });
    offset = end;
  }
  return notes;
}

function roundUp(value: number, alignment: number): number {
  return (value + alignment - 1) & ~(alignment - 1);
}

export function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}
