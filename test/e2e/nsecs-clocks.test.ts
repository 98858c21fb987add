// nsecs(mode): the kernel clock the argument names (CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI),
// checked against the same clocks read in userspace around the run; numaid: the NUMA node of the CPU
// the program ran on, as sysfs lists it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { compileErrors, run } from './harness.js';

/** CLOCK_BOOTTIME in ns, to 10 ms (/proc/uptime prints hundredths of a second). */
function bootTimeNs(): bigint {
  const [seconds, hundredths] = readFileSync('/proc/uptime', 'utf8').split(' ')[0]!.split('.');
  return BigInt(seconds!) * 1_000_000_000n + BigInt(hundredths!) * 10_000_000n;
}

test('nsecs(monotonic), nsecs(boot) and nsecs(tai) read their clocks; bare nsecs is the monotonic one', async () => {
  const monotonicBefore = process.hrtime.bigint();
  const bootBefore = bootTimeNs();
  const wallBefore = BigInt(Date.now()) * 1_000_000n;
  const { stdout, stderr } = await run('BEGIN { printf("%llu %llu %llu %llu %llu\\n", nsecs(monotonic), nsecs, nsecs(), nsecs(boot), nsecs(tai)); exit(); }');
  const monotonicAfter = process.hrtime.bigint();
  const bootAfter = bootTimeNs() + 10_000_000n;
  const wallAfter = BigInt(Date.now() + 1) * 1_000_000n;
  assert.is(stderr, '');
  const [monotonic, bare, called, boot, tai] = stdout.trim().split(' ').map(BigInt) as [bigint, bigint, bigint, bigint, bigint];
  assert.ok(monotonicBefore <= monotonic && monotonic <= bare && bare <= called && called <= monotonicAfter, `monotonic ${stdout}`);
  assert.ok(bootBefore <= boot && boot <= bootAfter, `boot ${boot} in [${bootBefore}, ${bootAfter}]`);
  // TAI is UTC plus whole leap seconds (0 when the offset was never set, 37 since 2017).
  const offset = tai - wallBefore;
  const leap = (offset + 500_000_000n) / 1_000_000_000n;
  assert.ok(leap >= 0n && leap <= 37n, `TAI - UTC = ${offset} ns`);
  assert.ok(tai - leap * 1_000_000_000n >= wallBefore && tai - leap * 1_000_000_000n <= wallAfter, `tai ${tai} in [${wallBefore}, ${wallAfter}] + ${leap} s`);
});

test('nsecs() with a clock it does not know, sw_tai, or no clock word: located errors', () => {
  const unknown = compileErrors('BEGIN { print(nsecs(foo)); }');
  assert.match(unknown, 'test.bt:1:21-24: ERROR: Invalid timestamp mode: foo');
  assert.match(unknown, 'HINT: expects monotonic, boot, tai or sw_tai');
  const software = compileErrors('BEGIN { print(nsecs(sw_tai)); }');
  assert.match(software, 'test.bt:1:21-27: ERROR: nsecs(sw_tai) is not available in tsbpf');
  assert.match(software, 'use nsecs(tai)');
  assert.match(compileErrors('BEGIN { print(nsecs(1)); }'), 'nsecs() takes a clock: monotonic, boot, tai or sw_tai');
  assert.match(compileErrors('BEGIN { print(nsecs(boot, tai)); }'), 'nsecs() takes 0 to 1 argument, not 2');
});

/** The NUMA node sysfs lists `cpu` under. */
function nodeOf(cpu: number): number {
  const node = readdirSync(`/sys/devices/system/cpu/cpu${cpu}`).find((name) => /^node\d+$/.test(name));
  return node === undefined ? 0 : Number(node.slice(4));
}

test('numaid is the NUMA node of the CPU the program ran on', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("%d %d %d\\n", cpu, numaid, numaid()); @n = numaid; exit(); }');
  assert.is(stderr, '');
  const [cpu, bare, called] = stdout.split('\n')[0]!.split(' ').map(Number) as [number, number, number];
  assert.is(bare, nodeOf(cpu));
  assert.is(called, nodeOf(cpu));
  assert.ok(stdout.endsWith(`\n\n\n@n: ${nodeOf(cpu)}\n`), stdout);
  assert.match(compileErrors('BEGIN { print(numaid(0)); }'), 'numaid() takes 0 arguments, not 1');
});

test.run();
