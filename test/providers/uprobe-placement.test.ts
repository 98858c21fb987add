// Where a uprobe may go, as the tsbpf command reports it (stderr and exit code), in today's
// bpftrace's words: an address in no function, a function of size 0, an offset past the function or
// inside an instruction, a uretprobe inside a function; missing_probes="warn" turns each into
// warnings and runs without the probe, and --unsafe places the probe anyway.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { ElfFile, SectionType, SegmentType } from '../../src/elf/index.js';
import { cliPath, lines, runCli, startCli } from '../cli/cli-process.js';
import { compileErrors, compileScript } from '../e2e/harness.js';
import { buildElf, symbolSections } from '../elf/build-elf.js';
import { readelfSymbols } from '../elf/tools.js';
import { file, needs } from '../support/skip.js';
import { buildTarget, runCalls, targetNeeds } from './target.js';

const target = targetNeeds.every((requirement) => requirement.present) ? buildTarget('O0') : '';
const maybe = (name: string, handler: () => unknown): void => needs(test, name, targetNeeds, handler as () => Promise<void>);
const symbol = (name: string) => readelfSymbols(target, 'symtab').find((candidate) => candidate.name === name)!;

const setWarn = "If this is expected, set the 'missing_probes' config variable to 'warn'.";
const unsafeHint = 'Use --unsafe to force attachment. WARNING: This option could lead to data corruption in the target process.';

/** The diagnostic block tsbpf prints for a one-line `-e` program: location, message lines, the line, the caret. */
function located(severity: 'ERROR' | 'WARNING', program: string, point: string, message: string): string {
  const column = program.indexOf(point) + 1;
  return `stdin:1:${column}-${column + point.length}: ${severity}: ${message}\n${program}\n${' '.repeat(column - 1)}${'~'.repeat(point.length)}\n`;
}

/** What tsbpf prints (and its exit code) for an attach point it cannot place: the reason, then `Unable to attach probe`. */
async function assertCannotAttach(point: string, reason: string, name = point): Promise<void> {
  const program = `${point} { printf("never\\n"); }`;
  const result = await runCli(['-e', program]);
  assert.is(result.stderr, located('ERROR', program, point, reason) + located('ERROR', program, point, `Unable to attach probe: ${name}. ${setWarn}`));
  assert.is(result.code, 1);
  assert.is(result.stdout, '');
}

needs(test, 'uprobe:/bin/bash:10 (no function there): Could not resolve address: /bin/bash:0xa', [file('/bin/bash')], async () => {
  await assertCannotAttach('uprobe:/bin/bash:10', 'Could not resolve address: /bin/bash:0xa');
});

maybe('an address in no function of the binary: the address in hex, the probe named in decimal', async () => {
  await assertCannotAttach(`uprobe:${target}:10`, `Could not resolve address: ${target}:0xa`);
});

maybe('a function of size 0 (_init): Could not determine boundary, with the --unsafe hint; --unsafe attaches there', async () => {
  assert.is(symbol('_init').size, 0, 'the C runtime\'s _init has no size');
  await assertCannotAttach(`uprobe:${target}:_init`, `Could not determine boundary for _init (symbol has size 0).\n${unsafeHint}`);
  // By address too: the symbol starting there is found even without a size.
  await assertCannotAttach(`uprobe:${target}:${symbol('_init').value}`, `Could not determine boundary for _init (symbol has size 0).\n${unsafeHint}`);
  const running = startCli(['--unsafe', '-e', `uprobe:${target}:_init { printf("init %s\\n", func); exit(); }`]);
  await running.waitFor('Attached 1 probe');
  runCalls(target, 1); // the dynamic loader runs _init before main
  const result = await running.result;
  assert.is(result.stdout, 'init _init\n\n\n');
  assert.is(result.stderr, 'Attached 1 probe\n');
  assert.is(result.code, 0);
});

maybe('an offset past the function: Offset outside the function bounds, with its size', async () => {
  const size = symbol('tsbpf_add').size;
  await assertCannotAttach(`uprobe:${target}:tsbpf_add+1000000`, `Offset outside the function bounds ('tsbpf_add' size is ${size})`);
  await assertCannotAttach(`uprobe:${target}:tsbpf_add+${size}`, `Offset outside the function bounds ('tsbpf_add' size is ${size})`);
});

maybe('an offset inside an instruction is refused (the walk from the function start decodes x86); --unsafe warns and attaches', async () => {
  // -O0 without CET: push %rbp (1 byte) then mov %rsp,%rbp (3 bytes): +2 is inside the mov.
  await assertCannotAttach(`uprobe:${target}:tsbpf_add+2`, `Could not add uprobe into middle of instruction: ${target}:tsbpf_add+2\n${unsafeHint}`);
  const point = `uprobe:${target}:tsbpf_add+2`;
  const program = `${point} { } interval:ms:50 { exit(); }`;
  const result = await runCli(['--unsafe', '-e', program]);
  assert.is(result.stderr, located('WARNING', program, point, `Unsafe uprobe in the middle of the instruction: ${target}:tsbpf_add+2`) + 'Attached 2 probes\n');
  assert.is(result.code, 0);
  // +1 and +4 start instructions: they attach without a word.
  const aligned = await runCli(['-e', `uprobe:${target}:tsbpf_add+1, uprobe:${target}:tsbpf_add+4 { } interval:ms:50 { exit(); }`]);
  assert.is(aligned.stderr, 'Attached 3 probes\n');
});

maybe('a uretprobe at an address inside a function: uretprobes cannot be attached at function offset', async () => {
  const address = symbol('tsbpf_add').value + 1n;
  await assertCannotAttach(`uretprobe:${target}:${address}`, 'uretprobes cannot be attached at function offset. (address resolved to: tsbpf_add+1)');
});

maybe('missing_probes = "warn": both lines are warnings (the second ends "Skipping."), and the session runs without the probe', async () => {
  const point = `uprobe:${target}:10`;
  const program = `config = { missing_probes = "warn" } ${point} { printf("never\\n"); } uprobe:${target}:tsbpf_add { printf("hit %d\\n", arg0); exit(); }`;
  const running = startCli(['-e', program]);
  await running.waitFor('Attached 1 probe');
  runCalls(target, 1);
  const result = await running.result;
  assert.is(result.stderr, located('WARNING', program, point, `Could not resolve address: ${target}:0xa`)
    + located('WARNING', program, point, `Unable to attach probe: ${point}. Skipping.`) + 'Attached 1 probe\n');
  assert.is(result.stdout, 'hit 1\n\n\n');
  assert.is(result.code, 0);
  // "ignore" says nothing; BPFTRACE_MISSING_PROBES sets it too.
  const ignored = await runCli(['-e', `config = { missing_probes = "ignore" } ${point} { } interval:ms:50 { exit(); }`]);
  assert.is(ignored.stderr, 'Attached 1 probe\n');
  const fromEnvironment = spawnSync(process.execPath, [cliPath, '-e', `${point} { } interval:ms:50 { exit(); }`], {
    env: { ...process.env, BPFTRACE_MISSING_PROBES: 'warn' }, encoding: 'utf8',
  });
  assert.match(fromEnvironment.stderr, `WARNING: Unable to attach probe: ${point}. Skipping.\n`);
  assert.is(fromEnvironment.status, 0);
});

maybe('--unsafe: an address in no function is placed anyway, with bpftrace\'s warning', async () => {
  const point = `uprobe:${target}:10`;
  const program = `${point} { } interval:ms:50 { exit(); }`;
  const result = await runCli(['--unsafe', '-e', program]);
  assert.equal(lines(result.stderr), [
    ...lines(located('WARNING', program, point, `Could not determine instruction boundary for ${point} (binary appears stripped). Misaligned probes can lead to tracee crashes!`)),
    'Attached 2 probes',
  ]);
  assert.is(result.code, 0);
});

/**
 * A small ELF (written here, not compiled) whose functions show what a compiler's do not: `f` (push
 * %rbp; mov %rsp,%rbp; pop %rbp; ret), `g` with a byte no x86-64 instruction starts with, and
 * `outside`, a function symbol no loaded segment holds.
 */
function syntheticBinary(): string {
  const f = [0x55, 0x48, 0x89, 0xe5, 0x5d, 0xc3];
  const g = [0x90, 0x06, 0x90, 0xc3];
  const build = (text: bigint) => buildElf([
    ...symbolSections([
      { name: 'f', value: text, size: f.length }, { name: 'g', value: text + BigInt(f.length), size: g.length }, { name: 'outside', value: 0x40000n, size: 4 },
    ]),
    { name: '.text', type: SectionType.ProgBits, data: Uint8Array.from([...f, ...g]), address: text },
  ], [{ type: SegmentType.Load, flags: 5, offset: 0, address: 0n, fileSize: 0x1000, memorySize: 0x1000 }]);
  // Addresses equal file offsets (one segment from 0): where .text lands decides the symbols' values.
  const text = ElfFile.fromBytes(build(0n)).section('.text')!.offset;
  const path = join(mkdtempSync(join(tmpdir(), 'tsbpf-placement-')), 'synthetic');
  writeFileSync(path, build(BigInt(text)), { mode: 0o755 });
  return path;
}

test('checks a compiler\'s binaries do not show: inside an instruction, an undecodable byte, a symbol in no segment', () => {
  const binary = syntheticBinary();
  const reasons = (point: string, unsafe = false) => lines(compileErrors(`${point} { } BEGIN { }`, unsafe ? { unsafe } : {}))
    .filter((line) => !line.startsWith(point) && !/^ *~+$/.test(line));
  const unable = (name: string) => `test.bt:1:1-${name.length + 1}: ERROR: Unable to attach probe: ${name}. ${setWarn}`;
  const at = (name: string) => `test.bt:1:1-${name.length + 1}: ERROR: `;
  assert.equal(reasons(`uprobe:${binary}:f+2`), [`${at(`uprobe:${binary}:f+2`)}Could not add uprobe into middle of instruction: ${binary}:f+2`, unsafeHint, unable(`uprobe:${binary}:f+2`)]);
  assert.equal(reasons(`uprobe:${binary}:g+2`), [`${at(`uprobe:${binary}:g+2`)}Failed to check if uprobe is in proper place: ${binary}:g+2`, unsafeHint, unable(`uprobe:${binary}:g+2`)]);
  assert.equal(reasons(`uprobe:${binary}:outside`), [`${at(`uprobe:${binary}:outside`)}Could not resolve symbol: ${binary}:outside`, unable(`uprobe:${binary}:outside`)]);
  // +1 and +4 start instructions; --unsafe places what cannot be checked, with a warning.
  for (const point of [`uprobe:${binary}:f+1`, `uprobe:${binary}:f+4`]) assert.ok(compileScript(`${point} { }`), point);
  const unchecked = compile(`uprobe:${binary}:g+2 { }`, { fileName: 'test.bt', unsafe: true });
  assert.ok(unchecked.script);
  assert.equal(unchecked.diagnostics.map((diagnostic) => `${diagnostic.severity}: ${diagnostic.message}`), [`warning: Unchecked uprobe: ${binary}:g+2`]);
});

test.run();
