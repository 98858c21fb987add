// Shared helpers for packing kernel structs with DataView. Every struct is written little-endian:
// the targets (x86-64, arm64) are little-endian hosts and the kernel reads these in host order.

/** The size of `union bpf_attr` we send for most commands: every field we use fits below it. */
export const BPF_ATTR_SIZE = 144;

/** Kernel object names (maps, programs) hold 15 characters plus the terminating NUL. */
export const OBJECT_NAME_CAPACITY = 16;

/** A pointer field's value: an address from native().addressOf, or 0n for NULL. */
export type Address = bigint;

export function zeroedStruct(size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function writeU32(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
}


export function writeU64(view: DataView, offset: number, value: bigint | number): void {
  view.setBigUint64(offset, BigInt.asUintN(64, BigInt(value)), true);
}

/** Writes ASCII `text` NUL-terminated into a fixed array of `capacity` bytes (truncating). */
export function writeFixedString(view: DataView, offset: number, capacity: number, text: string): void {
  const length = Math.min(text.length, capacity - 1);
  for (let index = 0; index < length; index++) view.setUint8(offset + index, text.charCodeAt(index) & 0xff);
}

/** Reads a NUL-terminated string out of a fixed array. */
export function readFixedString(view: DataView, offset: number, capacity: number): string {
  let text = '';
  for (let index = 0; index < capacity; index++) {
    const code = view.getUint8(offset + index);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

/** A NUL-terminated copy of `text` for pointer fields (license, tracepoint names, paths). */
export function cString(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const bytes = new Uint8Array(encoded.length + 1);
  bytes.set(encoded);
  return bytes;
}

/**
 * The kernel accepts only [A-Za-z0-9_.] in map and program names, at most 15 characters; anything
 * else makes the whole load fail with EINVAL, so names are cleaned rather than rejected.
 */
export function sanitizeObjectName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, OBJECT_NAME_CAPACITY - 1);
}
