// The value model of the output stage: plain data that the runtime decodes from ring-buffer records
// and map reads, and that the formatters in this directory turn into bpftrace's text or JSON.
// Nothing here knows about bytecode or the kernel.
import type { StackFrame } from '../../model/symbol-resolver.js';

/**
 * One decoded value, as printf arguments, print() arguments, map keys and scalar map values.
 *
 * - `integer`: `value` already sign-extended or zero-extended to its C type (`signed`, `width` in
 *   bytes); key ordering compares at that width, as bpftrace does.
 * - `string`: already cut at NUL / max_strlen (any truncation trailer such as `..` is the runtime's).
 * - `buffer`: buf() contents; printed as `\x..` escapes like bpftrace.
 * - `tuple`: `(a, b)` in text, `[a,b]` in JSON. `array`: `[a,b]` in both. `record`: `{ .a = 1 }`.
 * - `stack`: kstack/ustack frames already symbolised by the runtime (`schedule+35`), innermost first.
 *   A frame whose address is 0xffffffffffffffff marks an unwind failure, as in bpftrace.
 * - `symbol`: a value with a display name (enum member, pointer `0x...`, ksym). JSON prints `numeric`
 *   when present (bpftrace's Symbolic), else the text.
 * - `none`: no value (`null`).
 */
export type Value =
  | { kind: 'integer'; value: bigint; signed: boolean; width: IntegerWidth }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'buffer'; bytes: Uint8Array }
  | { kind: 'tuple'; items: Value[] }
  | { kind: 'array'; items: Value[] }
  | { kind: 'record'; fields: RecordField[] }
  | { kind: 'stack'; frames: StackFrame[]; mode: StackMode }
  | { kind: 'symbol'; text: string; numeric?: bigint }
  | { kind: 'none' };

export type IntegerWidth = 1 | 2 | 4 | 8;

export interface RecordField {
  name: string;
  value: Value;
}

/** bpftrace's stack_mode: `bpftrace` (indented names), `perf` (tab, hex address, name), `raw` (hex). */
export type StackMode = 'bpftrace' | 'perf' | 'raw';

/**
 * The value of one map entry after per-CPU values are combined in user space.
 *
 * - `scalar`: a plain `@x = v` value.
 * - `count`/`sum`/`min`/`max`: the combined total, sign already applied (a signed sum may be negative).
 * - `avg`/`stats`: total and count across CPUs; the average is computed here (truncating, as C does).
 * - `hist`: log2 buckets indexed as bpftrace does (see `log2BucketIndex`), `bits` = hist()'s k (0..5).
 * - `lhist`: linear buckets (see `linearBucketIndex`): 0 is below `min`, the last one is `>= max`.
 */
export type MapValue =
  | { kind: 'scalar'; value: Value }
  | { kind: 'count' | 'sum' | 'min' | 'max'; value: bigint }
  | { kind: 'avg' | 'stats'; total: bigint; count: bigint }
  | { kind: 'hist'; buckets: bigint[]; bits: number }
  | { kind: 'lhist'; buckets: bigint[]; min: bigint; max: bigint; step: bigint };

export interface MapEntry {
  /** The key's components (one for `@m[k]`, several for `@m[a, b]`), or undefined for `@m`. */
  key: Value[] | undefined;
  value: MapValue;
}

/**
 * A whole map as read from the kernel, in the kernel's iteration order (which decides ties when
 * sorting, as in bpftrace). For print() of an empty scalar map, bpftrace prints the zero value
 * (`@x: 0`): the runtime passes one entry with `key: undefined` and the type's zero value.
 */
export interface MapDump {
  /** `@` or `@name`. */
  name: string;
  entries: MapEntry[];
}

export function int64(value: bigint | number): Value {
  return { kind: 'integer', value: BigInt.asIntN(64, BigInt(value)), signed: true, width: 8 };
}

export function uint64(value: bigint | number): Value {
  return { kind: 'integer', value: BigInt.asUintN(64, BigInt(value)), signed: false, width: 8 };
}

export function integer(value: bigint | number, width: IntegerWidth, signed: boolean): Value {
  const bits = width * 8;
  const exact = signed ? BigInt.asIntN(bits, BigInt(value)) : BigInt.asUintN(bits, BigInt(value));
  return { kind: 'integer', value: exact, signed, width };
}

export function string(value: string): Value {
  return { kind: 'string', value };
}

export function tuple(...items: Value[]): Value {
  return { kind: 'tuple', items };
}

/** A pointer prints as `0x1f` in text and as a number in JSON, like bpftrace's pointers. */
export function pointer(address: bigint): Value {
  return { kind: 'symbol', text: `0x${address.toString(16)}`, numeric: address };
}
