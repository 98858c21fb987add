// Ring-buffer records → typed events. Every record starts with a u64 action id naming one of the
// compiler's ActionDescriptions; the output function that emitted it (its record in src/functions/,
// found in the table the session receives by the action's `kind`) decodes the fields and later
// prints the event. Per action, the work that does not depend on the record (parsing the printf
// format, finding the map) is done once, when the handler is built.
import type { ActionDescription, HelperErrorAction, RuntimeErrorAction } from '../model/artifact.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { FunctionTable } from '../model/function-record.js';
import type { SymbolResolver } from '../model/symbol-resolver.js';
import type { Emission, OutputFormat } from './output/formats.js';
import type { MapDump } from './output/values.js';
import type { Decoding } from './value-decoder.js';

/**
 * The events of output functions, by kind: each output function declares its own here (declaration
 * merging, in its file under src/functions/), e.g. `time: { kind: 'time'; text: string }`.
 */
export interface FunctionEvents {}

/** What a running session reports, in the order it happened. */
export type SessionEvent =
  | FunctionEvents[keyof FunctionEvents]
  /** Records the programs could not write since the last report (the ring buffer was full). */
  | { readonly kind: 'lost-events'; readonly count: number }
  /** Every user map, read when the session stopped (after END ran). */
  | { readonly kind: 'maps-at-exit'; readonly maps: readonly MapDump[] }
  /** A fault a program met and went on from (a division by zero), at its place in the script. */
  | RuntimeErrorEvent
  /** A probe read that failed, with -k: the helper and its return value, at its place in the script. */
  | HelperErrorEvent;

export interface RuntimeErrorEvent {
  readonly kind: 'runtime-error';
  readonly message: string;
  readonly span: SourceSpan;
}

export interface HelperErrorEvent {
  readonly kind: 'helper-error';
  readonly helper: string;
  readonly retcode: number;
  readonly span: SourceSpan;
}

/** The runtime's own record kinds, beside the output functions'. */
const runtimeErrorOutput: ActionOutput<RuntimeErrorAction, RuntimeErrorEvent> = {
  handler: (action) => () => ({ kind: 'runtime-error', message: action.message, span: action.span }),
  print: (event, format) => format.runtimeError({ kind: 'runtime', message: event.message, locations: [event.span] }),
};

const helperErrorOutput: ActionOutput<HelperErrorAction, HelperErrorEvent> = {
  handler: (action) => (view, offset) => ({
    kind: 'helper-error', helper: action.helper, retcode: Number(view.getBigInt64(offset + 8, true)), span: action.span,
  }),
  print: (event, format) => format.runtimeError({ kind: 'helper', helper: event.helper, retcode: event.retcode, locations: [event.span] }),
};

/** The map operations records ask for, by kernel map name; each throws for a map it does not know. */
export interface MapAccess {
  /** `zeroWhenEmpty`: a keyless map never set reads as its zero value (print(@) prints `@: 0`, as bpftrace). */
  read(map: string, options?: { readonly zeroWhenEmpty?: boolean }): MapDump;
  clear(map: string): void;
  zero(map: string): void;
  /** The script's name for a map (`@x`), for events. */
  scriptName(map: string): string;
}

/** What an output function's decoder may use. */
interface ActionContext {
  readonly maps: MapAccess;
  readonly decoding: Decoding;
  /** Wall-clock now in ns since the epoch, for time(). */
  readonly now: () => bigint;
}

/** How userspace handles one ring-buffer action kind: a function record's output facet. */
export interface ActionOutput<Action = ActionDescription, Event = SessionEvent> {
  /** Built once per action, when the session starts; throws RecordError for a description it cannot use. */
  handler(action: Action, context: ActionContext): (view: DataView, offset: number) => Event;
  /** The event as text or JSON (`format.name`); absent: the event prints nothing (clear, exit). */
  print?(event: Event, format: OutputFormat): Emission;
}

/** The runtime's view of the function table. */
export type RuntimeFunctions = FunctionTable<unknown, unknown, ActionOutput>;

/** Each action kind's output, from the records that declare it. */
export function actionOutputs(functions: RuntimeFunctions): ReadonlyMap<string, ActionOutput> {
  const outputs = new Map<string, ActionOutput>([
    ['runtime-error', runtimeErrorOutput as ActionOutput],
    ['helper-error', helperErrorOutput as ActionOutput],
  ]);
  for (const record of functions.values()) {
    for (const [kind, output] of Object.entries(record.actions ?? {})) outputs.set(kind, output);
  }
  return outputs;
}

/** The texts of `formatted` values, from the records that print them. */
export function valueTextOf(functions: RuntimeFunctions): (by: string, value: bigint) => string | undefined {
  // `by` may carry an argument after a colon (`cgroup_path:unified`): the record is the part before.
  return (by, value) => functions.get(by.split(':')[0]!)?.valueText?.(value, by);
}

export interface RecordHandlerOptions {
  readonly resolver?: SymbolResolver;
  /** After a string with no NUL in its capacity (the compiled script's). */
  readonly stringTrailer?: string;
  /** Wall-clock now in ns since the epoch, for time(). */
  readonly now?: () => bigint;
}

/** A record that does not match the compiled script: always a compiler/runtime mismatch, never user error. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

export type RecordHandler = (view: DataView, offset: number, length: number) => SessionEvent;

type ActionHandler = (view: DataView, offset: number) => SessionEvent;

const idSize = 8;

/** Builds the function that turns one record into its event, doing any map work the record asks for. */
export function createRecordHandler(
  actions: readonly ActionDescription[], functions: RuntimeFunctions, maps: MapAccess, options: RecordHandlerOptions = {},
): RecordHandler {
  const outputs = actionOutputs(functions);
  const context: ActionContext = { maps, decoding: { resolver: options.resolver, valueText: valueTextOf(functions), stringTrailer: options.stringTrailer ?? '..' }, now: options.now ?? wallClockNs };
  const handlers: (ActionHandler | undefined)[] = [];
  const sizes: number[] = [];
  for (const action of actions) {
    if (handlers[action.id]) throw new RecordError(`two actions share the id ${action.id}`);
    const output = outputs.get(action.kind);
    if (!output) throw new RecordError(`unhandled action: ${JSON.stringify(action, (_, value: unknown) => (typeof value === 'bigint' ? `${value}` : value))}`);
    handlers[action.id] = output.handler(action, context);
    sizes[action.id] = action.size;
  }
  return (view, offset, length) => {
    if (length < idSize) throw new RecordError(`a ${length}-byte record is too short to hold an action id`);
    const high = view.getUint32(offset + 4, true);
    const id = view.getUint32(offset, true);
    const handler = high === 0 ? handlers[id] : undefined;
    if (!handler) throw new RecordError(`record with unknown action id ${(BigInt(high) << 32n) | BigInt(id)}`);
    if (length < sizes[id]!) throw new RecordError(`record for action ${id} is ${length} bytes, expected ${sizes[id]}`);
    return handler(view, offset);
  };
}

function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
