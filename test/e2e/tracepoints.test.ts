// Tracepoints and their arguments end to end (see cases/tracepoints.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { tracepointCases } from './cases/tracepoints.js';

defineCases(tracepointCases);
test.run();
