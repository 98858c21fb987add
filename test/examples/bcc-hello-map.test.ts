// examples/bcc-hello-map.tsbpf: execs per uid, printed under the time and cleared every 2 seconds.
// Programs run as two uids no one else uses, in two periods: each print holds one period's counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionEvent } from '../../src/runtime/records.js';
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

/** Resolves at the session's next clear(@execs) event (it is published once the map is cleared). */
async function nextClear(events: AsyncIterator<SessionEvent>, timeoutMs: number): Promise<void> {
  const guard = sleep(timeoutMs).then(() => {
    throw new Error(`no clear(@execs) within ${timeoutMs} ms`);
  });
  const cleared = (async () => {
    for (;;) {
      const next = await events.next();
      if (next.done) throw new Error('the session ended before clear(@execs)');
      if (next.value.kind === 'clear' && next.value.map === '@execs') return;
    }
  })();
  await Promise.race([cleared, guard]);
}

test('counts per uid, printed every 2 seconds and cleared after each print', async () => {
  const example = startExample('bcc-hello-map.tsbpf');
  const events = example.session[Symbol.asyncIterator]();
  try {
    for (let index = 0; index < 3; index++) await runCommand('/bin/true', [], { uid: testUid.first });
    await runCommand('/bin/true', [], { uid: testUid.second });
    // print() and clear() are done in userspace from the interval's records: the second period's
    // execs start once the clear has happened (its event), not after a guessed delay.
    await nextClear(events, 6000);
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
