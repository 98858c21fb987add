// Ring-buffer records → typed events. Every record starts with a u64 action id naming one of the
// compiler's ActionDescriptions; its fields follow at the offsets the description gives (counted from
// the record's start, the id included). Per action, the work that does not depend on the record
// (parsing the printf format, finding the map) is done once, when the handler is built.
import type { ActionDescription } from '../model/artifact.js';
import { parseFormat } from '../model/format-string.js';
import { formatPrintf } from './output/printf.js';
import { formatStrftime } from './output/strftime.js';
import type { MapDump, Value } from './output/values.js';
import { decodeCString, decodeValue } from './value-decoder.js';
import { type SymbolResolver } from '../model/symbol-resolver.js';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** What a running session reports, in the order it happened. */
export type SessionEvent =
  | { readonly kind: 'printf'; readonly text: string }
  | { readonly kind: 'time'; readonly text: string }
  /** cat(): the file's contents; system(): the command's output; join(): the joined strings. */
  | { readonly kind: 'cat' | 'system' | 'join'; readonly text: string }
  | { readonly kind: 'print-value'; readonly value: Value }
  /** print(@m, top, divisor): the map as read when the record was handled. */
  | { readonly kind: 'print-map'; readonly map: MapDump; readonly top: number; readonly divisor: number }
  /** clear(@m) / zero(@m) done on the map named by its script name. */
  | { readonly kind: 'clear' | 'zero'; readonly map: string }
  | { readonly kind: 'exit'; readonly code: number }
  /** Records the programs could not write since the last report (the ring buffer was full). */
  | { readonly kind: 'lost-events'; readonly count: number }
  /** Every user map, read when the session stopped (after END ran). */
  | { readonly kind: 'maps-at-exit'; readonly maps: readonly MapDump[] };

/** The map operations records ask for, by kernel map name; each throws for a map it does not know. */
export interface MapAccess {
  read(map: string): MapDump;
  clear(map: string): void;
  zero(map: string): void;
  /** The script's name for a map (`@x`), for events. */
  scriptName(map: string): string;
}

export interface RecordHandlerOptions {
  readonly resolver?: SymbolResolver;
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
export function createRecordHandler(actions: readonly ActionDescription[], maps: MapAccess, options: RecordHandlerOptions = {}): RecordHandler {
  const handlers: (ActionHandler | undefined)[] = [];
  const sizes: number[] = [];
  for (const action of actions) {
    if (handlers[action.id]) throw new RecordError(`two actions share the id ${action.id}`);
    handlers[action.id] = actionHandler(action, maps, options);
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

function actionHandler(action: ActionDescription, maps: MapAccess, options: RecordHandlerOptions): ActionHandler {
  const { resolver } = options;
  switch (action.kind) {
    case 'printf': {
      const { format, errors } = parseFormat(action.format);
      if (errors.length > 0) throw new RecordError(`printf format ${JSON.stringify(action.format)}: ${errors[0]!.message}`);
      const fields = action.fields;
      return (view, offset) => {
        const args: Value[] = new Array(fields.length);
        for (let index = 0; index < fields.length; index++) args[index] = decodeValue(view, offset + fields[index]!.offset, fields[index]!.type, resolver);
        return { kind: 'printf', text: formatPrintf(format, args) };
      };
    }
    case 'time': {
      const now = options.now ?? wallClockNs;
      // time() is C's strftime: `%f` has no special meaning there.
      return () => ({ kind: 'time', text: formatStrftime(action.format, now(), { microseconds: false }) });
    }
    case 'print-value': {
      const { field } = action;
      return (view, offset) => ({ kind: 'print-value', value: decodeValue(view, offset + field.offset, field.type, resolver) });
    }
    case 'print-map':
      maps.scriptName(action.map); // an unknown map fails here, when the script starts, not at the first record
      return () => ({ kind: 'print-map', map: maps.read(action.map), top: action.top, divisor: action.divisor });
    case 'clear':
    case 'zero': {
      const kind = action.kind;
      const scriptName = maps.scriptName(action.map);
      return () => {
        if (kind === 'clear') maps.clear(action.map);
        else maps.zero(action.map);
        return { kind, map: scriptName };
      };
    }
    case 'exit': {
      const { codeField } = action;
      return (view, offset) => {
        if (!codeField) return { kind: 'exit', code: 0 };
        const value = decodeValue(view, offset + codeField.offset, codeField.type);
        // A process exit status is one byte; bpftrace passes the value to exit() the same way.
        return { kind: 'exit', code: value.kind === 'integer' ? Number(BigInt.asUintN(8, value.value)) : 0 };
      };
    }
    case 'cat':
    case 'system': {
      const { format, errors } = parseFormat(action.format);
      if (errors.length > 0) throw new RecordError(`${action.kind} format ${JSON.stringify(action.format)}: ${errors[0]!.message}`);
      const { fields, kind } = action;
      return (view, offset) => {
        const args = fields.map((field) => decodeValue(view, offset + field.offset, field.type, resolver));
        const argument = formatPrintf(format, args);
        return { kind, text: kind === 'cat' ? readForCat(argument) : runForSystem(argument) };
      };
    }
    case 'join': {
      const { count, stringSize, separator } = action;
      return (view, offset) => {
        const parts: string[] = [];
        for (let index = 0; index < count; index++) {
          const part = decodeCString(view, offset + 8 + index * stringSize, stringSize);
          if (part === '') break;
          parts.push(part);
        }
        // The output adds the line break (text) or leaves it out (JSON's data), as bpftrace does.
        return { kind: 'join', text: parts.join(separator) };
      };
    }
    default:
      return unreachable(action);
  }
}

/** cat(): the file's text, or bpftrace's error line when it cannot be read. */
function readForCat(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return `ERROR: failed to open file '${path}': ${(error as Error).message}\n`;
  }
}

/** system(): runs the command through the shell (only with --unsafe) and returns its output. */
function runForSystem(command: string): string {
  const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function unreachable(value: never): never {
  throw new RecordError(`unhandled action: ${JSON.stringify(value)}`);
}
