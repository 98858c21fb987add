// Plain maps and map functions end to end (see cases/maps.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { mapCases } from './cases/maps.js';

defineCases(mapCases);
test.run();
