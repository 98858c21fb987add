// NUL-terminated strings out of ELF string tables (.strtab, .dynstr, .shstrtab) and note payloads.
import { Buffer } from 'node:buffer';

export class StringTable {
  private text: string | undefined;
  private hasNonAscii = false;

  constructor(readonly bytes: Uint8Array) {}

  /** The string starting at `offset`; '' when the offset lies outside the table. */
  at(offset: number): string {
    // One decode of the whole table, then slices (which V8 does not copy): much cheaper than a
    // decode per name when a library has thousands of symbols.
    if (this.text === undefined) {
      this.text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('latin1');
      this.hasNonAscii = /[\x80-\xff]/.test(this.text);
    }
    if (offset >= this.text.length) return '';
    let end = this.text.indexOf('\0', offset);
    if (end === -1) end = this.text.length;
    const name = this.text.slice(offset, end);
    // Latin-1 maps bytes to characters one to one; UTF-8 names (Rust, Swift) need a real decode.
    if (this.hasNonAscii && /[\x80-\xff]/.test(name)) return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + offset, end - offset).toString('utf8');
    return name;
  }
}

/** The NUL-terminated string at `offset` and where the next one starts. */
export function readCString(bytes: Uint8Array, offset: number): { text: string; next: number } {
  let end = bytes.indexOf(0, offset);
  if (end === -1) end = bytes.byteLength;
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', offset, end), next: end + 1 };
}
