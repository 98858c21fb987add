// `args` as a whole value in a tracepoint (`print(args)`, `@a = args`): the record's fields after the
// common ones, as today's bpftrace gives them (a struct named `struct _tracepoint_<category>_<event>`,
// printed `{ .dfd = -100, .filename = 0x…, … }`). Variable-length (`__data_loc`) fields have no fixed
// bytes in it and are left out. Code generation copies the record's bytes from the context.
import type { TracepointField } from '../model/probe.js';
import type { RecordField, Type } from '../model/types.js';

const made = new WeakMap<readonly TracepointField[], Type>();

/** The record, made once per tracepoint format; undefined when the tracepoint has no fixed fields. */
export function argsRecord(probeName: string, fields: readonly TracepointField[], typeOf: (field: TracepointField) => Type): Type | undefined {
  const known = made.get(fields);
  if (known) return known;
  const own = fields.filter((field) => !field.common);
  const fixed = own.filter((field) => !field.isDataLoc && !field.isRelativeLoc);
  if (fixed.length === 0) return undefined;
  const base = argsRecordBase(fields);
  const end = Math.max(...fixed.map((field) => field.offset + field.size));
  const recordFields: RecordField[] = fixed.map((field) => ({ name: field.name, type: typeOf(field), offset: field.offset - base }));
  const [, category = '', event = ''] = probeName.split(':');
  const record: Type = { kind: 'record', name: `struct _tracepoint_${category}_${event}`, size: end - base, fields: recordFields, align: 8 };
  made.set(fields, record);
  return record;
}

/** Where a tracepoint's args record starts in its context: its first field after the common ones. */
export function argsRecordBase(fields: readonly TracepointField[]): number {
  return Math.min(...fields.filter((field) => !field.common).map((field) => field.offset));
}
