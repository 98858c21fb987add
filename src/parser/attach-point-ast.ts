/**
 * Attach points: `tracepoint:syscalls:sys_enter_openat`, `uprobe:libc:malloc+8`, `BEGIN`, ... Each
 * keeps its raw text and a structured form, discriminated by `provider` (always the long name, so
 * `t:` and `tracepoint:` read the same). Field values are as written, quotes removed; wildcards are
 * kept in the strings and flagged by `wildcard`.
 */
import type { SourceSpan } from '../diagnostics/span.js';

export type ProviderName =
  | 'begin'
  | 'end'
  | 'tracepoint'
  | 'rawtracepoint'
  | 'kprobe'
  | 'kretprobe'
  | 'uprobe'
  | 'uretprobe'
  | 'usdt'
  | 'profile'
  | 'interval'
  | 'software'
  | 'hardware'
  | 'fentry'
  | 'fexit'
  | 'watchpoint'
  | 'asyncwatchpoint'
  | 'iter';

interface AttachPointCommon {
  readonly kind: 'attachPoint';
  readonly span: SourceSpan;
  /** Exactly as written, e.g. `t:syscalls:sys_enter_*`. */
  readonly raw: string;
  /** The provider as written: `t`, `tracepoint`, `BEGIN`, ... */
  readonly providerSpelling: string;
  /** The fields after the provider, split at `:` outside quotes, quotes removed. */
  readonly fields: readonly string[];
  /** An unquoted `*` or `?` appears in some field: the probe matcher must expand it. */
  readonly wildcard: boolean;
}

/** `BEGIN`/`begin` and `END`/`end`. */
export interface SpecialAttachPoint<P extends 'begin' | 'end' = 'begin' | 'end'> extends AttachPointCommon {
  readonly provider: P;
}

/** `tracepoint:category:event` */
export interface TracepointAttachPoint extends AttachPointCommon {
  readonly provider: 'tracepoint';
  readonly category: string;
  readonly event: string;
}

/** `rawtracepoint:[module:]event` */
export interface RawTracepointAttachPoint extends AttachPointCommon {
  readonly provider: 'rawtracepoint';
  readonly module?: string;
  readonly event: string;
}

/** `kprobe:[module:]function[+offset]`, `kretprobe:[module:]function` */
export interface KprobeAttachPoint<P extends 'kprobe' | 'kretprobe' = 'kprobe' | 'kretprobe'> extends AttachPointCommon {
  readonly provider: P;
  readonly module?: string;
  readonly function: string;
  readonly offset?: bigint;
}

/**
 * `uprobe:target:function[+offset]`, `uprobe:target:address`, `uprobe:target:cpp:name`, or
 * `uprobe:function` (target from `-p`). `target` is a path or a library name (`libc`) as written.
 */
export interface UprobeAttachPoint<P extends 'uprobe' | 'uretprobe' = 'uprobe' | 'uretprobe'> extends AttachPointCommon {
  readonly provider: P;
  readonly target?: string;
  /** `cpp` or `c` when written as a field before the function. */
  readonly language?: string;
  /** Absent when the probe is placed at an absolute `address`. */
  readonly function?: string;
  readonly address?: bigint;
  readonly offset?: bigint;
}

/** `usdt:target:[namespace:]name`, or `usdt:name` (target from `-p`). */
export interface UsdtAttachPoint extends AttachPointCommon {
  readonly provider: 'usdt';
  readonly target?: string;
  readonly namespace?: string;
  readonly name: string;
}

export type TimerUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'd' | 'hz';

/** `interval:s:1`, `interval:1s`, `profile:hz:99`; a bare number has unit `ns`. */
export interface TimerAttachPoint<P extends 'interval' | 'profile' = 'interval' | 'profile'> extends AttachPointCommon {
  readonly provider: P;
  readonly unit: TimerUnit;
  /** A period in `unit`, or a frequency when the unit is `hz`. */
  readonly value: bigint;
}

/** `software:event[:count]`, `hardware:event[:count]` */
export interface PerfEventAttachPoint<P extends 'software' | 'hardware' = 'software' | 'hardware'> extends AttachPointCommon {
  readonly provider: P;
  readonly event: string;
  /** Sample period: one event in `count`. */
  readonly count?: bigint;
}

/** `fentry:[module:]function`, `fexit:[module:]function` (also `kfunc`/`kretfunc`, `f`/`fr`). */
export interface FentryAttachPoint<P extends 'fentry' | 'fexit' = 'fentry' | 'fexit'> extends AttachPointCommon {
  readonly provider: P;
  readonly module?: string;
  readonly function: string;
}

/** `watchpoint:address:length:mode`, e.g. `watchpoint:0x10000000:8:rw`. */
export interface WatchpointAttachPoint<P extends 'watchpoint' | 'asyncwatchpoint' = 'watchpoint' | 'asyncwatchpoint'>
  extends AttachPointCommon {
  readonly provider: P;
  /** An address, or `function+argN`, as written. */
  readonly target: string;
  readonly length: bigint;
  /** Some of `r`, `w`, `x`. */
  readonly mode: string;
}

/** `iter:object[:pin]`, e.g. `iter:task`. */
export interface IterAttachPoint extends AttachPointCommon {
  readonly provider: 'iter';
  readonly object: string;
  readonly pin?: string;
}

/**
 * One member per provider, so that `Extract<AttachPoint, { provider: 'hardware' }>` and a switch
 * on `provider` both narrow to exactly one shape.
 */
export type AttachPoint =
  | SpecialAttachPoint<'begin'>
  | SpecialAttachPoint<'end'>
  | TracepointAttachPoint
  | RawTracepointAttachPoint
  | KprobeAttachPoint<'kprobe'>
  | KprobeAttachPoint<'kretprobe'>
  | UprobeAttachPoint<'uprobe'>
  | UprobeAttachPoint<'uretprobe'>
  | UsdtAttachPoint
  | TimerAttachPoint<'interval'>
  | TimerAttachPoint<'profile'>
  | PerfEventAttachPoint<'software'>
  | PerfEventAttachPoint<'hardware'>
  | FentryAttachPoint<'fentry'>
  | FentryAttachPoint<'fexit'>
  | WatchpointAttachPoint<'watchpoint'>
  | WatchpointAttachPoint<'asyncwatchpoint'>
  | IterAttachPoint;
