// Issue 9, part 3: when the kernel rejects a program anyway, the CLI names the script span that
// produced the failing instruction — file:line:col, the source line, a caret — with the verifier's
// one-line reason, and `-v` adds the kernel's whole log. Through the real CLI and verifier.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verifierReason } from '../../src/cli/failure.js';
import { runCli } from '../cli/cli-process.js';
import { stackTrace } from './kernel-objects.js';

test('an endless loop: the caret under the while statement, the reason, and how to see more', async () => {
  const program = 'BEGIN { while (1) { } }';
  const result = await runCli(['-e', program]);
  assert.is(result.code, 1);
  assert.is(result.stdout, '');
  const [location, line, caret, ...rest] = result.stderr.split('\n');
  assert.is(location, 'stdin:1:9-22: ERROR: the kernel\'s verifier rejected program BEGIN: infinite loop detected at insn 0');
  assert.is(line, program);
  assert.is(caret, `${' '.repeat(8)}${'~'.repeat(13)}`);
  assert.ok(rest.includes('HINT: run with -v for the kernel\'s full verifier log'), result.stderr);
  assert.not.match(result.stderr, stackTrace);
});

test('in a script file, on line 3: the location names the file and the line', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tsbpf-verifier-'));
  const file = join(directory, 'loops.bt');
  writeFileSync(file, 'BEGIN {\n  $i = 0;\n  while ($i >= 0) { $i++; }\n}\n');
  const result = await runCli([file]);
  assert.is(result.code, 1);
  const [location, line, caret] = result.stderr.split('\n');
  assert.match(location!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+(-\\d+)?: ERROR: the kernel's verifier rejected program BEGIN: BPF program is too large\\. Processed \\d+ insn`));
  assert.is(line, '  while ($i >= 0) { $i++; }');
  const column = Number(/:3:(\d+)/.exec(location!)![1]);
  assert.is(caret!.search(/[~^]/) + 1, column, 'the caret starts at the reported column');
  assert.match(result.stderr, /^HINT: the program is too large/m);
});

test('-v: the same location and reason, then the kernel\'s whole log', async () => {
  const result = await runCli(['-v', '-e', 'BEGIN { while (1) { } }']);
  assert.is(result.code, 1);
  assert.match(result.stderr, /^stdin:1:9-22: ERROR: the kernel's verifier rejected program BEGIN: infinite loop detected at insn 0$/m);
  const log = result.stderr.slice(result.stderr.indexOf('Kernel error log:\n'));
  assert.ok(log.length > 0, result.stderr);
  assert.match(log, /^0: \(05\) goto pc-1$/m, 'the instructions the verifier walked');
  assert.match(log, /^infinite loop detected at insn 0$/m);
  assert.match(log, /^processed \d+ insns/m);
  assert.not.match(result.stderr, /HINT: run with -v/);
});

test('verifierReason picks the reason out of state dumps, statistics and instructions', () => {
  assert.is(verifierReason([
    '0: R1=ctx() R10=fp0', '0: (05) goto pc-1', 'infinite loop detected at insn 0', 'cur state: R1=ctx() R10=fp0', 'old state: R1=ctx() R10=fp0',
    'verification time 50 usec', 'stack depth 0', 'processed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0',
  ]), 'infinite loop detected at insn 0');
  assert.is(verifierReason(['5: (85) call bpf_map_lookup_elem#1', 'R2 type=ctx expected=fp', 'processed 5 insns']), 'R2 type=ctx expected=fp');
  assert.is(verifierReason(['3: (79) r0 = *(u64 *)(r1 +0)', 'R1 invalid mem access \'scalar\'', 'processed 4 insns']), 'R1 invalid mem access \'scalar\'');
  assert.is(verifierReason(['7: R0=scalar() R6=1', 'R6=1 R10=fp0 fp-8=mmmmmmmm', 'BPF program is too large. Processed 1000001 insn', 'processed 1000001 insns']), 'BPF program is too large. Processed 1000001 insn');
  assert.is(verifierReason(['processed 3 insns']), undefined);
});

test.run();
