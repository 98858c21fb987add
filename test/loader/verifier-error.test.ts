// VerifierError on logs captured from this kernel (test/loader/logs, see capture-logs.ts). No kernel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { failingInstruction, splitLog, summarizeLog, VerifierError } from '../../src/loader/verifier-error.js';

const logsDirectory = fileURLToPath(new URL('../../../test/loader/logs/', import.meta.url));
const storedLog = (name: string) => readFileSync(`${logsDirectory}${name}.log`, 'utf8');
const EACCES = 13;

test('R0 !read_ok: summary pairs the exit instruction with the complaint; index of the exit', () => {
  const error = new VerifierError({ programName: 'BEGIN_1', errno: EACCES, logText: storedLog('r0-not-initialized') });
  assert.equal(error.summary, ['1: (95) exit', 'R0 !read_ok']);
  assert.is(error.instructionIndex, 1);
  assert.is(error.code, 'EACCES');
  assert.is(error.log.length, 5);
  assert.is(error.log[4]!.startsWith('processed 2 insns'), true);
  assert.is(error.omittedLineCount, 2);
  assert.is(error.message, 'load program BEGIN_1: EACCES: 1: (95) exit: R0 !read_ok (2 line(s) omitted)');
  assert.equal(error.hints, []);
});

test('R0 !read_ok on one path: the last instruction line wins, not the branch', () => {
  const error = new VerifierError({ programName: 'p', errno: EACCES, logText: storedLog('r0-on-one-path') });
  assert.equal(error.summary, ['3: (95) exit', 'R0 !read_ok']);
  assert.is(error.instructionIndex, 3);
});

test('missing NULL check: the dereference and the map_value_or_null complaint', () => {
  const error = new VerifierError({ programName: 'p', errno: EACCES, logText: storedLog('map-value-or-null') });
  assert.equal(error.summary, ['6: (79) r0 = *(u64 *)(r0 +0)', "R0 invalid mem access 'map_value_or_null'"]);
  assert.is(error.instructionIndex, 6);
  assert.is(error.omittedLineCount, 6);
});

test('invalid bpf_context access pulls in the instruction before it', () => {
  const error = new VerifierError({ programName: 'p', errno: EACCES, logText: storedLog('bad-context-access') });
  assert.equal(error.summary, ['0: (79) r0 = *(u64 *)(r1 +200)', 'invalid bpf_context access off=200 size=8']);
  assert.is(error.instructionIndex, 0);
});

test('a self-contained last line stands alone', () => {
  const stack = new VerifierError({ programName: 'p', errno: EACCES, logText: storedLog('stack-out-of-bounds') });
  assert.equal(stack.summary, ['invalid write to stack R10 off=-520 size=8']);
  assert.is(stack.instructionIndex, 0);
  const helper = new VerifierError({ programName: 'p', errno: 22, logText: storedLog('helper-not-allowed') });
  assert.equal(helper.summary, ['program of this type cannot use helper bpf_skb_store_bytes#9']);
  assert.is(helper.code, 'EINVAL');
  assert.equal(helper.hints, [], 'a non-empty log needs no attribute hint');
});

test('a raw buffer is cut at the NUL and trailing blank lines dropped', () => {
  const lines = splitLog('0: (95) exit\nR0 !read_ok\nprocessed 1 insns\n\n\0garbage after the NUL');
  assert.equal(lines, ['0: (95) exit', 'R0 !read_ok', 'processed 1 insns']);
  assert.equal(summarizeLog(lines), ['0: (95) exit', 'R0 !read_ok']);
  assert.is(failingInstruction(lines), 0);
  assert.equal(summarizeLog([]), []);
  assert.is(failingInstruction(['no instructions here']), undefined);
});

test('tab-indented continuation lines are paired with the line before', () => {
  assert.equal(summarizeLog(['5: (85) call bpf_probe_read#4', 'R2 min value is negative', '\tusing a signed value']), ['R2 min value is negative', '\tusing a signed value']);
});

test('errno hints: EPERM with an empty log mentions privileges and trampolines', () => {
  const error = new VerifierError({ programName: 'fentry_x', errno: 1, logText: '' });
  assert.equal(error.summary, []);
  assert.is(error.instructionIndex, undefined);
  assert.match(error.message, /^load program fentry_x: EPERM \(/);
  assert.ok(error.hints.some((hint) => /CAP_BPF/.test(hint)));
  assert.ok(error.hints.some((hint) => /trampolines/.test(hint)));
});

test('errno hints: EINVAL with an empty log points at the load attributes; E2BIG at size; ENOSPC at the log', () => {
  assert.match(new VerifierError({ programName: 'p', errno: 22, logText: '' }).hints.join(), /expected attach type/);
  assert.match(new VerifierError({ programName: 'p', errno: 7, logText: '' }).hints.join(), /too large/);
  const truncated = new VerifierError({ programName: 'p', errno: 28, logText: storedLog('r0-not-initialized'), truncated: true });
  assert.is(truncated.truncated, true);
  assert.match(truncated.hints.join(), /did not fit/);
});

test.run();
