// Operators end to end (see cases/operators.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { operatorCases } from './cases/operators.js';

defineCases(operatorCases);
test.run();
