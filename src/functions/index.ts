// The language's functions as a table by name: what compile() gives the checker and codegen, and the
// session the runtime. Every record exported by a module of this folder is in it (the modules are
// listed at build time in modules.generated.ts): adding a function is its file and its test.
import { modules } from './modules.generated.js';
import type { FunctionRecord } from './record.js';

/**
 * The record modules, named in the published declarations so that they reach every record file:
 * output functions declare their events and ring-buffer descriptions there (declaration merging).
 */
export type RecordModules = typeof modules;

function isRecord(value: unknown): value is FunctionRecord {
  return typeof value === 'object' && value !== null && typeof (value as FunctionRecord).name === 'string'
    && typeof (value as FunctionRecord).check === 'function' && typeof (value as FunctionRecord).lower === 'function';
}

export const functionTable: ReadonlyMap<string, FunctionRecord> = new Map(
  modules.flatMap((module) => Object.values(module)).filter(isRecord).map((record) => [record.name, record]),
);
