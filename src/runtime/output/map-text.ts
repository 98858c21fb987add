// Maps as text, exactly as today's bpftrace prints them at exit and for print(@m[, top[, div]])
// (src/output/text.cpp: TextOutput::map, emit_map):
//   @x: 5                      scalar
//   @m[key]: 5                 one line per entry, tuple keys without their parentheses
//   @s: { .count = 3, .average = 2, .total = 6 }     stats (0.17: `@s: count 3, average 2, total 6`
//                              followed by a blank line; avg also had that blank line)
//   @h:                        histograms: header, rows, then a blank line (0.17 wrote `@h: `)
// An empty map prints nothing.

import { formatHistogramRows } from './histogram.js';
import { layoutMap, type LaidOutMap, type LaidOutValue, type PrintOptions } from './map-layout.js';
import { formatValue } from './value-text.js';
import type { MapDump, Value } from './values.js';

export function formatMapText(dump: MapDump, options: PrintOptions = {}): string {
  return formatLaidOutMapText(layoutMap(dump, options));
}

/** The maps bpftrace prints when the run ends: all of them, ordered by name. */
export function formatMapsAtExitText(dumps: readonly MapDump[]): string {
  return byName(dumps)
    .map((dump) => formatMapText(dump))
    .join('');
}

export function byName(dumps: readonly MapDump[]): MapDump[] {
  return [...dumps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function formatLaidOutMapText(map: LaidOutMap): string {
  let text = '';
  for (const entry of map.entries) {
    const head = entry.key === undefined ? map.name : `${map.name}[${keyText(entry.key)}]`;
    text += entryText(head, entry.value);
  }
  return text;
}

function entryText(head: string, value: LaidOutValue): string {
  switch (value.kind) {
    case 'value':
      return `${head}: ${formatValue(value.value)}\n`;
    case 'histogram':
      return `${head}:\n${formatHistogramRows(value.histogram)}\n`;
  }
}

/** A key as text, with a tuple's parentheses dropped (`@cnt[bpftrace, 7123]`), as bpftrace does. */
export function keyText(key: Value): string {
  const text = formatValue(key);
  return text.length >= 2 && text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
}
