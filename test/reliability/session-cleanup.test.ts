// The library's side of clean exits: a session that fails while starting (an attach that the kernel
// refuses) or while running (a record that cannot be shown, output that cannot be written) releases
// every descriptor it opened, reports the failure as a value, and still prints the maps if it can.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { startSession } from '../../src/index.js';
import { heldObjects, type HeldObjects } from './kernel-objects.js';

function compiled(source: string): CompiledScript {
  const result = compile(source, { fileName: 'test.bt' });
  if (!result.script) throw new Error(`does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.script;
}

/** `promise`'s value, or -1 if it takes longer than `ms`. */
async function within(promise: Promise<number>, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(-1), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function counts(held: HeldObjects) {
  return { programs: held.programs.length, maps: held.maps.length, links: held.links.length, perfEvents: held.perfEvents };
}

test('a record that cannot be shown ends the run with the failure; the maps still print; every fd is closed', async () => {
  const before = counts(heldObjects('self'));
  const script = compiled('BEGIN { @kept = 7; printf("%s\\n", ksym(0)); } tracepoint:sched:sched_switch { @switches = count(); }');
  let stdout = '';
  const session = startSession(script, {
    banner: false,
    output: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => {} } },
    resolver: {
      stackFrames: () => [],
      symbolName: () => {
        throw new Error('symbol table unreadable');
      },
      userSymbolName: () => undefined,
    },
  });
  assert.ok(heldObjects('self').perfEvents > before.perfEvents, 'the tracepoint is attached');
  const code = await within(session.done, 3000);
  assert.is(code, 1, 'the failure ended the run by itself');
  assert.match(session.failure?.message ?? '', /symbol table unreadable/);
  assert.match(stdout, /@kept: 7\n/);
  assert.equal(counts(heldObjects('self')), before);
});

test('output that cannot be written ends the run with the failure, and every fd is closed', async () => {
  const before = counts(heldObjects('self'));
  const script = compiled('BEGIN { printf("one\\n"); } interval:ms:10 { printf("tick\\n"); }');
  const session = startSession(script, {
    banner: false,
    output: {
      stdout: {
        write: () => {
          throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        },
      },
      stderr: { write: () => {} },
    },
  });
  const code = await within(session.done, 3000);
  assert.is(code, 1);
  assert.match(session.failure?.message ?? '', /EIO/);
  assert.equal(counts(heldObjects('self')), before);
});

test('an attach the kernel refuses (the binary vanished after compiling) closes what was made before it', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-vanish-'));
  const binary = join(directory, 'bash-copy');
  copyFileSync('/bin/bash', binary);
  const script = compiled(`tracepoint:sched:sched_switch { @s = count(); } uprobe:${binary}:readline { @r = count(); }`);
  rmSync(directory, { recursive: true });
  const before = counts(heldObjects('self'));
  assert.throws(() => startSession(script, { banner: false, output: null }), /ENOENT|no such file/i);
  assert.equal(counts(heldObjects('self')), before, 'maps, programs and the tracepoint attached first are closed again');
});

test('stop() right after start, and again: one clean end, END runs once', async () => {
  const before = counts(heldObjects('self'));
  let stdout = '';
  const session = startSession(compiled('BEGIN { @n = 1; } END { printf("end\\n"); } tracepoint:sched:sched_switch { @s = count(); }'), {
    banner: false,
    output: { stdout: { write: (text: string) => (stdout += text) } },
  });
  const [first, second] = await Promise.all([session.stop(), session.stop()]);
  assert.is(first, 0);
  assert.is(second, 0);
  assert.is(stdout.split('end\n').length - 1, 1);
  assert.equal(counts(heldObjects('self')), before);
});

test.run();
