// `uprobe:dir/prog:fn`: a target path without a leading `/` or `.` is relative to the working
// directory (as in bpftrace), and `probe` keeps it as written.
import { basename, dirname } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../support/parse.js';
import { run } from '../e2e/harness.js';
import { needs } from '../support/skip.js';
import { buildTarget, runCalls, targetNeeds } from './target.js';

test('the lexer keeps a relative uprobe path whole, and a predicate after a tracepoint still ends it', () => {
  const uprobe = parse('uprobe:testprogs/uprobe_test:f { }', 'test.bt');
  assert.equal(uprobe.diagnostics, []);
  assert.is(uprobe.program!.probes[0]!.attachPoints[0]!.raw, 'uprobe:testprogs/uprobe_test:f');
  const usdt = parse('usdt:bin/app:provider:probe { }', 'test.bt');
  assert.is(usdt.program!.probes[0]!.attachPoints[0]!.raw, 'usdt:bin/app:provider:probe');
  const predicate = parse('tracepoint:syscalls:sys_enter_read/pid == 1/ { }', 'test.bt');
  assert.equal(predicate.diagnostics, []);
  assert.ok(predicate.program!.probes[0]!.predicate);
});

needs(test, 'a relative target resolves against the working directory and fires', targetNeeds, async () => {
  const target = buildTarget('O0');
  const relative = `${basename(dirname(target))}/${basename(target)}`;
  const previous = process.cwd();
  process.chdir(dirname(dirname(target)));
  try {
    const result = await run(`uprobe:${relative}:tsbpf_add { printf("%s %s %d\\n", probe, func, arg0); }`, { trigger: () => runCalls(target, 2) });
    // `probe` keeps the path as written, as bpftrace's does.
    assert.is(result.stdout, `uprobe:${relative}:tsbpf_add tsbpf_add 1\nuprobe:${relative}:tsbpf_add tsbpf_add 2\n\n\n`);
  } finally {
    process.chdir(previous);
  }
});

test.run();
