// examples/bcc-opens*.tsbpf: files opened, printed with uid and name, counted per uid. The kprobe
// version needs CONFIG_KPROBES, which this kernel lacks: it must fail with a clear error naming the
// tracepoint to use instead, which is the other version.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { self } from '../e2e/harness.js';
import { exampleDiagnostics, mapEntries, runCommand, startExample, testUid } from './example-run.js';

const directory = mkdtempSync(join(tmpdir(), 'tsbpf-opens-'));
chmodSync(directory, 0o755);
const marker = join(directory, 'marker');
writeFileSync(marker, 'opened by the bcc-opens test\n', { mode: 0o644 });

function line(uid: number, comm: string, file: string): string {
  return `${String(uid).padEnd(7)} ${comm.padEnd(16)} ${file}`;
}

async function checkOpens(name: string): Promise<void> {
  const example = startExample(name);
  try {
    for (let index = 0; index < 3; index++) closeSync(openSync(marker, 'r'));
    await runCommand('/bin/cat', [marker], { uid: testUid.first });
  } finally {
    await example.stop();
  }
  const output = example.output();
  const lines = output.split('\n');
  assert.is(lines.filter((text) => text === line(self.uid, self.comm, marker)).length, 3, output.slice(-2000));
  assert.is(lines.filter((text) => text === line(testUid.first, 'cat', marker)).length, 1, output.slice(-2000));
  // Every open of the other user (the loader's, then cat's) printed a line and counted once.
  const printed = lines.filter((text) => text.startsWith(`${String(testUid.first).padEnd(7)} `)).length;
  assert.is(mapEntries(output, 'opens')[String(testUid.first)], printed);
}

test('bcc-opens: each open prints uid, command and file name, and @opens counts them per uid', async () => {
  await checkOpens('bcc-opens.tsbpf');
});

// The kprobe PMU, or tracefs kprobe_events, is what a kernel with CONFIG_KPROBES offers.
const hasKprobes = existsSync('/sys/bus/event_source/devices/kprobe') || existsSync('/sys/kernel/tracing/kprobe_events');

test('bcc-opens-kprobe: without kprobes, a clear error that points at the tracepoint', async () => {
  if (hasKprobes) {
    await checkOpens('bcc-opens-kprobe.tsbpf');
    return;
  }
  assert.is(exampleDiagnostics('bcc-opens-kprobe.tsbpf'), [
    'examples/bcc-opens-kprobe.tsbpf:6:1-19: ERROR: kprobe:do_sys_open: this kernel cannot attach kprobes: it has no kprobe PMU and no tracefs kprobe_events (it was built without CONFIG_KPROBES)',
    'kprobe:do_sys_open',
    '~~~~~~~~~~~~~~~~~~',
    'HINT: the nearest tracepoint is tracepoint:syscalls:sys_enter_openat',
    '',
  ].join('\n'));
});

test.run();
