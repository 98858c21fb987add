// Bytes → output values, by the checker's `Type`: the one place that knows how a value written by a
// BPF program (into a ring-buffer record or a map key/value) is laid out. Layouts come from
// check/types.ts (C rules, little-endian host); strings end at the first NUL, as bpftrace prints them.
import { formatStrftime } from './output/strftime.js';
import { unknownAddressText } from '../symbols/address-text.js';
import { sizeOf, tupleLayout, type Type } from '../model/types.js';
import { pointer, type IntegerWidth, type Value } from './output/values.js';
import type { SymbolResolver } from '../model/symbol-resolver.js';

const decoder = new TextDecoder('utf-8');

let epochOffset: bigint | undefined;

/** Wall-clock ns minus monotonic ns, measured once (process.hrtime is CLOCK_MONOTONIC on Linux). */
function monotonicToEpochNs(): bigint {
  epochOffset ??= BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return epochOffset;
}

/** ntop(): a u64 address family (AF_INET 2, AF_INET6 10), then the address bytes. */
function formatInet(view: DataView, offset: number): string {
  const family = Number(view.getBigUint64(offset, true));
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset + 8, 16);
  if (family === 2) return Array.from(bytes.subarray(0, 4)).join('.');
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
  // Collapse the longest run of zero groups, as inet_ntop does.
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8;) {
    if (groups[start] !== '0') { start++; continue; }
    let end = start;
    while (end < 8 && groups[end] === '0') end++;
    if (end - start > best.length && end - start > 1) best = { start, length: end - start };
    start = end;
  }
  if (best.start < 0) return groups.join(':');
  const head = groups.slice(0, best.start).join(':');
  const tail = groups.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

/** What decoding needs besides the bytes: symbols for stacks and addresses, texts of formatted values. */
export interface Decoding {
  readonly resolver?: SymbolResolver;
  /** The text of a `formatted` value (strerror), from the function record named by its type. */
  readonly valueText?: (by: string, value: bigint) => string | undefined;
  /**
   * Appended to a string with no NUL anywhere in its capacity, as bpftrace marks a string it takes to
   * be truncated (str_trunc_trailer); absent: nothing is appended.
   */
  readonly stringTrailer?: string;
}

export function decodeValue(view: DataView, offset: number, type: Type, decoding: Decoding = {}): Value {
  const { resolver } = decoding;
  switch (type.kind) {
    case 'integer': {
      const value = readInteger(view, offset, type.bits / 8, type.signed);
      // An enum prints its enumerator's name (its number in JSON), or the number when it has none.
      const enumerator = type.enum?.values.find((candidate) => candidate.value === value);
      if (enumerator) return { kind: 'symbol', text: enumerator.name, numeric: value };
      return { kind: 'integer', value, signed: type.signed, width: (type.bits / 8) as IntegerWidth };
    }
    case 'boolean':
      return { kind: 'boolean', value: view.getUint8(offset) !== 0 };
    case 'string': {
      const { text, terminated } = readCString(view, offset, type.size);
      return { kind: 'string', value: terminated || !decoding.stringTrailer ? text : text + decoding.stringTrailer };
    }
    case 'buffer': {
      const length = Math.min(view.getUint32(offset, true), type.size);
      const start = view.byteOffset + offset + 4;
      // A copy: ring-buffer bytes are reused once the record handler returns.
      return { kind: 'buffer', bytes: new Uint8Array(view.buffer.slice(start, start + length)) };
    }
    case 'tuple': {
      const { offsets } = tupleLayout(type.elements);
      return { kind: 'tuple', items: type.elements.map((element, index) => decodeValue(view, offset + offsets[index]!, element, decoding)) };
    }
    case 'array': {
      // C rounds an element's size up to its alignment, so elements follow each other at their size.
      const stride = sizeOf(type.element);
      const items: Value[] = [];
      for (let index = 0; index < type.length; index++) items.push(decodeValue(view, offset + index * stride, type.element, decoding));
      return { kind: 'array', items };
    }
    case 'record':
      return {
        kind: 'record',
        fields: type.fields.map((field) => ({
          name: field.name,
          value: field.bitSize === undefined
            ? decodeValue(view, offset + field.offset, field.type, decoding)
            : decodeBitfield(view, offset + field.offset, field.bitOffset ?? 0, field.bitSize, field.type),
        })),
      };
    case 'pointer':
      return pointer(view.getBigUint64(offset, true));
    case 'stack': {
      const stackId = view.getInt32(offset, true);
      const pid = view.getUint32(offset + 4, true);
      const userCode = type.space === 'user' ? view.getUint32(offset + 8, true) : 0;
      if (resolver) return { kind: 'stack', frames: resolver.stackFrames(type, stackId, pid, userCode), mode: type.mode };
      return { kind: 'symbol', text: `<stack ${stackId}>`, numeric: BigInt(stackId) };
    }
    case 'symbol': {
      // A name is text for every output (bpftrace's JSON prints ksym/usym as strings, never numbers).
      const address = view.getBigUint64(offset, true);
      const name = type.space === 'user'
        ? resolver?.userSymbolName(view.getUint32(offset + 8, true), address, view.getUint32(offset + 12, true))
        : resolver?.symbolName('kernel', address);
      return { kind: 'string', value: name ?? unknownAddressText(address) };
    }
    case 'timestamp':
      // strftime(): nanoseconds on the kernel's monotonic clock, shown as wall-clock time.
      return { kind: 'string', value: formatStrftime(type.format, view.getBigUint64(offset, true) + monotonicToEpochNs()) };
    case 'inet':
      return { kind: 'string', value: formatInet(view, offset) };
    case 'formatted': {
      const value = view.getBigInt64(offset, true);
      // Without the function's record (a decoder given no table), the number itself.
      return { kind: 'string', value: decoding.valueText?.(type.by, value) ?? `${value}` };
    }
    case 'none':
      return { kind: 'none' };
  }
}

/** Reads a little-endian integer of `width` bytes, sign- or zero-extended to a bigint. */
export function readInteger(view: DataView, offset: number, width: number, signed: boolean): bigint {
  switch (width) {
    case 1: return BigInt(signed ? view.getInt8(offset) : view.getUint8(offset));
    case 2: return BigInt(signed ? view.getInt16(offset, true) : view.getUint16(offset, true));
    case 4: return BigInt(signed ? view.getInt32(offset, true) : view.getUint32(offset, true));
    case 8: return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
    default: throw new RangeError(`no ${width}-byte integers`);
  }
}

/** The text of a NUL-padded string field of `size` bytes. */
export function decodeCString(view: DataView, offset: number, size: number): string {
  return readCString(view, offset, size).text;
}

/** A string field's text up to its NUL; `terminated` false when all `size` bytes are characters. */
function readCString(view: DataView, offset: number, size: number): { readonly text: string; readonly terminated: boolean } {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, size);
  let end = 0;
  let ascii = true;
  for (; end < size; end++) {
    const byte = bytes[end]!;
    if (byte === 0) break;
    if (byte >= 0x80) ascii = false;
  }
  // Most strings (comm, paths, literals) are ASCII, where building the string directly is cheaper
  // than a TextDecoder call.
  const text = ascii && end <= 64 ? String.fromCharCode.apply(null, bytes.subarray(0, end) as unknown as number[]) : decoder.decode(bytes.subarray(0, end));
  return { text, terminated: end < size };
}

function decodeBitfield(view: DataView, offset: number, bitOffset: number, bitSize: number, type: Type): Value {
  const byteCount = Math.ceil((bitOffset + bitSize) / 8);
  let raw = 0n;
  for (let index = byteCount - 1; index >= 0; index--) raw = (raw << 8n) | BigInt(view.getUint8(offset + index));
  let value = (raw >> BigInt(bitOffset)) & ((1n << BigInt(bitSize)) - 1n);
  const signed = type.kind === 'integer' && type.signed;
  if (signed) value = BigInt.asIntN(bitSize, value);
  const width = (type.kind === 'integer' ? type.bits / 8 : 8) as IntegerWidth;
  return { kind: 'integer', value, signed, width };
}
