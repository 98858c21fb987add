// Large strings and records end to end (see cases/large-values.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { largeValueCases } from './cases/large-values.js';

defineCases(largeValueCases);
test.run();
