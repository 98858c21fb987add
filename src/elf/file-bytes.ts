// Where an ELF file's bytes come from: positional reads from an open file, so that a 20 MB library
// costs only the sections actually asked for, or an in-memory copy (tests, /proc/PID/mem images).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws RangeError past the end. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export class FileBytes implements ByteSource {
  readonly size: number;
  private fd: number | undefined;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new Error('file already closed');
    checkRange(offset, length, this.size);
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const count = readSync(this.fd, bytes, done, length - done, offset + done);
      if (count === 0) throw new RangeError(`file shrank while reading at ${offset + done}`);
      done += count;
    }
    return bytes;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class MemoryBytes implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.byteLength;
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(offset, length, this.bytes.byteLength);
    return this.bytes.subarray(offset, offset + length);
  }

  close(): void {}
}

function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new RangeError(`bytes ${offset}..${offset + length} lie outside the file (${size} bytes)`);
  }
}
