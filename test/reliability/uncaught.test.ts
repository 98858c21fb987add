// An exception nothing catches while a run is going (a bug in some callback) must not kill tsbpf with
// a stack trace: the CLI's run ends the ordered way (END, the maps) and exits 1 with one ERROR line.
// In-process, through the CLI's own runProgram, so that the exception can be thrown from a timer.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseArguments, type RunRequest } from '../../src/cli/arguments.js';
import { runProgram } from '../../src/cli/run.js';
import { heldObjects } from './kernel-objects.js';

test('an uncaught exception during a run: END runs, the maps print, exit code 1, everything closed', async () => {
  const output = join(mkdtempSync(join(tmpdir(), 'tsbpf-uncaught-')), 'out.txt');
  let stderr = '';
  const io = { out: () => {}, err: (text: string) => void (stderr += text) };
  const request = parseArguments(['-q', '-o', output, '-e', 'BEGIN { @started = 1; } END { printf("end\\n"); } interval:s:60 { @never = 1; }'], io) as RunRequest;
  const before = heldObjects('self');
  const running = runProgram(request, io);
  setTimeout(() => {
    throw new Error('a callback went wrong');
  }, 300);
  const code = await running;
  assert.is(code, 1);
  assert.is(stderr, 'ERROR: internal error: a callback went wrong (set TSBPF_DEBUG=1 for details)\n');
  assert.is(readFileSync(output, 'utf8'), 'end\n\n\n@started: 1\n');
  const after = heldObjects('self');
  assert.equal([after.programs.length, after.maps.length, after.links.length, after.perfEvents], [before.programs.length, before.maps.length, before.links.length, before.perfEvents]);
  assert.is(process.listenerCount('uncaughtException'), 0, 'the handler is gone with the run');
});

test.run();
