// Builtin variables end to end (see cases/builtins.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { builtinCases } from './cases/builtins.js';

defineCases(builtinCases);
test.run();
