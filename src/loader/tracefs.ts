// tracefs: where it is mounted, tracepoint ids, and the `format` files that describe each
// tracepoint's record layout (the context a tracepoint program reads).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TracepointField, TracepointFormat } from '../model/probe.js';

export class TracefsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TracefsError';
  }
}

const candidates = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

function mountedTracefs(): string[] {
  try {
    return readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields[2] === 'tracefs')
      .map((fields) => fields[1]!.replace(/\\040/g, ' '));
  } catch {
    return [];
  }
}

/**
 * Picks the tracefs directory from the mounted tracefs instances (`/proc/mounts`) and the usual
 * places, preferring /sys/kernel/tracing; undefined when none has an events/ directory.
 */
export function chooseTracefsRoot(mounted: readonly string[], hasEvents: (path: string) => boolean): string | undefined {
  const ordered = [...candidates.filter((candidate) => mounted.includes(candidate)), ...mounted, ...candidates];
  return ordered.find((path) => hasEvents(path));
}

export const TRACEFS_MISSING_MESSAGE = 'tracefs is not mounted (needed for tracepoints): run `mount -t tracefs nodev /sys/kernel/tracing` as root';

/**
 * The tracefs mount point, looked up on each call (a host keeps what it read through it); throws
 * TracefsError saying how to mount it when there is none.
 */
export function tracefsRoot(): string {
  const root = chooseTracefsRoot(mountedTracefs(), (path) => existsSync(join(path, 'events')));
  if (!root) throw new TracefsError(TRACEFS_MISSING_MESSAGE);
  return root;
}

function eventDirectory(category: string, name: string): string {
  if (!/^[\w.-]+$/.test(category) || !/^[\w.-]+$/.test(name)) throw new TracefsError(`invalid tracepoint name ${category}:${name}`);
  return join(tracefsRoot(), 'events', category, name);
}

function readEventFile(category: string, name: string, file: string): string {
  const path = join(eventDirectory(category, name), file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TracefsError(`tracepoint not found: ${category}:${name}`);
    throw new TracefsError(`cannot read ${path}: ${code ?? String(error)}`);
  }
}

export function tracepointId(category: string, name: string): number {
  const id = Number.parseInt(readEventFile(category, name, 'id').trim(), 10);
  if (!Number.isInteger(id)) throw new TracefsError(`tracepoint ${category}:${name} has a malformed id file`);
  return id;
}

export function readTracepointFormat(category: string, name: string): TracepointFormat {
  return parseTracepointFormat(readEventFile(category, name, 'format'));
}

/** Every category:name under events/, for wildcard matching. */
export function listTracepoints(): { category: string; name: string }[] {
  const events = join(tracefsRoot(), 'events');
  const found: { category: string; name: string }[] = [];
  for (const category of readdirSync(events, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const event of readdirSync(join(events, category.name), { withFileTypes: true })) {
      if (event.isDirectory()) found.push({ category: category.name, name: event.name });
    }
  }
  return found;
}

const fieldLine = /^\s*field:(.*);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;

/** Splits `unsigned long args[6]` into its type, name and array suffix. */
function parseDeclaration(declaration: string): { type: string; name: string; isDataLoc: boolean; isRelativeLoc: boolean; arrayLength?: number } {
  let text = declaration.trim();
  const location = /^__(data|rel)_loc\s+/.exec(text);
  const isDataLoc = location !== null;
  const isRelativeLoc = location?.[1] === 'rel';
  if (location) text = text.slice(location[0].length).trim();
  let arrayLength: number | undefined;
  const array = /\[([^\]]*)\]\s*$/.exec(text);
  if (array) {
    if (/^\d+$/.test(array[1]!)) arrayLength = Number(array[1]);
    text = text.slice(0, array.index).trimEnd();
  }
  const nameMatch = /([A-Za-z_]\w*)$/.exec(text);
  const name = nameMatch ? nameMatch[1]! : text;
  let type = nameMatch ? text.slice(0, nameMatch.index).trim() : '';
  // `__data_loc char[] name`: the [] belongs to the type, not the field.
  if (isDataLoc) type = type.replace(/\[\]$/, '').trim();
  return { type, name, isDataLoc, isRelativeLoc, ...(arrayLength !== undefined ? { arrayLength } : {}) };
}

/** Parses a tracefs `format` file. Fields before the first blank line of the block are common. */
export function parseTracepointFormat(text: string): TracepointFormat {
  const lines = text.split('\n');
  let name = '';
  let id = -1;
  let printFormat = '';
  let common = true;
  let inFormat = false;
  let sawField = false;
  const fields: TracepointField[] = [];
  for (const line of lines) {
    if (line.startsWith('name:')) name = line.slice(5).trim();
    else if (line.startsWith('ID:')) id = Number(line.slice(3).trim());
    else if (line.startsWith('format:')) inFormat = true;
    else if (line.startsWith('print fmt:')) {
      printFormat = line.slice('print fmt:'.length).trim();
      inFormat = false;
    } else if (inFormat && line.trim() === '') {
      if (sawField) common = false;
    } else if (inFormat) {
      const match = fieldLine.exec(line);
      if (!match) continue;
      sawField = true;
      const declaration = match[1]!.trim();
      fields.push({
        ...parseDeclaration(declaration),
        declaration,
        offset: Number(match[2]),
        size: Number(match[3]),
        signed: match[4] === '1',
        common,
      });
    }
  }
  return { name, id, fields, printFormat };
}
