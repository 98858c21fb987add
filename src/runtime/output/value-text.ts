// How bpftrace writes one value as text: print(v), map keys and values, and printf's %s.
// Layouts follow today's bpftrace, src/output/text.cpp (TextEmitter) and src/bpftrace.cpp
// (get_stack): tuples `(1, abc)` with spaces, arrays `[1,2]` without, records `{ .a = 1, .b = 2 }`,
// strings unquoted, booleans `true`/`false`, buffers as `\x..` escapes, stacks as "\n" + one line per
// frame. bpftrace 0.17 indented stacks in map keys by 4 spaces; today's uses 8 everywhere.

import type { StackFrame } from '../../model/symbol-resolver.js';
import type { StackMode, Value } from './values.js';

const stackIndent = ' '.repeat(8);
const unwindFailureAddress = 0xffffffffffffffffn;

export function formatValue(value: Value): string {
  switch (value.kind) {
    case 'integer':
      return value.value.toString();
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'string':
      return value.value;
    case 'buffer':
      return hexFormatBuffer(value.bytes, true, true);
    case 'tuple':
      return `(${value.items.map(formatValue).join(', ')})`;
    case 'array':
      return `[${value.items.map(formatValue).join(',')}]`;
    case 'record':
      if (value.fields.length === 0) return '{}';
      return `{ ${value.fields.map((field) => `.${field.name} = ${formatValue(field.value)}`).join(', ')} }`;
    case 'stack':
      return formatStack(value.frames, value.mode);
    case 'symbol':
      return value.text;
    case 'none':
      return 'null';
    default:
      return unreachable(value);
  }
}

/**
 * bpftrace's hex_format_buffer: printable ASCII kept when `keepAscii` (%r), other bytes as `\xNN`
 * when `escapeHex` (%r, %rx), else as space-separated `NN` pairs (%rh).
 */
export function hexFormatBuffer(bytes: Uint8Array, keepAscii: boolean, escapeHex: boolean): string {
  let text = '';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (keepAscii && byte >= 32 && byte <= 126) text += String.fromCharCode(byte);
    else if (escapeHex) text += `\\x${hexByte(byte)}`;
    else text += index === bytes.length - 1 ? hexByte(byte) : `${hexByte(byte)} `;
  }
  return text;
}

export function formatStack(frames: StackFrame[], mode: StackMode): string {
  let text = '\n';
  for (const frame of frames) {
    if (frame.address === unwindFailureAddress) {
      text += `${stackIndent}<unwind failure>\n`;
      break;
    }
    switch (mode) {
      case 'bpftrace':
        text += `${stackIndent}${frame.symbol}\n`;
        break;
      case 'perf':
        text += `\t${frame.address.toString(16)} ${frame.symbol}\n`;
        break;
      case 'raw':
        text += `${frame.address.toString(16)}\n`;
        break;
      default:
        return unreachable(mode);
    }
  }
  return text;
}

function hexByte(byte: number): string {
  return byte < 16 ? `0${byte.toString(16)}` : byte.toString(16);
}

export function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? `${item}n` : item))}`);
}
