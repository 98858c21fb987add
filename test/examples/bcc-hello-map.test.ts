// examples/bcc-hello-map.tsbpf: execs per uid, printed under the time and cleared every 2 seconds.
// Programs run as two uids no one else uses, in two periods: each print holds one period's counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapEntries, runCommand, startExample, testUid } from './example-run.js';

const timeLine = /^\d\d:\d\d:\d\d$/m;

/** The text printed after each time line. */
function periods(output: string): string[] {
  return output.split(timeLine).slice(1);
}

/** Counts of the test's uids in a period's print. */
function testCounts(period: string): Record<string, number> {
  const counts = mapEntries(period, 'execs');
  return Object.fromEntries(Object.entries(counts).filter(([uid]) => uid === String(testUid.first) || uid === String(testUid.second)));
}

test('counts per uid, printed every 2 seconds and cleared after each print', async () => {
  const example = startExample('bcc-hello-map.tsbpf');
  try {
    for (let index = 0; index < 3; index++) await runCommand('/bin/true', [], { uid: testUid.first });
    await runCommand('/bin/true', [], { uid: testUid.second });
    await example.waitFor(timeLine, 6000);
    // print() and clear() are done in userspace from the interval's records: let the clear land
    // before the second period's execs.
    await sleep(300);
    for (let index = 0; index < 2; index++) await runCommand('/bin/true', [], { uid: testUid.first });
    await example.waitFor(new RegExp(`${timeLine.source}[^]*${timeLine.source}`, 'm'), 6000);
  } finally {
    await example.stop();
  }
  const [first, second] = periods(example.output());
  assert.equal(testCounts(first!), { [testUid.first]: 3, [testUid.second]: 1 }, example.output());
  assert.equal(testCounts(second!), { [testUid.first]: 2 }, example.output());
});

test.run();
