// Timer and software-event probes, and BEGIN/END order. Idle CPUs may take no profile samples, so the
// counted CPU runs a busy loop (the traced program's `spin` mode, pinned), which reports the CPU time
// it really got: on a loaded machine that is less than the wall time, and the expected sample counts
// follow it. Interval periods are measured with the kernel's clock (nsecs), not the test's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { onlineCpus } from '../../src/loader/cpus.js';
import { run } from '../e2e/harness.js';
import { absent, needs } from '../support/skip.js';
import { buildTarget, spin, targetNeeds } from './target.js';

const target = absent(targetNeeds) ? '' : buildTarget('O2');
const maybe = (name: string, handler: () => unknown): void => needs(test, name, targetNeeds, handler as () => Promise<void>);
/** The spinning program's comm: its file name cut to 15 characters. */
const spinnerComm = 'providers-target-O2'.slice(0, 15);

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** `@[key]: value` lines of a printed map, as numbers. */
function mapValues(stdout: string): Map<number, number> {
  const values = new Map<number, number>();
  for (const match of stdout.matchAll(/^@\[(\d+)\]: (\d+)$/gm)) values.set(Number(match[1]), Number(match[2]));
  return values;
}

/** Sample counts wobble with scheduling: within 40% (and 5 samples) of the expected number. */
function assertAbout(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= expected * 0.4 + 5, `${what}: ${actual} samples, expected about ${expected.toFixed(0)}`);
}

test('interval:ms:100 fires with a 100 ms period, on CPU 0', async () => {
  const result = await run('interval:ms:100 { printf("%d %lu\\n", cpu, nsecs); }', { trigger: () => sleep(1000) });
  const fires = result.stdout.trim().split('\n').map((line) => line.split(' '));
  assert.ok(fires.length >= 5, `${fires.length} fires in 1 s`);
  assert.equal([...new Set(fires.map(([cpu]) => cpu))], ['0']);
  // The periods as the kernel's clock saw them: a loaded machine may delay a fire, never shorten one,
  // so the period is the one asked for (100 ms, not 10 or 1000). How precise it is, is for the bench.
  const periods = fires.slice(1).map(([, nsecs], index) => Number(BigInt(nsecs!) - BigInt(fires[index]![1]!)) / 1e6).sort((a, b) => a - b);
  assert.ok(periods[0]! > 95, `shortest period ${periods[0]} ms of ${periods.join(', ')}`);
  assert.ok(periods.filter((period) => period < 150).length >= periods.length / 2, `most periods near 100 ms: ${periods.join(', ')}`);
});

maybe('profile:hz:99 samples each CPU at 99 Hz of the time a task runs there', async () => {
  const cpus = onlineCpus();
  const cpuMilliseconds = new Map<number, number>();
  const result = await run(`profile:hz:99 /comm == "${spinnerComm}"/ { @[cpu] = count(); }`, {
    trigger: () => {
      for (const cpu of cpus) cpuMilliseconds.set(cpu, spin(target, cpu, 500));
    },
    timeoutMs: 5000 + 500 * cpus.length,
  });
  const counts = mapValues(result.stdout);
  const context = `${JSON.stringify(result.stdout)}, CPU ms ${JSON.stringify([...cpuMilliseconds])}`;
  assert.equal([...counts.keys()].sort(), [...cpus].sort(), context);
  for (const [cpu, samples] of counts) assertAbout(samples, (cpuMilliseconds.get(cpu)! * 99) / 1000, `CPU ${cpu} (${context})`);
});

maybe('software:cpu-clock:1000000 runs once per millisecond of CPU time', async () => {
  let cpuMilliseconds = 0;
  const result = await run(`software:cpu-clock:1000000 /comm == "${spinnerComm}"/ { @ = count(); }`, { trigger: () => (cpuMilliseconds = spin(target, 0, 300)) });
  assertAbout(Number(/^@: (\d+)$/m.exec(result.stdout)?.[1]), cpuMilliseconds, 'cpu-clock');
});

test('several BEGIN and END probes run in the order of the script', async () => {
  const result = await run(`
    END { printf("end 1\\n"); }
    BEGIN { printf("begin 1\\n"); }
    END { printf("end 2\\n"); }
    BEGIN { printf("begin 2\\n"); exit(); }`, { awaitExit: true });
  assert.is(result.stdout, 'begin 1\nbegin 2\nend 1\nend 2\n\n\n');
});

test.run();
