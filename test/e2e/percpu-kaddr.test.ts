// percpu_kaddr(): per-CPU kernel variables through their BTF ids, checked against what the kernel
// itself says: the runqueue of CPU n records n as its cpu, this CPU's copy is the one indexed by cpu,
// and a CPU the machine does not have gives NULL. Also bpftrace's call/percpu_kaddr cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { availableParallelism } from 'node:os';
import { compileErrors, run } from './harness.js';
import { feature, kernelBtf, needs } from '../support/skip.js';
import { liveHost } from '../../src/host/live.js';

// The kernel places a per-CPU variable through kallsyms, which lists data symbols only with CONFIG_KALLSYMS_ALL.
const kallsymsData = feature('per-CPU variables in /proc/kallsyms (CONFIG_KALLSYMS_ALL)', liveHost().kernelSymbolAddress('runqueues') !== undefined);

needs(test, 'process_counts on CPU 0, and this CPU\'s copy is the one percpu_kaddr(name, cpu) gives', [kernelBtf, kallsymsData], async () => {
  const { stdout } = await run(`BEGIN {
    printf("processes: %d\\n", *percpu_kaddr("process_counts", 0));
    if (*percpu_kaddr("process_counts") == *percpu_kaddr("process_counts", cpu)) { printf("SUCCESS\\n"); }
    exit();
  }`);
  assert.match(stdout, /^processes: -?\d+\nSUCCESS\n/);
});

needs(test, 'struct rq through a cast: each CPU\'s runqueue says which CPU it is; past the last CPU, NULL', [kernelBtf, kallsymsData], async () => {
  const cpus = Math.min(availableParallelism(), 2);
  const { stdout } = await run(`BEGIN {
    ${Array.from({ length: cpus }, (_, index) => `$r${index} = (struct rq *)percpu_kaddr("runqueues", ${index}); if ($r${index} != 0) { printf("%d %d\\n", $r${index}.cpu, $r${index}.nr_running >= 0); }`).join('\n    ')}
    printf("%d\\n", percpu_kaddr("runqueues", 100000) == 0);
    exit();
  }`);
  assert.is(stdout.split('\n\n')[0], `${Array.from({ length: cpus }, (_, index) => `${index} 1`).join('\n')}\n1\n`);
});

needs(test, 'a name that is no per-CPU variable in BTF is an error at the name', [kernelBtf], () => {
  assert.match(compileErrors('BEGIN { print(*percpu_kaddr("no_such_variable")); }'), /Could not resolve variable "no_such_variable" from BTF/);
});

needs(test, 'a kernel that cannot place per-CPU variables says so at the name, before loading', [kernelBtf, feature('a kernel without per-CPU variables in /proc/kallsyms', !kallsymsData.present)], () => {
  assert.match(compileErrors('BEGIN { print(*percpu_kaddr("runqueues", 0)); }'), /percpu_kaddr\(\): this kernel cannot place "runqueues": it is not in \/proc\/kallsyms \(the kernel was built without CONFIG_KALLSYMS_ALL\)/);
});

test.run();
