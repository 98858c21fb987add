// The part of a BTF blob that a recorded compile read, as a blob with the same type ids: the types it
// decoded are copied byte for byte, every other type becomes an anonymous forward declaration (12
// bytes), and the strings no kept type names are zeroed. Ids must not move (a fentry program carries
// its function's id), and the zeroed and repeated bytes compress to almost nothing: vmlinux's 5.5 MB
// become a few hundred KB at most for a corpus of scripts, before gzip.
import { BTF_HEADER_SIZE, BTF_TYPE_SIZE, KindCode, trailingSize } from '../btf/format.js';

/** Bytes per entry after the type header, and whether each entry starts with a name offset. */
function namedEntries(kind: number): number | undefined {
  switch (kind) {
    case KindCode.STRUCT: case KindCode.UNION: case KindCode.ENUM64: return 12;
    case KindCode.ENUM: case KindCode.FUNC_PROTO: return 8;
    default: return undefined;
  }
}

export function btfSubset(blob: Uint8Array, keep: ReadonlySet<number>): Uint8Array {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const headerLength = view.getUint32(4, true);
  const typeStart = headerLength + view.getUint32(8, true);
  const typeEnd = typeStart + view.getUint32(12, true);
  const stringStart = headerLength + view.getUint32(16, true);
  const stringLength = view.getUint32(20, true);
  const types: Uint8Array[] = [];
  const usedStrings = new Set<number>();
  const placeholder = new Uint8Array(BTF_TYPE_SIZE);
  new DataView(placeholder.buffer).setUint32(4, KindCode.FWD << 24, true);
  for (let at = typeStart, id = 1; at < typeEnd; id++) {
    const info = view.getUint32(at + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const size = BTF_TYPE_SIZE + trailingSize(kind, vlen)!;
    if (keep.has(id)) {
      types.push(blob.subarray(at, at + size));
      usedStrings.add(view.getUint32(at, true));
      const entry = namedEntries(kind);
      for (let index = 0; entry !== undefined && index < vlen; index++) usedStrings.add(view.getUint32(at + BTF_TYPE_SIZE + index * entry, true));
    } else {
      types.push(placeholder);
    }
    at += size;
  }
  const strings = new Uint8Array(stringLength);
  for (const offset of usedStrings) {
    const start = stringStart + offset;
    let end = start;
    while (end < stringStart + stringLength && blob[end] !== 0) end++;
    strings.set(blob.subarray(start, end), offset);
  }
  const typeLength = types.reduce((total, type) => total + type.length, 0);
  const result = new Uint8Array(BTF_HEADER_SIZE + typeLength + stringLength);
  result.set(blob.subarray(0, BTF_HEADER_SIZE));
  const header = new DataView(result.buffer);
  header.setUint32(4, BTF_HEADER_SIZE, true);
  header.setUint32(8, 0, true);
  header.setUint32(12, typeLength, true);
  header.setUint32(16, typeLength, true);
  header.setUint32(20, stringLength, true);
  let at = BTF_HEADER_SIZE;
  for (const type of types) {
    result.set(type, at);
    at += type.length;
  }
  result.set(strings, at);
  return result;
}
