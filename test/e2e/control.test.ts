// Control flow end to end (see cases/control.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { controlCases } from './cases/control.js';

defineCases(controlCases);
test.run();
