// uprobe and uretprobe against the real kernel: a small C program built here is run while the session
// is attached, and what its functions received and returned is printed by the probes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { liveHost } from '../../src/host/live.js';
import type { Host } from '../../src/model/host.js';
import { renderDiagnostics } from '../../src/diagnostics/index.js';
import { startSession } from '../../src/index.js';
import { callGetppid, compileErrors, compileScript, run, self } from '../e2e/harness.js';
import { readelfSymbols } from '../elf/tools.js';
import { absent, needs } from '../support/skip.js';
import { buildTarget, runCalls, ServingTarget, targetNeeds } from './target.js';

const target = absent(targetNeeds) ? '' : buildTarget('O0');
const maybe = (name: string, handler: () => unknown): void => needs(test, name, targetNeeds, handler as () => Promise<void>);

maybe('uprobe reads the arguments of every call', async () => {
  const result = await run(`uprobe:${target}:tsbpf_add { printf("%s %d %d\\n", probe, arg0, arg1); }`, { trigger: () => runCalls(target, 3) });
  const name = `uprobe:${target}:tsbpf_add`;
  assert.is(result.stdout, `${name} 1 10\n${name} 2 20\n${name} 3 30\n\n\n`);
});

maybe('uretprobe reads the return value', async () => {
  const result = await run(`uretprobe:${target}:tsbpf_add { printf("%d\\n", retval); } uretprobe:${target}:tsbpf_negate { printf("%d\\n", (int32)retval); }`, {
    trigger: () => runCalls(target, 3),
  });
  assert.is(result.stdout, '11\n-1\n22\n-2\n33\n-3\n\n\n');
});

maybe('uprobe at symbol+offset fires inside the function', async () => {
  // -O0 without CET: push %rbp (1 byte), mov %rsp,%rbp (3 bytes); +4 is the first store of an argument.
  const result = await run(`uprobe:${target}:tsbpf_add+4 { printf("%s %d\\n", func, arg0); }`, { trigger: () => runCalls(target, 2) });
  assert.is(result.stdout, 'tsbpf_add 1\ntsbpf_add 2\n\n\n');
});

maybe('uprobe at a raw address (as nm shows it); the probe is named with the address in decimal, as bpftrace names it', async () => {
  const symbol = readelfSymbols(target, 'symtab').find((candidate) => candidate.name === 'tsbpf_negate')!;
  const address = `0x${symbol.value.toString(16)}`;
  const name = `uprobe:${target}:${symbol.value}`;
  const result = await run(`uprobe:${target}:${address} { printf("%s %s %d\\n", probe, func, arg0); }`, { trigger: () => runCalls(target, 2) });
  assert.is(result.stdout, `${name} tsbpf_negate 1\n${name} tsbpf_negate 2\n\n\n`);
});

maybe('without uprobe_multi, a uprobe wildcard is one attachment per function, sharing one program unless the body reads func', async () => {
  // A kernel before 6.6 (the host says so): each function gets its own perf-event uprobe.
  const host: Host = { ...liveHost(), uprobeMulti: () => false };
  const compileWithout = (source: string) => {
    const result = compile(source, { fileName: 'test.bt', host });
    assert.ok(result.script, renderDiagnostics(result.diagnostics, () => source));
    return result.script!;
  };
  const shared = compileWithout(`uprobe:${target}:tsbpf_* { @ = count(); }`);
  assert.is(shared.programs.length, 1);
  assert.equal(shared.programs[0]!.attachments.map((attachment) => attachment.name),
    ['tsbpf_add', 'tsbpf_negate', 'tsbpf_provider_gated'].map((name) => `uprobe:${target}:${name}`));
  const perFunction = compileWithout(`uprobe:${target}:tsbpf_* { @[func] = count(); }`);
  assert.is(perFunction.programs.length, 3);
  let stdout = '';
  const session = startSession(perFunction, { banner: false, output: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } } });
  try {
    runCalls(target, 3);
  } finally {
    await session.stop();
  }
  // Equal counts print in hash order.
  assert.ok(stdout.startsWith('\n\n'));
  assert.equal(stdout.trim().split('\n').sort(), ['@[tsbpf_add]: 3', '@[tsbpf_negate]: 3', '@[tsbpf_provider_gated]: 3']);
});

maybe('a comma list of uprobes and uretprobes', async () => {
  const source = `uprobe:${target}:tsbpf_add, uprobe:${target}:tsbpf_negate, uretprobe:${target}:tsbpf_negate { @[probe] = count(); }`;
  const result = await run(source, { trigger: () => runCalls(target, 2) });
  assert.equal(result.stdout.trim().split('\n').sort(),
    [`@[uprobe:${target}:tsbpf_add]: 2`, `@[uprobe:${target}:tsbpf_negate]: 2`, `@[uretprobe:${target}:tsbpf_negate]: 2`]);
  // Entry and return probes differ in context, so the block is split into one program per attach point.
  assert.is(compileScript(source.replace('@[probe]', '@')).programs.length, 3);
  assert.is(compileScript(source.replace('@[probe]', '@').replace(`, uretprobe:${target}:tsbpf_negate`, '')).programs.length, 1);
});

maybe('a library target resolves through ld.so.cache: uprobe:libc:getppid', async () => {
  const result = await run(`uprobe:libc:getppid /pid == ${self.pid}/ { @ = count(); }`, { trigger: () => callGetppid(4) });
  assert.is(result.stdout, '\n\n@: 4\n');
});

maybe('-p: a uprobe without a binary probes the process\'s executable, and fires only in it', async () => {
  const traced = new ServingTarget(target);
  const other = new ServingTarget(target);
  try {
    await traced.rounds(0);
    const source = `uprobe:tsbpf_add { printf("%d %d\\n", pid, arg0); }`;
    const result = compile(source, { fileName: 'test.bt', targetPid: traced.pid });
    assert.ok(result.script, renderDiagnostics(result.diagnostics, () => source));
    assert.is(result.script!.programs[0]!.attachments[0]!.name, `uprobe:${target}:tsbpf_add`);
    let stdout = '';
    const session = startSession(result.script!, { banner: false, output: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } } });
    try {
      await other.rounds(2);
      await traced.rounds(2);
    } finally {
      await session.stop();
    }
    assert.is(stdout, `${traced.pid} 1\n${traced.pid} 2\n\n\n`);
  } finally {
    await Promise.all([traced.close(), other.close()]);
  }
});

maybe('uprobe errors name what is missing, in bpftrace\'s words', () => {
  const point = `uprobe:${target}:no_such_*`;
  const block = `${point} { }`;
  assert.is(compileErrors(block),
    `test.bt:1:1-${point.length + 1}: ERROR: No matches for uprobe ${target}:no_such_*.\n${block}\n${'~'.repeat(point.length)}\n`
    + `test.bt:1:1-${block.length + 1}: ERROR: Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable to 'warn'.\n${block}\n${'~'.repeat(block.length)}\n`);
  assert.match(compileErrors(`uprobe:${target}:missing_function { }`), `ERROR: No matches for uprobe ${target}:missing_function.\n`);
  assert.match(compileErrors(`uprobe:${target}:tsbpf_ad { }`), '\nHINT: functions with similar names: tsbpf_add\n');
  assert.match(compileErrors('uprobe:/no/such/binary:main { }'), 'ERROR: uprobe target /no/such/binary: no such file');
  assert.match(compileErrors('uprobe:main { }'), 'ERROR: uprobe needs a binary or library, e.g. uprobe:/bin/bash:readline\n');
  const size = readelfSymbols(target, 'symtab').find((symbol) => symbol.name === 'tsbpf_add')!.size;
  assert.match(compileErrors(`uprobe:${target}:tsbpf_add+4096 { }`), `ERROR: Offset outside the function bounds ('tsbpf_add' size is ${size})\n`);
  assert.match(compileErrors(`uprobe:${target}:tsbpf_add { retval }`), 'ERROR: retval is only available in uretprobe and kretprobe probes');
});

test.run();
