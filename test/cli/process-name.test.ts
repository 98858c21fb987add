// The tsbpf process is called tsbpf: in ps (with its arguments) and in the comm its own probes see.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, startCli } from './cli-process.js';

test('BEGIN sees comm "tsbpf": the tool itself is tsbpf, not node', async () => {
  const result = await runCli(['-e', 'BEGIN { printf("%s\\n", comm); exit(); }']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout.split('\n').filter((line) => line && !line.startsWith('Attaching'))[0], 'tsbpf');
});

test('ps shows tsbpf with its arguments; /proc/PID/comm is tsbpf', async () => {
  const running = startCli(['-e', 'BEGIN { printf("ready\\n"); } interval:s:30 { exit(); }']);
  await running.waitFor('ready', 'stdout');
  const pid = running.child.pid!;
  const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
  running.child.kill('SIGINT');
  await running.result;
  assert.is(comm, 'tsbpf');
  assert.ok(commandLine.startsWith('tsbpf -e BEGIN'), commandLine);
});

test.run();
