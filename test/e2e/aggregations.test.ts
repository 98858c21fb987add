// Aggregation functions end to end (see cases/aggregations.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { aggregationCases } from './cases/aggregations.js';

defineCases(aggregationCases);
test.run();
