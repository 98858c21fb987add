// Where tsbpf once differed from today's bpftrace (see cases/bpftrace-parity.ts).
import { test } from 'uvu';
import { defineCases } from './case.js';
import { parityCases } from './cases/bpftrace-parity.js';

defineCases(parityCases);
test.run();
