// The language's functions, one record each (type rule, lowering, output): the table compile() gives
// the checker and codegen, and the session gives the runtime. A new function is a file here and a
// line below.
import { buf } from './buf.js';
import { cat } from './cat.js';
import { clear, zero } from './clear-zero.js';
import { debugf } from './debugf.js';
import { exit } from './exit.js';
import { join } from './join.js';
import { kaddr } from './kaddr.js';
import { deleteElement, hasKey, len } from './map-elements.js';
import { ntop } from './ntop.js';
import { print } from './print.js';
import { printf } from './printf.js';
import { signal } from './signal.js';
import { kstack, ustack } from './stack.js';
import { str } from './str.js';
import { strcontains } from './strcontains.js';
import { strftime } from './strftime.js';
import { strlen } from './strlen.js';
import { strncmp } from './strncmp.js';
import { ksym, usym } from './symbols.js';
import { system } from './system.js';
import { time } from './time.js';
import type { FunctionRecord } from './record.js';

const records: readonly FunctionRecord[] = [
  printf, print, exit, clear, zero, deleteElement, hasKey, len, str,
  buf, strncmp, strcontains, strlen, time, strftime, join, cat, system, signal,
  ksym, usym, kaddr, ntop, kstack, ustack, debugf,
];

export const functionTable: ReadonlyMap<string, FunctionRecord> = new Map(records.map((record) => [record.name, record]));
