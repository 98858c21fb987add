// The two output formats as one interface: for each thing the runtime has to show, the text to
// write and where (time(), cat(), join() and system() print their own events, in their records).
// Text goes where bpftrace's TextOutput puts it (src/output/text.cpp: banner, lost events and
// runtime errors on stderr), JSON puts every message on stdout (src/output/json.cpp).
// Nothing is written here; callers write `Emission.text` to `Emission.stream` in order.

import { renderDiagnostic } from '../../diagnostics/render.js';
import { errorAt, warningAt } from '../../diagnostics/diagnostic.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import { errnoMessage } from './errno-messages.js';
import { jsonInteger, jsonMap, jsonMessage, jsonString, jsonValue } from './json.js';
import type { PrintOptions } from './map-layout.js';
import { byName, formatMapText, formatMapsAtExitText } from './map-text.js';
import { formatValue } from './value-text.js';
import type { MapDump, Value } from './values.js';

export interface Emission {
  stream: 'stdout' | 'stderr';
  /** May be empty: nothing to write. */
  text: string;
}

/**
 * A failure reported by a probe at run time. `helper`: a BPF helper returned `retcode` (a negative
 * errno); `helper` is its name without `bpf_` (`probe_read_user`, `map_update_elem`). `runtime`: any
 * other check (`message` as bpftrace words it). `locations`: where in the script, outermost macro
 * expansion last.
 */
export type RuntimeError =
  | { kind: 'helper'; helper: string; retcode: number; locations: SourceSpan[] }
  | { kind: 'runtime'; message: string; locations: SourceSpan[] };

export interface OutputFormat {
  readonly name: 'text' | 'json';
  /** printf() output. */
  printf(text: string): Emission;
  /** errorf()/warnf() output, located at the call. */
  printfMessage(text: string, severity: 'error' | 'warning', locations: readonly SourceSpan[]): Emission;
  /** print() of a value that is not a map. */
  value(value: Value): Emission;
  /** print(@m[, top[, div]]), and each map when the run ends. */
  map(dump: MapDump, options?: PrintOptions): Emission;
  /** Every map when the run ends (after `end()`), ordered by name as bpftrace does. */
  mapsAtExit(dumps: readonly MapDump[]): Emission;
  lostEvents(count: bigint | number): Emission;
  attachedProbes(count: number): Emission;
  runtimeError(error: RuntimeError): Emission;
  /** Written once the probes are detached, before the maps are printed at exit. */
  end(): Emission;
}

/** Finds the script text for a span's file, for the source line under text-mode messages. */
export type SourceLookup = (file: string) => string | undefined;

export function textFormat(sourceFor: SourceLookup = () => undefined): OutputFormat {
  const located = (severity: 'error' | 'warning', span: SourceSpan, message: string, withSource: boolean): string => {
    const diagnostic = severity === 'error' ? errorAt(span, message) : warningAt(span, message);
    return renderDiagnostic(diagnostic, withSource ? sourceFor(span.file) : undefined);
  };
  const expandedFrom = (severity: 'error' | 'warning', locations: readonly SourceSpan[]): string =>
    locations
      .slice(1)
      .map((span) => located(severity, span, 'expanded from', true))
      .join('');
  return {
    name: 'text',
    printf: (text) => stdout(text),
    printfMessage: (text, severity, locations) => {
      const [first] = locations;
      if (!first) return stderr(`${severity === 'error' ? 'ERROR' : 'WARNING'}: ${text}\n`);
      return stderr(located(severity, first, text, false) + expandedFrom(severity, locations));
    },
    value: (value) => stdout(`${formatValue(value)}\n`),
    map: (dump, options) => stdout(formatMapText(dump, options)),
    mapsAtExit: (dumps) => stdout(formatMapsAtExitText(dumps)),
    lostEvents: (count) => stderr(`Lost ${count} events\n`),
    attachedProbes: (count) => stderr(`Attached ${count} ${count === 1 ? 'probe' : 'probes'}\n`),
    runtimeError: (error) => {
      const [first] = error.locations;
      const message =
        error.kind === 'helper'
          ? `${helperMessage(error.helper, error.retcode)}\nAdditional Info - helper: ${error.helper}, retcode: ${error.retcode}`
          : error.message;
      if (!first) return stderr(`WARNING: ${message}\n`);
      return stderr(located('warning', first, message, true) + expandedFrom('warning', error.locations));
    },
    end: () => stdout('\n\n'),
  };
}

export function jsonFormat(): OutputFormat {
  return {
    name: 'json',
    printf: (text) => stdout(jsonMessage('printf', jsonString(text))),
    printfMessage: (text, severity, locations) =>
      stdout(`{"type": "${severity === 'error' ? 'errorf' : 'warnf'}", "msg": ${jsonString(text)}${jsonLocation(locations[0])}}\n`),
    value: (value) => stdout(jsonMessage('value', jsonValue(value))),
    map: (dump, options) => stdout(jsonMap(dump, options)),
    mapsAtExit: (dumps) => stdout(byName(dumps).map((dump) => jsonMap(dump)).join('')),
    lostEvents: (count) => stdout(`{"type": "lost_events", "count": ${count}, "data": {"events": ${count}}}\n`),
    attachedProbes: (count) => stdout(`{"type": "attached_probes", "count": ${count}, "data": {"probes": ${count}}}\n`),
    runtimeError: (error) => {
      const location = jsonLocation(error.locations[0]);
      if (error.kind === 'runtime') {
        return stdout(`{"type": "runtime_error", "msg": ${jsonString(error.message)}${location}}\n`);
      }
      const fields = `"msg": ${jsonString(errnoMessage(-error.retcode))}, "helper": ${jsonString(error.helper)}, "retcode": ${jsonInteger(BigInt(error.retcode))}`;
      return stdout(`{"type": "helper_error", ${fields}${location}}\n`);
    },
    end: () => stdout(''),
  };
}

// bpftrace's wording for the helper failures users hit most (src/output/text.cpp, runtime_error).
function helperMessage(helper: string, retcode: number): string {
  const E2BIG = 7;
  const ENOENT = 2;
  if (helper === 'map_update_elem' && retcode === -E2BIG) {
    return "Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`";
  }
  if (helper === 'map_delete_elem' && retcode === -ENOENT) return "Can't delete map element because it does not exist.";
  if (helper === 'map_lookup_elem') return "Can't lookup map element because it does not exist.";
  return errnoMessage(-retcode);
}

function jsonLocation(span: SourceSpan | undefined): string {
  if (!span) return '';
  return `, "filename": ${jsonString(span.file)}, "line": ${span.line}, "col": ${span.column}`;
}

function stdout(text: string): Emission {
  return { stream: 'stdout', text };
}

function stderr(text: string): Emission {
  return { stream: 'stderr', text };
}
