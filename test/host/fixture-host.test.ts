// A fixture host replays what a recording host saw: compile() on it gives the same bytes, maps and
// diagnostics as on the live machine, and needs no tracefs, no kernel BTF, no kallsyms, no PMUs and no
// BPF at all (proved in a mount namespace that hides them, and the native addon too).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureHost, readHostRecord } from '../../src/host/fixture.js';
import { liveHost } from '../../src/host/live.js';
import { recordingHost, writeHostRecord } from '../../src/host/recording.js';
import { corpus, fingerprint } from '../codegen/bytecode-corpus.js';
import { feature, needs, tool } from '../support/skip.js';

const generated = 200;
const entries = await corpus(generated);
const live = entries.map((entry) => `${entry.name}\t${fingerprint(entry)}`);
const recording = recordingHost();
const recorded = entries.map((entry) => `${entry.name}\t${fingerprint(entry, recording.host)}`);
const directory = mkdtempSync(join(tmpdir(), 'tsbpf-fixture-'));
const fixture = join(directory, 'host.json.gz');
writeHostRecord(fixture, recording.record());
test.after(() => rmSync(directory, { recursive: true, force: true }));

test('a recording host changes nothing about what compile() makes', () => {
  assert.equal(recorded, live);
});

test('a fixture host read from the written record compiles the corpus to the same fingerprints', () => {
  const host = fixtureHost(readHostRecord(fixture));
  assert.equal(entries.map((entry) => `${entry.name}\t${fingerprint(entry, host)}`), live);
});

test('a fixture host unanswered question is an error naming it', () => {
  const host = fixtureHost({ version: 1, answers: {}, elfFiles: {} });
  assert.throws(() => host.tracepoints(), /no answer recorded for tracepoints/);
});

needs(test, 'compile() on a fixture host runs where tracefs, BTF, kallsyms, PMUs and the addon are hidden', [feature('root (mount namespaces)', process.getuid?.() === 0), tool('unshare')], () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const hide = [
    'mount -t tmpfs none /sys/kernel/tracing', 'mount -t tmpfs none /sys/kernel/debug', 'mount -t tmpfs none /sys/kernel/btf',
    'mount --bind /dev/null /proc/kallsyms', 'mount -t tmpfs none /sys/bus/event_source/devices', `mount -t tmpfs none ${join(root, 'build')}`,
  ];
  const check = `node -e "import('${join(root, 'dist/src/host/live.js')}').then(({ liveHost }) => { const host = liveHost(); `
    + `let tracefs = true; try { host.tracepoints(); } catch { tracefs = false; } `
    + `if (tracefs || host.kernelBtf() || host.kernelSymbolAddress('_stext') !== undefined || host.dynamicPmu('uprobe')) process.exit(3); })"`;
  const child = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
    `${hide.join(' && ')} && ${check} && exec node ${join(root, 'dist/test/host/fixture-compile.js')} ${fixture} ${generated}`,
  ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.is(child.status, 0, `the child failed (${child.status}): ${child.stderr}`);
  const result = JSON.parse(child.stdout) as { fingerprints: string[]; programs: number; addonLoaded: boolean };
  assert.is(result.addonLoaded, false);
  assert.ok(result.programs > 500, `only ${result.programs} programs compiled`);
  assert.equal(result.fingerprints, live);
});

test('liveHost answers each question once', () => {
  const host = liveHost();
  assert.is(host.tracepoints(), host.tracepoints());
  assert.is(host.kernelBtf(), host.kernelBtf());
});

test.run();
