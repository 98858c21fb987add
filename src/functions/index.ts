// The language's functions as a table by name: what compile() gives the checker and codegen, and the
// session the runtime. The records are listed in all.ts.
import * as records from './all.js';

/**
 * Typed through `records` so that the published declarations reach every record file: output
 * functions declare their events and ring-buffer descriptions there (declaration merging).
 */
export const functionTable: ReadonlyMap<string, (typeof records)[keyof typeof records]> = new Map(Object.values(records).map((record) => [record.name, record]));
